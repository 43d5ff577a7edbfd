import { randomInt } from 'node:crypto';

/**
 * The one stream a WebRTC leg sends, under the SSRC its SDP signals (a=ssrc, RFC 5576): packets
 * of whatever source (a phone, the next phone after a transfer, the transcoder) are rewritten
 * to it, sequence numbers and timestamps continuing across a change of source as an SFU does.
 * Some WebRTC stacks drop an unsignalled SSRC, and a browser's jitter buffer copes better with
 * one continuous stream than with a new one per source.
 */
export class OutboundStream {
  readonly ssrc = randomInt(1, 2 ** 32 - 1);
  #source = -1;
  #seqOffset = 0;
  #tsOffset = 0;
  #lastSeq = randomInt(0, 0x8000);
  #lastTs = randomInt(0, 2 ** 31);

  /** Rewrites SSRC, sequence number and timestamp of `packet` in place. */
  apply(packet: Buffer): void {
    const source = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const ts = packet.readUInt32BE(4);
    if (source !== this.#source) {
      this.#source = source;
      this.#seqOffset = (this.#lastSeq + 1 - seq) & 0xffff;
      // A new source starts one 20 ms frame (at 8 kHz) after the last packet sent.
      this.#tsOffset = (this.#lastTs + 160 - ts) >>> 0;
    }
    this.#lastSeq = (seq + this.#seqOffset) & 0xffff;
    this.#lastTs = (ts + this.#tsOffset) >>> 0;
    packet.writeUInt16BE(this.#lastSeq, 2);
    packet.writeUInt32BE(this.#lastTs, 4);
    packet.writeUInt32BE(this.ssrc, 8);
  }
}
