import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import {
  encodeG711,
  isRtpPacket,
  parseRtpHeader,
  parseTelephoneEvent,
  writeRtpHeader,
} from '@pbx/rtp';

const DIGITS = '0123456789*#ABCD';
const PCMA = 8;
const SAMPLES = 160;

/**
 * The media end of a sipp phone in these tests: a UDP socket whose port the sipp scenario puts
 * in its SDP. It counts the audio RTP that arrives (the browser's voice, through the platform),
 * reads the RFC 4733 telephone-events into digits, and answers with a 440 Hz G.711 A-law tone
 * from the same port (symmetric RTP), so the browser has audio with a level to receive.
 */
export class RtpPeer {
  audioPackets = 0;
  /** Digits of completed telephone-events, once each, in order. */
  digits = '';
  readonly #seenEvents = new Set<number>();
  #remote: RemoteInfo | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sequence = 0;
  #timestamp = 0;
  #phase = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('message', (packet, remote) => this.#onPacket(packet, remote));
  }

  static async open(): Promise<RtpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new RtpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): void {
    clearInterval(this.#timer);
    this.socket.close();
  }

  #onPacket(packet: Buffer, remote: RemoteInfo): void {
    if (!isRtpPacket(packet)) return;
    const header = parseRtpHeader(packet);
    if (header.payloadType === 0 || header.payloadType === PCMA) {
      this.audioPackets += 1;
    } else if (header.payloadLength >= 4) {
      // Not G.711: the telephone-event type negotiated for this call (its number varies).
      const event = parseTelephoneEvent(packet, header.headerLength);
      if (event.end && event.event < DIGITS.length && !this.#seenEvents.has(header.timestamp)) {
        this.#seenEvents.add(header.timestamp);
        this.digits += DIGITS[event.event];
      }
    }
    if (this.#remote === undefined) {
      this.#remote = remote;
      this.#timer = setInterval(() => this.#sendTone(), 20);
    }
  }

  #sendTone(): void {
    const remote = this.#remote;
    if (remote === undefined) return;
    const pcm = new Int16Array(SAMPLES);
    for (let i = 0; i < SAMPLES; i++) {
      pcm[i] = Math.round(8_000 * Math.sin(this.#phase));
      this.#phase += (2 * Math.PI * 440) / 8_000;
    }
    const packet = new Uint8Array(12 + SAMPLES);
    writeRtpHeader(packet, {
      marker: this.#sequence === 0,
      payloadType: PCMA,
      sequenceNumber: this.#sequence++ & 0xffff,
      timestamp: (this.#timestamp += SAMPLES) >>> 0,
      ssrc: 0x5eed1234,
    });
    encodeG711('pcma', pcm, packet.subarray(12));
    this.socket.send(packet, remote.port, remote.address);
  }
}
