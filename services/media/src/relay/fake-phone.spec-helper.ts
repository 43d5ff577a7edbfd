import { type Socket, createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { writeRtpHeader } from '@pbx/rtp';

export interface Received {
  readonly packet: Buffer;
  readonly from: number;
}

/** A UDP socket on 127.0.0.1 (ephemeral port) that records what it receives. */
export class TestSocket {
  readonly received: Received[] = [];
  #waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (packet, source) => {
      this.received.push({ packet, from: source.port });
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(): Promise<TestSocket> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new TestSocket(socket);
  }

  get port(): number {
    return (this.socket.address() as AddressInfo).port;
  }

  send(packet: Uint8Array, port: number): void {
    this.socket.send(packet, port, '127.0.0.1');
  }

  /** Resolves once `count` packets have arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 2_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`got ${this.received.length} of ${count} packets in ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  /** Waits `ms` and returns how many packets arrived meanwhile (for "nothing arrives" checks). */
  async countDuring(ms: number): Promise<number> {
    const before = this.received.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.received.length - before;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** A phone: an RTP socket and its RTCP socket, as its SDP announces them. */
export class FakePhone {
  #sequence = 0;

  private constructor(
    readonly rtp: TestSocket,
    readonly rtcp: TestSocket,
  ) {}

  static async open(): Promise<FakePhone> {
    return new FakePhone(await TestSocket.open(), await TestSocket.open());
  }

  /** SDP offering PCMU, PCMA and telephone-event, with a=rtcp since the RTCP port is not RTP+1. */
  sdp(direction = 'sendrecv', rtpPort = this.rtp.port): string {
    return [
      'v=0',
      `o=phone ${rtpPort} 1 IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${rtpPort} RTP/AVP 0 8 101`,
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-16',
      `a=rtcp:${this.rtcp.port}`,
      'a=ptime:20',
      `a=${direction}`,
      '',
    ].join('\r\n');
  }

  /** A 172-octet G.711 packet (20 ms of PCMU) whose payload starts with `tag`. */
  audio(tag: number, payloadType = 0): Buffer {
    const packet = Buffer.alloc(172);
    writeRtpHeader(packet, {
      payloadType,
      sequenceNumber: this.#sequence++,
      timestamp: this.#sequence * 160,
      ssrc: 0x1234,
    });
    packet[12] = tag;
    return packet;
  }

  close(): Promise<void> {
    return Promise.all([this.rtp.close(), this.rtcp.close()]).then(() => undefined);
  }
}

/** The `m=audio` port and a=rtcp port the platform wrote into `sdp`. */
export function relayPortsOf(sdp: string): { rtp: number; rtcp: number } {
  const rtp = /^m=audio (\d+) /m.exec(sdp);
  const rtcp = /^a=rtcp:(\d+)/m.exec(sdp);
  if (rtp === null || rtcp === null) throw new Error(`no m=audio/a=rtcp port in ${sdp}`);
  return { rtp: Number(rtp[1]), rtcp: Number(rtcp[1]) };
}

/** A receiver report with no report blocks (RFC 3550 §6.4.2). */
export function receiverReport(ssrc: number): Buffer {
  const packet = Buffer.alloc(8);
  packet[0] = 0x80;
  packet[1] = 201;
  packet.writeUInt16BE(1, 2);
  packet.writeUInt32BE(ssrc, 4);
  return packet;
}

/** A random base in 40000-49000 for this test file's PBX_RTP_PORTS, so parallel files differ. */
export function randomPortBase(): number {
  return 40000 + 2 * Math.floor(Math.random() * 4500);
}
