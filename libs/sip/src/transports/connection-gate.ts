import type { Socket } from 'node:net';
import { normalizeAddress } from './peer-address';
import type { TransportProtocol } from './sip-transport';
import type { TransportLimits } from './transport-limits';
import type { ConnectionRefusal, TransportLog, TransportObserver } from './transport-observer';

/**
 * Admission of raw TCP sockets, before any TLS handshake or HTTP upgrade, so that a peer opening
 * hundreds of connections is refused at accept time whatever it does next. Tracks every admitted
 * socket until it closes, so that close() can destroy the half-open ones too.
 */
export class ConnectionGate {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private closing = false;

  constructor(
    private readonly limits: TransportLimits,
    private readonly observer: TransportObserver,
    private readonly log: TransportLog,
  ) {}

  get openSockets(): number {
    return this.total;
  }

  /** Admits an accepted socket, or destroys it; returns its normalized remote address or null. */
  admitInbound(socket: Socket, protocol: TransportProtocol): string | null {
    const raw = socket.remoteAddress;
    if (raw === undefined) {
      socket.destroy();
      return null;
    }
    const address = normalizeAddress(raw);
    const refusal = this.refusal(address);
    if (refusal !== null) {
      this.observer.connectionRefused(refusal);
      this.log.debug({ protocol, address, refusal }, 'SIP connection refused');
      socket.on('error', this.onSocketError);
      socket.destroy();
      return null;
    }
    this.perIp.set(address, (this.perIp.get(address) ?? 0) + 1);
    this.track(socket, protocol, address);
    return address;
  }

  /** Counts a connection we opened against maxConnections; false (and destroyed) when over. */
  admitOutbound(socket: Socket, protocol: TransportProtocol): boolean {
    if (this.closing || this.total >= this.limits.maxConnections) {
      socket.destroy();
      return false;
    }
    this.track(socket, protocol, null);
    return true;
  }

  /** Whether an outbound connection could be admitted now (checked before connecting). */
  canOpenOutbound(): boolean {
    return !this.closing && this.total < this.limits.maxConnections;
  }

  /** Refuses everything from now on and destroys every tracked socket. */
  close(): void {
    this.closing = true;
    for (const socket of [...this.sockets]) socket.destroy();
  }

  private refusal(address: string): ConnectionRefusal | null {
    if (this.closing) return 'closing';
    if (this.total >= this.limits.maxConnections) return 'max-connections';
    if ((this.perIp.get(address) ?? 0) >= this.limits.maxConnectionsPerIp)
      return 'max-connections-per-ip';
    return null;
  }

  private track(socket: Socket, protocol: TransportProtocol, address: string | null): void {
    this.total++;
    this.sockets.add(socket);
    this.observer.connectionsOpen(1, protocol);
    // Errors on the raw socket (ECONNRESET before a TLS handshake...) end in 'close' below.
    socket.on('error', this.onSocketError);
    socket.once('close', () => {
      this.total--;
      this.sockets.delete(socket);
      if (address !== null) {
        const n = (this.perIp.get(address) ?? 1) - 1;
        if (n <= 0) this.perIp.delete(address);
        else this.perIp.set(address, n);
      }
      this.observer.connectionsOpen(-1, protocol);
    });
  }

  private readonly onSocketError = (err: Error): void => {
    this.log.debug({ err }, 'SIP socket error');
  };
}
