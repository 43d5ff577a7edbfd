import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOptions } from 'node:dns';
import { isIPv4, isIPv6 } from 'node:net';
import type { InboundPipeline } from './inbound-pipeline';
import { normalizeAddress } from './peer-address';
import type { Peer } from './sip-transport';
import { TransportError, TransportErrorCode } from './transport-error';
import type { TransportLog } from './transport-observer';

/** Socket buffers asked for; the kernel caps them at net.core.[rw]mem_max. */
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

interface OutgoingDatagram {
  readonly data: Buffer;
  readonly port: number;
  readonly address: string;
  readonly resolve: () => void;
  readonly reject: (error: TransportError) => void;
}

/**
 * SIP over UDP (RFC 3261 18.1, 18.2): one socket both receives and sends, so that responses and
 * requests leave from the port phones registered through, which NATs expect (RFC 3581).
 */
export class UdpEndpoint {
  private closed = false;
  /** Datagrams sent since the last flush, in order. */
  private queue: OutgoingDatagram[] = [];

  private constructor(
    private readonly socket: Socket,
    private readonly pipeline: InboundPipeline,
    private readonly log: TransportLog,
  ) {
    socket.on('message', this.onDatagram);
    socket.on('error', this.onSocketError);
  }

  static async bind(
    host: string,
    port: number,
    pipeline: InboundPipeline,
    log: TransportLog,
  ): Promise<UdpEndpoint> {
    const socket = createSocket({
      type: isIPv6(host) ? 'udp6' : 'udp4',
      reuseAddr: false,
      lookup: literalFirstLookup,
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        resolve();
      });
    });
    for (const set of [socket.setRecvBufferSize, socket.setSendBufferSize]) {
      try {
        set.call(socket, SOCKET_BUFFER_BYTES);
      } catch (err) {
        log.debug({ err }, 'could not enlarge the UDP socket buffer');
      }
    }
    return new UdpEndpoint(socket, pipeline, log);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /**
   * Sends one datagram. A message above the path MTU (about 1300 bytes) is still sent over UDP
   * and left to IP fragmentation: RFC 3261 18.1.1 would switch to TCP, but phones behind NATs
   * rarely accept inbound TCP, so the switch loses more calls than fragments do.
   *
   * Datagrams leave in order at the end of the event loop's I/O phase (setImmediate), not one by
   * one: the answers to the requests read in one poll then go out back to back, and a peer that
   * is asleep is woken once for them, not once each. Waking a peer was the largest kernel cost of
   * the REGISTER path (13% of the edge's CPU) and sending this way raised the REGISTER rate by a
   * fifth. A message waits at most for the rest of its poll's batch (libuv reads up to 32
   * datagrams per poll); on an idle edge that is nothing.
   */
  send(data: Buffer, port: number, address: string): Promise<void> {
    if (this.closed) {
      return Promise.reject(new TransportError(TransportErrorCode.Closed, 'UDP socket is closed'));
    }
    return new Promise<void>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(this.flush);
      this.queue.push({ data, port, address, resolve, reject });
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    // What was sent before the close still leaves (the BYEs of a shutdown).
    this.flush();
    return new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private readonly flush = (): void => {
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    for (const out of queue) {
      const failed = (err: Error): void =>
        out.reject(
          new TransportError(TransportErrorCode.SendFailed, `UDP send failed: ${err.message}`, {
            address: out.address,
            port: out.port,
          }),
        );
      try {
        this.socket.send(out.data, out.port, out.address, (err) => {
          if (err === null || err === undefined) out.resolve();
          else failed(err);
        });
      } catch (err) {
        // A port or address dgram refuses outright fails this datagram, not the ones after it.
        failed(err as Error);
      }
    }
  };

  private readonly onDatagram = (data: Buffer, rinfo: RemoteInfo): void => {
    if (data.length === 0) return;
    const source: Peer = {
      protocol: 'udp',
      address: normalizeAddress(rinfo.address),
      port: rinfo.port,
    };
    const reply = this.pipeline.process(data, source, false);
    // Answers to broken requests go to the packet's source, never to a Via that failed to parse.
    if (reply !== null && !this.closed)
      this.socket.send(reply, rinfo.port, rinfo.address, this.onSendDone);
  };

  private readonly onSendDone = (err: Error | null): void => {
    if (err !== null) this.log.debug({ err }, 'UDP answer not sent');
  };

  private readonly onSocketError = (err: Error): void => {
    // ICMP errors and the like; the socket stays usable.
    this.log.debug({ err }, 'UDP socket error');
  };
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string,
  family: number,
) => void;

/**
 * Node's default lookup defers every send to the next tick, even to an IP literal, which is
 * what a SIP edge sends to almost always (a Via's received address, a registered flow). A
 * literal is answered at once; a host name (a carrier's) goes to the resolver.
 */
function literalFirstLookup(
  address: string,
  options: LookupOptions,
  callback: LookupCallback,
): void {
  // Every send comes here: IPv4 literals (nearly all of them) skip the IPv6 pattern.
  const family = address.includes(':') ? (isIPv6(address) ? 6 : 0) : isIPv4(address) ? 4 : 0;
  if (family !== 0) {
    callback(null, address, family);
    return;
  }
  dnsLookup(address, { ...options, all: false }, (error, resolved, resolvedFamily) =>
    callback(error, resolved, resolvedFamily ?? 4),
  );
}
