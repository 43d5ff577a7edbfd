import type { TransportConnection } from './transport-connection';
import type { TransportLimits } from './transport-limits';
import type { TransportLog } from './transport-observer';

/**
 * Open stream connections by id (what responses carry, RFC 3261 18.2.2) and by remote
 * "proto:address:port" (connection reuse for requests, RFC 5923 / RFC 5626), with the periodic
 * sweep that closes idle, slow and quiet connections.
 */
export class ConnectionTable {
  private nextId = 1;
  private readonly byId = new Map<number, TransportConnection>();
  private readonly byKey = new Map<string, TransportConnection>();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly limits: TransportLimits,
    private readonly log: TransportLog,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  allocateId(): number {
    return this.nextId++;
  }

  add(connection: TransportConnection): void {
    this.byId.set(connection.id, connection);
    // A newer connection to the same remote end replaces the older one for new requests; the
    // older stays reachable by id for the transactions that still use it.
    this.byKey.set(connection.key, connection);
  }

  remove(connection: TransportConnection): void {
    this.byId.delete(connection.id);
    if (this.byKey.get(connection.key) === connection) this.byKey.delete(connection.key);
  }

  get(id: number): TransportConnection | undefined {
    return this.byId.get(id);
  }

  find(key: string): TransportConnection | undefined {
    return this.byKey.get(key);
  }

  /** Starts the sweep; its period follows idleTimeoutMs so a short limit is enforced promptly. */
  startSweeping(): void {
    if (this.sweepTimer !== null) return;
    const period = Math.min(1000, Math.max(25, Math.floor(this.limits.idleTimeoutMs / 4)));
    this.sweepTimer = setInterval(() => this.sweep(performance.now()), period);
    this.sweepTimer.unref();
  }

  sweep(now: number): void {
    for (const connection of this.byId.values()) {
      const reason = connection.expiry(now, this.limits);
      if (reason === null) continue;
      this.log.debug(
        { protocol: connection.protocol, address: connection.peer.address, reason },
        'closing SIP connection',
      );
      connection.destroy(reason);
    }
  }

  /** Stops the sweep and destroys every connection (close of the layer). */
  destroyAll(reason: string): void {
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const connection of [...this.byId.values()]) connection.destroy(reason);
    this.byId.clear();
    this.byKey.clear();
  }
}
