/**
 * Real-socket helpers for the transport integration tests: peers on 127.0.0.1 that record what
 * they receive, and bounded waits. Every helper closes what it opens.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** Polls until `probe` returns a value other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A UDP phone: sends datagrams and keeps every one it receives. */
export class UdpPeer {
  readonly received: Buffer[] = [];

  private constructor(private readonly socket: UdpSocket) {
    socket.on('message', (m) => this.received.push(m));
  }

  static async open(): Promise<UdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(data: Buffer, port: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(data, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
  }

  next(what = 'a datagram', timeoutMs = 3000): Promise<Buffer> {
    const seen = this.received.length;
    return waitFor(what, () => this.received[seen], timeoutMs);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** A TCP or TLS phone: writes bytes and accumulates what comes back. */
export class StreamPeer {
  private chunks: Buffer[] = [];
  private ended = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (c: Buffer) => this.chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.ended = true;
    });
  }

  static connect(port: number, tls?: { ca: Buffer }): Promise<StreamPeer> {
    return new Promise((resolve, reject) => {
      const socket =
        tls === undefined
          ? connectTcp({ host: '127.0.0.1', port }, () => resolve(new StreamPeer(socket)))
          : connectTls({ host: '127.0.0.1', port, ca: tls.ca }, () =>
              resolve(new StreamPeer(socket)),
            );
      socket.once('error', reject);
    });
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  get closed(): boolean {
    return this.ended;
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  write(data: Buffer | string): void {
    this.socket.write(data);
  }

  waitForText(
    what: string,
    predicate: (text: string) => boolean,
    timeoutMs = 3000,
  ): Promise<string> {
    return waitFor(what, () => (predicate(this.text) ? this.text : undefined), timeoutMs);
  }

  waitForClose(timeoutMs = 3000): Promise<true> {
    return waitFor('the connection to close', () => (this.ended ? true : undefined), timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}
