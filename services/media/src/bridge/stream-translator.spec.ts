import { type AudioFormat, decodeG711, encodeG711 } from '@pbx/rtp';
import { createAudioCodec } from '../transcoding/audio-codec';
import { StreamTranslator } from './stream-translator';

const PCMU: AudioFormat = { payloadType: 0, encoding: 'pcmu/8000' };
const PCMA: AudioFormat = { payloadType: 8, encoding: 'pcma/8000' };
const OPUS: AudioFormat = { payloadType: 111, encoding: 'opus/48000', channels: 2 };
const EVENT_8K = (pt: number): AudioFormat => ({
  payloadType: pt,
  encoding: 'telephone-event/8000',
});
const EVENT_48K = (pt: number): AudioFormat => ({
  payloadType: pt,
  encoding: 'telephone-event/48000',
});

function tone(samples: number, offset = 0): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (offset + i)) / 8000)),
  );
}

function rtp(pt: number, seq: number, ts: number, payload: Uint8Array, marker = false): Buffer {
  const packet = Buffer.alloc(12 + payload.length);
  packet[0] = 0x80;
  packet[1] = (marker ? 0x80 : 0) | pt;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(ts, 4);
  packet.writeUInt32BE(0xabcdef01, 8);
  packet.set(payload, 12);
  return packet;
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return Math.sqrt(sum / Math.max(1, pcm.length));
}

describe(StreamTranslator.name, () => {
  it('passes G.711 through with the receiver payload type, payload untouched', () => {
    const translator = new StreamTranslator([PCMU, EVENT_8K(126)], [PCMU, EVENT_8K(101)]);
    const payload = new Uint8Array(160).fill(0x55);
    const [out] = translator.translate(rtp(0, 1, 160, payload, true));
    expect(out[1]).toBe(0x80);
    expect(out.subarray(12)).toEqual(Buffer.from(payload));
    const [event] = translator.translate(rtp(126, 2, 160, Uint8Array.of(5, 0x0a, 0, 160)));
    expect(event[1] & 0x7f).toBe(101);
    expect(translator.passthroughOnly).toBe(true);
    expect(translator.counters).toMatchObject({ passedThrough: 1, events: 1, dropped: 0 });
  });

  it('drops a payload type the sender did not negotiate', () => {
    const translator = new StreamTranslator([PCMU], [PCMU]);
    expect(translator.translate(rtp(9, 1, 0, new Uint8Array(160)))).toEqual([]);
    expect(translator.translate(Buffer.alloc(5))).toEqual([]);
    expect(translator.counters.dropped).toBe(2);
  });

  it('converts µ-law to A-law in a stream of its own', () => {
    const translator = new StreamTranslator([PCMU], [PCMA]);
    const codes = new Uint8Array(160);
    encodeG711('pcmu', tone(160), codes);
    const [out] = translator.translate(rtp(0, 7, 1000, codes));
    expect(out[1] & 0x7f).toBe(8);
    expect(out.readUInt32BE(8)).not.toBe(0xabcdef01);
    const pcm = new Int16Array(160);
    decodeG711('pcma', out.subarray(12), pcm);
    expect(rms(pcm)).toBeGreaterThan(5000);
  });

  it('transcodes G.711 to Opus in 20 ms frames at the 48 kHz clock, whatever the packet time', () => {
    const translator = new StreamTranslator([PCMU], [OPUS]);
    const packets: Buffer[] = [];
    // Four 30 ms packets (240 samples) hold six 20 ms frames.
    for (let i = 0; i < 4; i++) {
      const codes = new Uint8Array(240);
      encodeG711('pcmu', tone(240, 240 * i), codes);
      packets.push(...translator.translate(rtp(0, 100 + i, 5000 + 240 * i, codes)));
    }
    expect(packets).toHaveLength(6);
    const stamps = packets.map((p) => p.readUInt32BE(4));
    for (let i = 1; i < stamps.length; i++) expect((stamps[i] - stamps[i - 1]) >>> 0).toBe(960);
    const decoder = createAudioCodec('opus/48000');
    const decoded = packets.map((p) => decoder.decode(p.subarray(12)));
    expect(decoded.every((pcm) => pcm.length === 160)).toBe(true);
    expect(rms(decoded[5])).toBeGreaterThan(2000);
  });

  it('transcodes Opus to G.711 and re-stamps a 48 kHz telephone-event at 8 kHz', () => {
    const encoder = createAudioCodec('opus/48000');
    const translator = new StreamTranslator([OPUS, EVENT_48K(110)], [PCMA, EVENT_8K(101)]);
    const out: Buffer[] = [];
    for (let i = 0; i < 5; i++) {
      out.push(
        ...translator.translate(rtp(111, i, 48000 + 960 * i, encoder.encode(tone(160, 160 * i)))),
      );
    }
    expect(out).toHaveLength(5);
    expect(out.every((p) => p.length === 12 + 160 && (p[1] & 0x7f) === 8)).toBe(true);
    const pcm = new Int16Array(160);
    decodeG711('pcma', out[4].subarray(12), pcm);
    expect(rms(pcm)).toBeGreaterThan(2000);
    // An event 960 ticks (20 ms) after the last frame lasts 2880 ticks (60 ms) at 48 kHz.
    const [event] = translator.translate(
      rtp(110, 5, 48000 + 960 * 5, Uint8Array.of(1, 0x0a, 0x0b, 0x40)),
    );
    expect(event[1] & 0x7f).toBe(101);
    expect(event.readUInt16BE(14)).toBe(480);
    expect((event.readUInt32BE(4) - out[4].readUInt32BE(4)) >>> 0).toBe(160);
    expect(event.readUInt32BE(8)).toBe(out[4].readUInt32BE(8));
  });
});
