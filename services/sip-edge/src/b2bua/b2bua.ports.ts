import type { ParsedMessage, Peer, SipResponse } from '@pbx/sip';
import type { CallOrigin, DeviceTarget } from '@pbx/telephony';

/** A caller the edge authenticated (a device) or recognised (a trunk). */
export type CallerCheck =
  | { readonly ok: true; readonly origin: CallOrigin }
  | { readonly ok: false; readonly response: SipResponse };

/** Authenticates a new INVITE (407 challenge for a device, source address for a trunk). */
export interface CallerAuthenticator {
  authenticate(parsed: ParsedMessage, source: Peer): Promise<CallerCheck>;
}

/** A registered contact of a device: where to send an INVITE that must reach it. */
export interface RegisteredContact {
  readonly deviceId: string;
  /** The Contact URI it registered: the Request-URI of the INVITE. */
  readonly uri: string;
  /** The flow it registered over (NAT: the received address/port, the TCP/WS connection). */
  readonly flow: Peer;
}

export interface ContactLocator {
  contacts(devices: readonly DeviceTarget[]): Promise<readonly RegisteredContact[]>;
}
