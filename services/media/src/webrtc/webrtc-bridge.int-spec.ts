import { type RtpPacket } from 'werift';
import { decodeG711, encodeG711, parseTelephoneEvent, writeTelephoneEvent } from '@pbx/rtp';
import type { MediaEndReason, MediaSession } from '@pbx/telephony';
import { FakePhone, randomPortBase } from '../relay/fake-phone.spec-helper';
import { RtpRelayMediaControl } from '../relay/rtp-relay-media-control';
import { createAudioCodec } from '../transcoding/audio-codec';
import { OPUS_ONLY_CODECS, WeriftBrowser } from './werift-browser.spec-helper';

const base = randomPortBase();

function tone(samples: number, offset: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (offset + i)) / 8000)),
  );
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return Math.sqrt(sum / Math.max(1, pcm.length));
}

function pcmu(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  encodeG711('pcmu', samples, out);
  return out;
}

/** The audio port the platform wrote into an SDP for the phone. */
function portOf(sdp: string): number {
  return Number(/^m=audio (\d+) /m.exec(sdp)?.[1]);
}

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('WebRTC legs of the media service', () => {
  let control: RtpRelayMediaControl;
  let phone: FakePhone;
  let browser: WeriftBrowser;

  beforeEach(async () => {
    control = new RtpRelayMediaControl({
      rtpPorts: { start: base, end: base + 19 },
      mediaHost: '127.0.0.1',
      mediaPublicIp: '127.0.0.1',
      rtpTimeoutS: 60,
      webrtcCandidates: ['127.0.0.1'],
    });
    phone = await FakePhone.open();
  });

  afterEach(async () => {
    await browser?.close();
    await control.closeAll();
    await phone.close();
  });

  /** A browser calls the phone: its offer in, the phone's answer back. */
  async function browserCallsPhone(
    codecs?: typeof OPUS_ONLY_CODECS,
  ): Promise<{ session: MediaSession; toPhone: number }> {
    browser = new WeriftBrowser(codecs);
    const session = control.createSession('webrtc-call');
    const phoneOffer = await session.offer('caller', await browser.offer());
    expect(phoneOffer).toMatch(/^m=audio \d+ RTP\/AVP /m);
    const answer = await session.answer('callee', phone.sdp());
    expect(answer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m);
    expect(answer).toMatch(/^a=setup:passive\r$/m);
    await browser.accept(answer);
    await browser.connected();
    return { session, toPhone: portOf(phoneOffer) };
  }

  it('bridges a browser and a phone on G.711: SRTP on one side, plain RTP on the other, both ways', async () => {
    const { session, toPhone } = await browserCallsPhone();
    // The phone speaks first so that its source is latched.
    for (let i = 0; i < 50; i++) phone.rtp.send(phone.audio(i), toPhone);
    await until(() => browser.received.length >= 50, 'the phone audio at the browser');
    expect(browser.received.every((p: RtpPacket) => p.header.payloadType === 0)).toBe(true);
    expect(browser.received.map((p) => p.payload[0])).toEqual([...Array(50).keys()]);
    for (let i = 0; i < 50; i++) await browser.send(0, Buffer.alloc(160, i), 160 * i);
    const heard = await phone.rtp.waitFor(50);
    expect(heard.every((r) => r.packet[1] === 0 && r.packet.length === 172)).toBe(true);
    expect(heard.map((r) => r.packet[12])).toEqual([...Array(50).keys()]);
    expect(session.stats().fromCaller.packets).toBe(50);
    expect(session.stats().fromCallee.packets).toBe(50);
    expect(control.status().webrtc.dtlsConnected).toBe(1);
    expect(control.status().translation.transcoded).toBe(0);
  });

  it('passes RFC 4733 telephone-events both ways, mapping their payload types', async () => {
    const { toPhone } = await browserCallsPhone();
    phone.rtp.send(phone.audio(0), toPhone);
    await until(() => browser.received.length >= 1, 'the first packet at the browser');
    const event = Buffer.alloc(4);
    writeTelephoneEvent(event, 0, { event: 5, end: false, volume: 10, duration: 160 });
    await browser.send(126, event, 8000, true);
    const [fromBrowser] = await phone.rtp.waitFor(1);
    expect(fromBrowser.packet[1] & 0x7f).toBe(101);
    expect(parseTelephoneEvent(fromBrowser.packet, 12)).toMatchObject({ event: 5, duration: 160 });
    const dtmf = phone.audio(0, 101);
    writeTelephoneEvent(dtmf, 12, { event: 9, end: true, volume: 10, duration: 800 });
    phone.rtp.send(dtmf.subarray(0, 16), toPhone);
    await until(
      () => browser.received.some((p) => p.header.payloadType === 126),
      'the event at the browser',
    );
    const got = browser.received.find((p) => p.header.payloadType === 126)!;
    expect(parseTelephoneEvent(got.payload)).toMatchObject({ event: 9, end: true, duration: 800 });
  });

  it('transcodes a browser that offers only Opus: a tone crosses both ways', async () => {
    const { toPhone } = await browserCallsPhone(OPUS_ONLY_CODECS);
    for (let i = 0; i < 25; i++) {
      const packet = phone.audio(0);
      pcmu(tone(160, 160 * i)).copy(packet, 12);
      phone.rtp.send(packet, toPhone);
    }
    await until(() => browser.received.length >= 20, 'Opus frames at the browser');
    expect(browser.received.every((p) => p.header.payloadType === 111)).toBe(true);
    const decoder = createAudioCodec('opus/48000');
    const decoded = browser.received.map((p) => decoder.decode(p.payload));
    expect(rms(decoded[decoded.length - 1])).toBeGreaterThan(2000);
    const encoder = createAudioCodec('opus/48000');
    for (let i = 0; i < 25; i++)
      await browser.send(111, encoder.encode(tone(160, 160 * i)), 960 * i);
    const heard = await phone.rtp.waitFor(25);
    const pcm = new Int16Array(160);
    decodeG711(heard[24].packet[1] === 8 ? 'pcma' : 'pcmu', heard[24].packet.subarray(12), pcm);
    expect(rms(pcm)).toBeGreaterThan(2000);
    expect(control.status().translation.transcoded).toBeGreaterThanOrEqual(45);
  });

  it('calls a browser from a phone, holds it with sendonly on the same DTLS association, and resumes', async () => {
    browser = new WeriftBrowser();
    const session = control.createSession('to-browser');
    const browserOffer = await session.offer('caller', phone.sdp(), { to: 'webrtc' });
    expect(browserOffer).toMatch(/^a=setup:actpass\r$/m);
    expect(browserOffer).toMatch(/^a=ice-lite\r$/m);
    const phoneAnswer = await session.answer('callee', await browser.answer(browserOffer));
    await browser.connected();
    const toPhone = portOf(phoneAnswer);
    phone.rtp.send(phone.audio(1), toPhone);
    await until(() => browser.received.length >= 1, 'audio at the called browser');
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(browserOffer)?.[1];
    // Hold (RFC 3264 §8.4): the phone's re-offer reaches the browser as sendonly.
    const holdOffer = await session.offer('caller', phone.sdp('sendonly'));
    expect(holdOffer).toMatch(/^a=sendonly\r$/m);
    expect(holdOffer).toContain(`a=ice-ufrag:${ufrag}\r\n`);
    expect(holdOffer).toMatch(/^a=setup:passive\r$/m);
    expect(await session.answer('callee', await browser.answer(holdOffer))).toMatch(
      /^a=recvonly\r$/m,
    );
    phone.rtp.send(phone.audio(2), toPhone);
    await until(() => browser.received.length >= 2, 'audio on hold (music on hold flows)');
    await session.answer(
      'callee',
      await browser.answer(await session.offer('caller', phone.sdp())),
    );
    phone.rtp.send(phone.audio(3), toPhone);
    await until(() => browser.received.length >= 3, 'audio after resume');
    expect(control.status().webrtc.dtlsConnected).toBe(1);
  });

  it('offers one alternative per kind to forks; the browser answers and the phone alternative is released', async () => {
    browser = new WeriftBrowser();
    const session = control.createSession('forked');
    const toPhone = await session.offer('caller', phone.sdp(), { to: 'rtp' });
    const toBrowser = await session.offer('caller', phone.sdp(), { to: 'webrtc' });
    expect(toPhone).toMatch(/RTP\/AVP/);
    expect(toBrowser).toMatch(/UDP\/TLS\/RTP\/SAVPF/);
    expect(await session.offer('caller', phone.sdp(), { to: 'webrtc' })).toBe(toBrowser);
    expect(control.status().portPairsInUse).toBe(2);
    const browserAnswer = await browser.answer(toBrowser);
    await session.answer('callee', browserAnswer, { provisional: true });
    expect(control.status().portPairsInUse).toBe(3);
    await session.answer('callee', browserAnswer);
    expect(control.status().portPairsInUse).toBe(2);
    await browser.connected();
  });

  it('ends the call when the browser certificate does not match its SDP fingerprint', async () => {
    browser = new WeriftBrowser();
    const session = control.createSession('forged');
    const ended: MediaEndReason[] = [];
    session.onEnded((reason) => ended.push(reason));
    const offer = (await browser.offer()).replace(
      /^a=fingerprint:sha-256 ([0-9A-F:]+)/m,
      (_line, value: string) =>
        `a=fingerprint:sha-256 ${value.startsWith('00') ? '11' : '00'}${value.slice(2)}`,
    );
    await session.offer('caller', offer);
    await browser.accept(await session.answer('callee', phone.sdp()));
    await until(() => ended.length > 0, 'the session to end');
    expect(ended).toEqual(['webrtc-failed']);
    expect(control.status().webrtc.dtlsFailed).toBe(1);
  });
});
