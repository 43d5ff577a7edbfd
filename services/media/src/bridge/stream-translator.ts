import { randomInt } from 'node:crypto';
import {
  AUDIO_CODECS,
  type AudioFormat,
  RTP_FIXED_HEADER_LENGTH,
  clockRateOf,
  isTelephoneEvent,
  rtpHeaderLength,
  telephoneEventAt,
} from '@pbx/rtp';
import { type AudioCodec, createAudioCodec, PCM_RATE } from '../transcoding/audio-codec';

/** What a translator did with packets; the media metrics read it. */
export class TranslationCounters {
  /** Audio packets whose payload type was rewritten and sent on as they were. */
  passedThrough = 0;
  /** Audio packets decoded and encoded to the receiver's codec. */
  transcoded = 0;
  /** Telephone-event packets sent on. */
  events = 0;
  /** Packets of a payload type the sender did not negotiate, or that no format fits. */
  dropped = 0;
}

type CodecFactory = (encoding: string) => AudioCodec;

/**
 * A payload type the sender negotiated, resolved once rather than per packet: its format and the
 * receiver's format that carries it unchanged (the same encoding; for events, the same clock).
 */
interface SourceRoute {
  readonly format: AudioFormat;
  readonly event: boolean;
  readonly clock: number;
  readonly same: AudioFormat | undefined;
}

/** One direction's transcoding state: a codec pair, the PCM not yet encoded, its own stream. */
class Transcoding {
  readonly #decoder: AudioCodec;
  readonly #encoder: AudioCodec;
  readonly ssrc = randomInt(1, 2 ** 32 - 1);
  #seq = randomInt(0, 0xffff);
  readonly #outBase = randomInt(0, 2 ** 32 - 1);
  #inBase: number | null = null;
  readonly #inRate: number;
  /** Samples decoded but not yet encoded (an encoder with a fixed frame size). */
  #pending = new Int16Array(0);
  /** Input timestamp of the first pending sample. */
  #pendingTs = 0;

  constructor(
    readonly from: string,
    readonly to: AudioFormat,
    codecs: CodecFactory,
  ) {
    this.#decoder = codecs(from);
    this.#encoder = codecs(to.encoding);
    this.#inRate = clockRateOf(from);
  }

  /** The receiver's timestamp of input timestamp `ts` (same instant, the receiver's clock). */
  mapTimestamp(ts: number, outRate: number): number {
    if (this.#inBase === null) this.#inBase = ts;
    const elapsed = (ts - this.#inBase) >>> 0;
    // Elapsed time beyond 2^31 ticks is a timestamp going backwards: keep its sign.
    const signed = elapsed > 0x7fffffff ? elapsed - 0x100000000 : elapsed;
    return (this.#outBase + Math.round((signed * outRate) / this.#inRate)) >>> 0;
  }

  /** Decodes one packet's payload and returns the packets to send (none, one, or more). */
  audio(packet: Buffer, headerLength: number): Buffer[] {
    const ts = packet.readUInt32BE(4);
    const marker = (packet[1] & 0x80) !== 0;
    // RFC 3550 §5.1: with P set, the last octet counts padding octets that are no payload.
    const end =
      (packet[0] & 0x20) !== 0 ? packet.length - packet[packet.length - 1] : packet.length;
    const pcm =
      end > headerLength
        ? this.#decoder.decode(packet.subarray(headerLength, end))
        : new Int16Array(0);
    if (pcm.length === 0) return [];
    const outRate = this.#encoder.clockRate;
    const frame = this.#encoder.frameSamples;
    if (frame === 0) {
      const payload = this.#encoder.encode(pcm);
      return [this.packet(payload, this.to.payloadType, this.mapTimestamp(ts, outRate), marker)];
    }
    const inTicksPerSample = this.#inRate / PCM_RATE;
    if (this.#pending.length === 0) this.#pendingTs = ts;
    const all = new Int16Array(this.#pending.length + pcm.length);
    all.set(this.#pending, 0);
    all.set(pcm, this.#pending.length);
    const out: Buffer[] = [];
    let at = 0;
    for (; at + frame <= all.length; at += frame) {
      const startTs = (this.#pendingTs + at * inTicksPerSample) >>> 0;
      const payload = this.#encoder.encode(all.subarray(at, at + frame));
      const timestamp = this.mapTimestamp(startTs, outRate);
      out.push(this.packet(payload, this.to.payloadType, timestamp, marker && at === 0));
    }
    this.#pending = all.slice(at);
    this.#pendingTs = (this.#pendingTs + at * inTicksPerSample) >>> 0;
    return out;
  }

  /** A packet of this direction's own stream: its SSRC and next sequence number. */
  packet(payload: Buffer, payloadType: number, timestamp: number, marker: boolean): Buffer {
    const out = Buffer.allocUnsafe(RTP_FIXED_HEADER_LENGTH + payload.length);
    out[0] = 0x80;
    out[1] = (marker ? 0x80 : 0) | payloadType;
    this.#seq = (this.#seq + 1) & 0xffff;
    out.writeUInt16BE(this.#seq, 2);
    out.writeUInt32BE(timestamp, 4);
    out.writeUInt32BE(this.ssrc, 8);
    payload.copy(out, RTP_FIXED_HEADER_LENGTH);
    return out;
  }
}

/**
 * One direction of a bridged call (caller to callee or back) between sides that negotiated
 * different formats: a packet in a codec the receiver also negotiated keeps its payload and gets
 * the receiver's payload type (the common case: G.711 on both sides, only SRTP differs); any
 * other codec is decoded and encoded to the receiver's first codec in a stream of its own
 * (SSRC, sequence numbers, timestamps in the receiver's clock). Telephone-events (RFC 4733) go
 * to the receiver's telephone-event type: as they are when its clock matches and the audio
 * passes through, else re-stamped in the transcoded stream with the duration rescaled.
 */
export class StreamTranslator {
  readonly #routes: (SourceRoute | undefined)[] = new Array<SourceRoute | undefined>(128);
  readonly #target: readonly AudioFormat[];
  readonly #firstCodec: AudioFormat | undefined;
  readonly #codecs: CodecFactory;
  readonly counters: TranslationCounters;
  #transcoding: Transcoding | null = null;
  /** Whether the sender's latest audio was transcoded: its events follow the same path. */
  #transcodingActive = false;

  constructor(
    source: readonly AudioFormat[],
    target: readonly AudioFormat[],
    counters: TranslationCounters = new TranslationCounters(),
    codecs: CodecFactory = createAudioCodec,
  ) {
    for (const format of source) {
      const event = isTelephoneEvent(format.encoding);
      const clock = clockRateOf(format.encoding);
      const same = event
        ? telephoneEventAt(target, clock)
        : target.find((t) => t.encoding === format.encoding);
      this.#routes[format.payloadType] = { format, event, clock, same };
    }
    this.#target = target;
    this.#firstCodec = target.find((f) => AUDIO_CODECS.includes(f.encoding));
    this.#codecs = codecs;
    this.counters = counters;
  }

  /** True when every packet keeps its payload: RTCP may then pass through too. */
  get passthroughOnly(): boolean {
    return this.#routes.every(
      (route) =>
        route === undefined ||
        this.#target.some(
          (t) =>
            t.encoding === route.format.encoding || (route.event && isTelephoneEvent(t.encoding)),
        ),
    );
  }

  /**
   * Translates one RTP packet (rewriting `packet` in place when it passes through); returns
   * the packets for the receiver. Never throws for a packet's content.
   */
  translate(packet: Buffer): Buffer[] {
    const headerLength = rtpHeaderLength(packet);
    // A header with no payload after it carries nothing for the receiver.
    const route =
      headerLength < 0 || headerLength === packet.length
        ? undefined
        : this.#routes[packet[1] & 0x7f];
    if (route === undefined) return this.#drop();
    if (route.event) return this.#event(packet, route, headerLength);
    const same = route.same;
    if (same !== undefined) {
      this.#transcodingActive = false;
      packet[1] = (packet[1] & 0x80) | same.payloadType;
      this.counters.passedThrough++;
      return [packet];
    }
    const to = this.#firstCodec;
    if (to === undefined) return this.#drop();
    const from = route.format.encoding;
    if (this.#transcoding === null || this.#transcoding.from !== from) {
      this.#transcoding = new Transcoding(from, to, this.#codecs);
    }
    this.#transcodingActive = true;
    const out = this.#transcoding.audio(packet, headerLength);
    this.counters.transcoded += out.length;
    return out;
  }

  #event(packet: Buffer, route: SourceRoute, headerLength: number): Buffer[] {
    const clock = route.clock;
    const transcoding = this.#transcodingActive ? this.#transcoding : null;
    if (transcoding === null) {
      const same = route.same;
      if (same === undefined) return this.#drop();
      packet[1] = (packet[1] & 0x80) | same.payloadType;
      this.counters.events++;
      return [packet];
    }
    const outClock = clockRateOf(transcoding.to.encoding);
    const target =
      telephoneEventAt(this.#target, outClock) ??
      this.#target.find((t) => isTelephoneEvent(t.encoding));
    if (target === undefined) return this.#drop();
    const targetClock = clockRateOf(target.encoding);
    const out = transcoding.packet(
      packet.subarray(headerLength),
      target.payloadType,
      transcoding.mapTimestamp(packet.readUInt32BE(4), targetClock),
      (packet[1] & 0x80) !== 0,
    );
    // Each 4-octet event block's duration is in the sender's clock (RFC 4733 §2.3.5).
    for (let at = RTP_FIXED_HEADER_LENGTH; at + 4 <= out.length; at += 4) {
      const duration = Math.round((out.readUInt16BE(at + 2) * targetClock) / clock);
      out.writeUInt16BE(Math.min(duration, 0xffff), at + 2);
    }
    this.counters.events++;
    return [out];
  }

  #drop(): Buffer[] {
    this.counters.dropped++;
    return [];
  }
}
