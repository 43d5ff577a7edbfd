import type { Logger } from 'pino';
import type { SipTransport, TransactionLayer } from '@pbx/sip';
import type { CallRouting, MediaControl } from '@pbx/telephony';
import type { ContactLocator } from './b2bua.ports';
import type { DialogRegistry } from './dialog-registry';

export interface B2buaSettings {
  /** Host written in From/Contact of the legs the edge originates. */
  readonly publicHost: string;
  /** Session interval the edge grants at most (RFC 4028). */
  readonly sessionExpiresS: number;
  /**
   * The smallest session interval the edge accepts (its Min-SE, RFC 4028 section 5); 90 s, the
   * RFC's floor, when unset. Tests lower it to see refreshes within seconds.
   */
  readonly minSessionExpiresS?: number;
}

/** What every call of the B2BUA shares. */
export interface B2buaContext {
  readonly layer: TransactionLayer;
  readonly transport: SipTransport;
  readonly routing: CallRouting;
  readonly media: MediaControl;
  readonly contacts: ContactLocator;
  readonly dialogs: DialogRegistry;
  readonly settings: B2buaSettings;
  readonly log: Logger;
  /** Calls in progress, for metrics and shutdown. */
  readonly calls: Set<{ shutdown(): void }>;
  readonly observe: {
    /** Seconds from a new INVITE to the first INVITE sent towards the callee. */
    postDial(seconds: number): void;
  };
}
