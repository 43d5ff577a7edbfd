import { TransportError, TransportErrorCode } from './transport-error';

/** What one peer, or all of them together, may hold of the edge (issue 5: no exhaustion). */
export interface TransportLimits {
  /** Stream connections (TCP, TLS, WS, WSS; inbound and outbound) open at once. */
  readonly maxConnections: number;
  /** Inbound stream connections from one IP address. */
  readonly maxConnectionsPerIp: number;
  /**
   * Slowloris guard: an inbound connection that completes no message (or keep-alive) within this
   * time of opening, or any connection holding a partial message this long, is closed.
   */
  readonly idleTimeoutMs: number;
  /**
   * A connection with no complete message either way for this long is closed. It must outlast the
   * longest registration refresh of a phone that registers over TCP without keep-alives, or the
   * phone becomes unreachable between refreshes (RFC 5626 flows send keep-alives far more often).
   */
  readonly quietTimeoutMs: number;
  /** Largest message on any transport (datagram, stream frame, WebSocket message). */
  readonly maxMessageBytes: number;
  /** TLS handshake (inbound TLS and WSS) must finish within this time. */
  readonly tlsHandshakeTimeoutMs: number;
  /** Outbound TCP/TLS connect, handshake included. */
  readonly connectTimeoutMs: number;
  /** Bytes queued for a peer that does not read; past it the connection is dropped. */
  readonly maxPendingWriteBytes: number;
}

export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = Object.freeze({
  maxConnections: 10000,
  maxConnectionsPerIp: 100,
  idleTimeoutMs: 30000,
  quietTimeoutMs: 3_600_000,
  maxMessageBytes: 65536,
  tlsHandshakeTimeoutMs: 10000,
  connectTimeoutMs: 5000,
  maxPendingWriteBytes: 1024 * 1024,
});

/** Fills defaults and refuses anything that is not a positive integer. */
export function resolveTransportLimits(overrides: Partial<TransportLimits> = {}): TransportLimits {
  const limits: TransportLimits = { ...DEFAULT_TRANSPORT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TransportError(
        TransportErrorCode.InvalidOptions,
        `transport limit ${name} must be a positive integer, got ${String(value)}`,
        { name, value },
      );
    }
  }
  return limits;
}
