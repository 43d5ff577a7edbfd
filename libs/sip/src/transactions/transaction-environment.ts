import type { SipMessage } from '../messages/sip-message';
import type { Peer } from '../transports/sip-transport';
import type { Timers } from './timers';

/** Counters the layer exposes for metrics; the state machines add to them. */
export interface TransactionCounters {
  /** Messages we sent again: Timers A, E, G, 2xx retransmissions, replies to retransmissions. */
  retransmissions: number;
  /** Retransmitted requests and responses from peers absorbed by a transaction. */
  absorbed: number;
  /** Timers B, F, H, the 2xx ACK wait (13.3.1.4) and the CANCEL wait (9.1). */
  timeouts: number;
  /** Responses matching no client transaction (17.1.3), dropped. */
  strayResponses: number;
  /** Exceptions thrown by transaction-user listeners and send failures no listener hears of. */
  errors: number;
}

/** What every transaction state machine needs from the layer that owns it. */
export interface TransactionEnvironment {
  readonly timers: Timers;
  readonly counters: TransactionCounters;
  isReliable(peer: Peer): boolean;
  send(message: SipMessage, target: Peer): Promise<void>;
  /** Contains an exception of a transaction user's listener or an unreported send failure. */
  reportError(error: unknown): void;
}

/** Calls a transaction-user callback so that its exception cannot break the state machine. */
export function notify(env: TransactionEnvironment, call: () => void): void {
  try {
    call();
  } catch (e) {
    env.reportError(e);
  }
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
