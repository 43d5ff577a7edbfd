// The platform's own SRTP rather than werift's SrtpSession (werift 0.25.2), for three reasons:
// - Cost per packet: protecting a 172-byte packet (160-byte G.711 payload) took 3.6-5.4 us here,
//   werift's encrypt 6.2-6.8 us, and 10-11 us with the RtpHeader.deSerialize its API needs for
//   each packet (Node 20, this 2-core machine under shared load, 200,000 packets a run).
// - Forged packets: werift throws an SrtpAuthenticationError for every packet that fails
//   authentication (assertAuthTag), an exception per packet under a flood of forged ones; here
//   unprotect returns null, records why in lastRejection, and the leg counts it.
// - Replays: werift keeps only the rollover counter and last sequence number per SSRC, and
//   accepts the same packet twice; here each SSRC has a 64-packet replay window (RFC 3711 §3.3.2).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { rtpHeaderLength } from '../packet/rtp-header';
import { AesCmKeystream } from './aes-cm-keystream';
import { SRTP_AUTH_TAG_LENGTH, type SrtpKeySet } from './srtp-keys';
import { SrtpReplayWindow } from './srtp-replay-window';

/** Why unprotect refused a packet (counted by the media path, never thrown per packet). */
export type SrtpRejection = 'short' | 'authentication' | 'replay';

/** SRTCP's E flag and index follow the encrypted part (RFC 3711 §3.4). */
const SRTCP_INDEX_LENGTH = 4;
/** RTCP: the first 8 octets (header and sender SSRC) stay in the clear (RFC 3711 §3.4). */
const RTCP_CLEAR_LENGTH = 8;
/** SSRCs whose receive state one context keeps; beyond it, the least recent one is dropped. */
const MAX_STREAMS = 32;

interface SendState {
  roc: number;
  lastSeq: number;
}

function readUint32(packet: Uint8Array, at: number): number {
  return (
    ((packet[at] << 24) | (packet[at + 1] << 16) | (packet[at + 2] << 8) | packet[at + 3]) >>> 0
  );
}

/**
 * SRTP and SRTCP (RFC 3711) with AES_CM_128_HMAC_SHA1_80 for one direction: a context created
 * with a sender's keys either protects what that sender sends (the platform's own keys) or
 * unprotects what it receives (the peer's keys). Tracks the rollover counter per SSRC when
 * sending, and per SSRC the index estimate and a 64-packet replay window when receiving.
 */
export class SrtpContext {
  readonly #rtpCipher: AesCmKeystream;
  readonly #rtcpCipher: AesCmKeystream;
  readonly #rtpAuthKey: Buffer;
  readonly #rtcpAuthKey: Buffer;
  readonly #send = new Map<number, SendState>();
  readonly #receive = new Map<number, SrtpReplayWindow>();
  readonly #roc = Buffer.alloc(4);
  #rtcpIndex = 0;
  /** Why the last unprotect returned null. */
  lastRejection: SrtpRejection | null = null;

  constructor(keys: SrtpKeySet) {
    this.#rtpCipher = new AesCmKeystream(keys.rtp.encryptionKey, keys.rtp.salt);
    this.#rtcpCipher = new AesCmKeystream(keys.rtcp.encryptionKey, keys.rtcp.salt);
    this.#rtpAuthKey = keys.rtp.authenticationKey;
    this.#rtcpAuthKey = keys.rtcp.authenticationKey;
  }

  /** An RTP packet as SRTP: a new buffer with the payload encrypted and the tag appended. */
  protectRtp(packet: Uint8Array): Buffer {
    const headerLength = rtpHeaderLength(packet);
    if (headerLength < 0) throw new RangeError('not an RTP packet: the header runs past its end');
    const ssrc = readUint32(packet, 8);
    const seq = (packet[2] << 8) | packet[3];
    let state = this.#send.get(ssrc);
    if (state === undefined) {
      state = { roc: 0, lastSeq: seq };
      this.#remember(this.#send, ssrc, state);
    } else if (seq < state.lastSeq && state.lastSeq - seq > 0x8000) {
      // The sequence number wrapped (RFC 3711 §3.3.1): the rollover counter counts it.
      state.roc = (state.roc + 1) >>> 0;
      state.lastSeq = seq;
    } else if (seq > state.lastSeq || state.lastSeq - seq > 0x8000) {
      state.lastSeq = seq;
    }
    const out = Buffer.allocUnsafe(packet.length + SRTP_AUTH_TAG_LENGTH);
    out.set(packet, 0);
    this.#rtpCipher.apply(out, headerLength, packet.length, ssrc, state.roc, seq);
    this.#rtpTag(out, packet.length, state.roc).copy(out, packet.length);
    return out;
  }

  /**
   * An SRTP packet's plain RTP, decrypted in place: a view of `packet` without the tag, or null
   * (see lastRejection) when it is too short, fails authentication or is a replay.
   */
  unprotectRtp(packet: Buffer): Buffer | null {
    const end = packet.length - SRTP_AUTH_TAG_LENGTH;
    const headerLength = rtpHeaderLength(packet, end);
    if (headerLength < 0) return this.#reject('short');
    const ssrc = readUint32(packet, 8);
    const seq = (packet[2] << 8) | packet[3];
    const known = this.#receive.get(ssrc);
    const window = known ?? new SrtpReplayWindow(seq);
    const roc = known === undefined ? 0 : window.estimateRoc(seq);
    if (roc < 0 || !window.isFresh(roc, seq)) return this.#reject('replay');
    const tag = this.#rtpTag(packet, end, roc);
    if (!timingSafeEqual(tag.subarray(0, SRTP_AUTH_TAG_LENGTH), packet.subarray(end))) {
      return this.#reject('authentication');
    }
    if (known === undefined) this.#remember(this.#receive, ssrc, window);
    window.accept(roc, seq);
    this.#rtpCipher.apply(packet, headerLength, end, ssrc, roc, seq);
    return packet.subarray(0, end);
  }

  /** An RTCP compound packet as SRTCP (RFC 3711 §3.4): encrypted, E flag and index, tag. */
  protectRtcp(packet: Uint8Array): Buffer {
    if (packet.length < RTCP_CLEAR_LENGTH)
      throw new RangeError('an RTCP packet has 8 octets at least');
    const index = this.#rtcpIndex;
    this.#rtcpIndex = (index + 1) & 0x7fffffff;
    const body = packet.length + SRTCP_INDEX_LENGTH;
    const out = Buffer.allocUnsafe(body + SRTP_AUTH_TAG_LENGTH);
    out.set(packet, 0);
    const ssrc = readUint32(packet, 4);
    this.#applyRtcpIndex(out, packet.length, ssrc, index);
    out.writeUInt32BE((0x80000000 | index) >>> 0, packet.length);
    createHmac('sha1', this.#rtcpAuthKey)
      .update(out.subarray(0, body))
      .digest()
      .copy(out, body, 0, SRTP_AUTH_TAG_LENGTH);
    return out;
  }

  /** An SRTCP packet's plain RTCP, decrypted in place; null when too short or not authentic. */
  unprotectRtcp(packet: Buffer): Buffer | null {
    const body = packet.length - SRTP_AUTH_TAG_LENGTH;
    const end = body - SRTCP_INDEX_LENGTH;
    if (end < RTCP_CLEAR_LENGTH) return this.#reject('short');
    const tag = createHmac('sha1', this.#rtcpAuthKey).update(packet.subarray(0, body)).digest();
    if (!timingSafeEqual(tag.subarray(0, SRTP_AUTH_TAG_LENGTH), packet.subarray(body))) {
      return this.#reject('authentication');
    }
    const word = packet.readUInt32BE(end);
    if ((word & 0x80000000) !== 0) {
      const ssrc = readUint32(packet, 4);
      this.#applyRtcpIndex(packet, end, ssrc, word & 0x7fffffff);
    }
    return packet.subarray(0, end);
  }

  #applyRtcpIndex(packet: Buffer, end: number, ssrc: number, index: number): void {
    // SRTCP's IV puts the 31-bit index where SRTP puts the 48-bit one (RFC 3711 §4.1.1):
    // upper 32 bits index >>> 16, lower 16 bits index & 0xffff.
    this.#rtcpCipher.apply(packet, RTCP_CLEAR_LENGTH, end, ssrc, index >>> 16, index & 0xffff);
  }

  #rtpTag(packet: Uint8Array, end: number, roc: number): Buffer {
    this.#roc.writeUInt32BE(roc >>> 0, 0);
    return createHmac('sha1', this.#rtpAuthKey)
      .update(packet.subarray(0, end))
      .update(this.#roc)
      .digest();
  }

  #reject(reason: SrtpRejection): null {
    this.lastRejection = reason;
    return null;
  }

  #remember<T>(map: Map<number, T>, ssrc: number, state: T): void {
    if (map.size >= MAX_STREAMS) {
      const oldest = map.keys().next();
      if (oldest.done !== true) map.delete(oldest.value);
    }
    map.set(ssrc, state);
  }
}
