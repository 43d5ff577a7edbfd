/**
 * Binds the two sockets of an RTP port pair. The pool uses it to find out whether a pair is
 * free: another process may hold either port, which the binder reports by rejecting with an
 * error whose `code` is `EADDRINUSE`.
 */
export interface PortPairBinder<S> {
  bind(rtpPort: number, rtcpPort: number): Promise<S>;
  /** Closes both sockets; resolves once the ports can be bound again. */
  unbind(sockets: S): Promise<void>;
}

/** True when `error` says a port is held by someone else (Node's system error code). */
export function isAddressInUse(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'EADDRINUSE'
  );
}
