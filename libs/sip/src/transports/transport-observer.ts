import type { TransportProtocol } from './sip-transport';

/** Why a connection was refused before any SIP was read from it. */
export type ConnectionRefusal =
  'max-connections' | 'max-connections-per-ip' | 'no-sip-subprotocol' | 'closing';

/** Counters for metrics (prom-client in the edge). Called on the hot path: keep them cheap. */
export interface TransportObserver {
  /** A well-formed message handed to the transaction layer. */
  received(protocol: TransportProtocol): void;
  /** A message that failed to parse: `status` when it was answered, undefined when dropped. */
  malformed(protocol: TransportProtocol, status: number | undefined): void;
  /** +1 when a stream connection is accepted or opened, -1 when it closes. */
  connectionsOpen(delta: number, protocol: TransportProtocol): void;
  connectionRefused(reason: ConnectionRefusal): void;
}

/** The subset of a pino logger the transports use; both methods take (object, message). */
export interface TransportLog {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

function ignore(): void {
  // Deliberately empty: the default observer and log count and say nothing.
}

export const NOOP_TRANSPORT_OBSERVER: TransportObserver = Object.freeze({
  received: ignore,
  malformed: ignore,
  connectionsOpen: ignore,
  connectionRefused: ignore,
});

export const NOOP_TRANSPORT_LOG: TransportLog = Object.freeze({ warn: ignore, debug: ignore });
