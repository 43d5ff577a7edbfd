import { connectionKey } from './peer-address';
import type { Peer, TransportProtocol } from './sip-transport';
import type { TransportLimits } from './transport-limits';

/**
 * One stream connection (TCP, TLS, WS, WSS) as the layer sends on it and sweeps it. Timestamps are
 * performance.now() milliseconds, kept as plain fields so that the hot path only assigns numbers;
 * one periodic sweep compares them instead of a timer per connection re-armed per message.
 */
export abstract class TransportConnection {
  /** The peer as reported with every message from this connection (one object, reused). */
  readonly peer: Peer;
  /** "proto:address:port" of the remote end, for the open-connection map. */
  readonly key: string;
  readonly openedAt: number;
  /** Last complete message or keep-alive received; 0 until the first. */
  lastCompleteAt = 0;
  /** When the bytes of the partial message held now started to arrive; 0 when none are held. */
  partialSince = 0;
  /** Last message received or written. */
  lastActivityAt: number;
  private closedFlag = false;

  protected constructor(
    readonly id: number,
    readonly protocol: TransportProtocol,
    address: string,
    port: number,
    /** Accepted from a peer (true) or opened by us (false). */
    readonly inbound: boolean,
    private readonly onClosed: (connection: TransportConnection) => void,
  ) {
    this.peer = { protocol, address, port, connectionId: id };
    this.key = connectionKey(protocol, address, port);
    this.openedAt = performance.now();
    this.lastActivityAt = this.openedAt;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Queues one whole message; rejects when the connection is gone or the peer does not read. */
  abstract write(data: Buffer): Promise<void>;

  /** Closes at once (idempotent); `reason` is logged. */
  abstract destroy(reason: string): void;

  /** Why the sweep must close this connection now, or null. */
  expiry(now: number, limits: TransportLimits): string | null {
    if (this.partialSince !== 0 && now - this.partialSince > limits.idleTimeoutMs)
      return 'partial message held past idleTimeoutMs';
    if (this.inbound && this.lastCompleteAt === 0 && now - this.openedAt > limits.idleTimeoutMs)
      return 'no complete message within idleTimeoutMs';
    if (now - this.lastActivityAt > limits.quietTimeoutMs) return 'quiet past quietTimeoutMs';
    return null;
  }

  /** Subclasses call this from their socket's close event, exactly once in effect. */
  protected markClosed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.onClosed(this);
  }
}
