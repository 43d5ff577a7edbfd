import { type Socket, createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { PortPairBinder } from './port-pair-binder';

/** The two UDP sockets of a port pair. */
export interface UdpPortPair {
  readonly rtp: Socket;
  readonly rtcp: Socket;
}

/**
 * Binds port pairs as UDP sockets on `host` (PBX_MEDIA_HOST). Sockets are bound exclusively, so
 * that a port already held by another process fails with EADDRINUSE. The user of a pair must
 * attach its own 'error' listener: a failed send without callback is emitted as 'error'.
 */
export class UdpPortPairBinder implements PortPairBinder<UdpPortPair> {
  readonly #host: string;
  readonly #type: 'udp4' | 'udp6';

  constructor(host: string) {
    this.#host = host;
    this.#type = isIPv6(host) ? 'udp6' : 'udp4';
  }

  async bind(rtpPort: number, rtcpPort: number): Promise<UdpPortPair> {
    const rtp = await this.#bindOne(rtpPort);
    try {
      return { rtp, rtcp: await this.#bindOne(rtcpPort) };
    } catch (error) {
      await closeSocket(rtp);
      throw error;
    }
  }

  async unbind(pair: UdpPortPair): Promise<void> {
    await Promise.all([closeSocket(pair.rtp), closeSocket(pair.rtcp)]);
  }

  #bindOne(port: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({
        type: this.#type,
        ipv6Only: this.#type === 'udp6',
        lookup: this.#type === 'udp6' ? literalLookup6 : literalLookup4,
      });
      const onError = (error: Error): void => {
        socket.removeListener('listening', onListening);
        void closeSocket(socket).then(() => reject(error));
      };
      const onListening = (): void => {
        socket.removeListener('error', onError);
        resolve(socket);
      };
      socket.once('error', onError);
      socket.once('listening', onListening);
      socket.bind({ port, address: this.#host, exclusive: true });
    });
  }
}

/**
 * The relay only ever sends to IP literals (from SDP, checked when parsed, or from a packet's
 * source). Node's default lookup defers every send to the next tick even for a literal; this one
 * answers at once, which takes a tick and a closure off each relayed packet.
 */
type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string,
  family: number,
) => void;

function literalLookup4(address: string, _options: unknown, callback: LookupCallback): void {
  callback(null, address, 4);
}

function literalLookup6(address: string, _options: unknown, callback: LookupCallback): void {
  callback(null, address, 6);
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      // ERR_SOCKET_DGRAM_NOT_RUNNING: already closed.
      resolve();
    }
  });
}
