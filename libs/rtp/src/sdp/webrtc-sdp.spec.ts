import { MediaErrorCode } from '@pbx/telephony';
import { parseAudioDescription } from './audio-description';
import { buildAudioSdp, type LocalAudioStream } from './build-audio-sdp';
import { acceptedFormats, formatsForAnswer, formatsForOffer } from './format-choice';
import { serializeSdp } from './sdp-document';
import { ALICE_HEAD, linesOf, sdp } from './sdp-test-builders.spec-helper';

/** An offer as headless Chromium 156 makes it (audio and a video stream, one bundle). */
const CHROME_OFFER = sdp(
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS stream',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:3568346336 1 udp 2122194687 127.0.0.1 34581 typ host generation 0',
  'a=candidate:706375796 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active generation 0',
  'a=candidate:1 1 udp 2122194687 3f1c2a.local 34582 typ host generation 0',
  'a=ice-ufrag:p213',
  'a=ice-pwd:0123456789abcdefghijklmn',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 1A:2B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09:1A:2B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=msid:stream track',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'c=IN IP4 0.0.0.0',
  'a=mid:1',
  'a=rtpmap:96 VP8/90000',
);

const WEBRTC_LOCAL: LocalAudioStream = {
  kind: 'webrtc',
  address: '203.0.113.5',
  rtpPort: 30000,
  formats: [],
  direction: 'sendrecv',
  secure: {
    iceUfrag: 'pbxA',
    icePwd: 'pbxpassword0123456789abc',
    candidates: [
      {
        foundation: '1',
        component: 1,
        priority: 2130706431,
        address: '203.0.113.5',
        port: 30000,
        type: 'host',
      },
    ],
    fingerprint: { algorithm: 'sha-256', value: 'AA:BB' },
    setup: 'passive',
    msid: 'pbx',
    ssrc: 12345678,
  },
};

describe(parseAudioDescription.name, () => {
  it('reads a browser offer: ICE, DTLS, the carried formats and the bundle', () => {
    const description = parseAudioDescription(CHROME_OFFER);
    expect(description.kind).toBe('webrtc');
    expect(description.formats.map((f) => `${f.payloadType} ${f.encoding}`)).toEqual([
      '111 opus/48000',
      '0 pcmu/8000',
      '8 pcma/8000',
      '110 telephone-event/48000',
      '126 telephone-event/8000',
    ]);
    expect(description.transport).toMatchObject({
      iceUfrag: 'p213',
      setup: 'actpass',
      iceLite: false,
      // The TCP and the mDNS candidates are skipped.
      candidates: [{ address: '127.0.0.1', port: 34581, type: 'host' }],
    });
    expect(description.transport?.fingerprints[0].algorithm).toBe('sha-256');
    expect(description).toMatchObject({ audioIndex: 0, mids: ['0', '1'], bundled: true });
    expect(description.remote.direction).toBe('sendrecv');
  });

  it('reads a phone offer as a plain RTP leg', () => {
    const description = parseAudioDescription(
      sdp(
        ...ALICE_HEAD,
        'm=audio 49170 RTP/AVP 8 0 101',
        'a=rtpmap:101 telephone-event/8000',
        'a=ptime:20',
      ),
    );
    expect(description).toMatchObject({ kind: 'rtp', ptime: 20, transport: undefined });
    expect(description.remote.rtp).toEqual({ address: '192.0.2.101', port: 49170 });
  });

  it.each([
    [
      'no ICE credentials',
      (s: string) => s.replace(/^a=ice-(ufrag|pwd):.*\r\n/gm, ''),
      MediaErrorCode.BadSdp,
    ],
    [
      'no fingerprint',
      (s: string) => s.replace(/^a=fingerprint:.*\r\n/m, ''),
      MediaErrorCode.BadSdp,
    ],
    ['no rtcp-mux', (s: string) => s.replace(/^a=rtcp-mux\r\n/m, ''), MediaErrorCode.BadSdp],
    [
      'a bad setup',
      (s: string) => s.replace('a=setup:actpass', 'a=setup:sideways'),
      MediaErrorCode.BadSdp,
    ],
    [
      'only G.722',
      (s: string) => s.replace('SAVPF 111 63 9 0 8 13 110 126', 'SAVPF 9'),
      MediaErrorCode.NoCommonCodec,
    ],
  ])('refuses a browser offer with %s', (_name, edit, code) => {
    expect(() => parseAudioDescription(edit(CHROME_OFFER))).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('refuses SDES-keyed SRTP with a message that says so', () => {
    expect(() =>
      parseAudioDescription(
        sdp(
          ...ALICE_HEAD,
          'm=audio 49170 RTP/SAVP 0',
          'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x',
        ),
      ),
    ).toThrow(/SDES-keyed RTP\/SAVP is not carried/);
  });
});

describe(buildAudioSdp.name, () => {
  it('answers a browser offer with ICE-lite, passive DTLS, the audio mid bundled and video refused', () => {
    const offer = parseAudioDescription(CHROME_OFFER);
    const formats = formatsForAnswer(
      offer.formats,
      formatsForOffer([{ payloadType: 0, encoding: 'pcmu/8000' }], 'rtp'),
    );
    const answer = serializeSdp(buildAudioSdp({ ...WEBRTC_LOCAL, formats }, offer));
    expect(linesOf(answer)).toEqual([
      'v=0',
      'o=- 0 0 IN IP4 203.0.113.5',
      's=-',
      'c=IN IP4 203.0.113.5',
      't=0 0',
      'a=ice-lite',
      'a=group:BUNDLE 0',
      'm=audio 30000 UDP/TLS/RTP/SAVPF 0',
      'c=IN IP4 203.0.113.5',
      'a=rtcp:30000 IN IP4 203.0.113.5',
      'a=candidate:1 1 udp 2130706431 203.0.113.5 30000 typ host',
      'a=end-of-candidates',
      'a=ice-ufrag:pbxA',
      'a=ice-pwd:pbxpassword0123456789abc',
      'a=fingerprint:sha-256 AA:BB',
      'a=setup:passive',
      'a=mid:0',
      'a=rtcp-mux',
      'a=rtpmap:0 PCMU/8000',
      'a=msid:pbx pbx-audio',
      'a=ssrc:12345678 cname:pbx',
      'a=sendrecv',
      'm=video 0 UDP/TLS/RTP/SAVPF 96',
      'a=mid:1',
    ]);
    // What the platform writes, it reads back as a WebRTC leg.
    expect(parseAudioDescription(answer)).toMatchObject({
      kind: 'webrtc',
    });
  });

  it('offers a plain RTP leg a single audio stream', () => {
    const document = buildAudioSdp({
      kind: 'rtp',
      address: '203.0.113.5',
      rtpPort: 30002,
      formats: formatsForOffer(parseAudioDescription(CHROME_OFFER).formats, 'rtp'),
      direction: 'sendonly',
      ptime: 20,
    });
    expect(linesOf(serializeSdp(document)).slice(5)).toEqual([
      'm=audio 30002 RTP/AVP 0 8 126',
      'c=IN IP4 203.0.113.5',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:126 telephone-event/8000',
      'a=fmtp:126 0-16',
      'a=ptime:20',
      'a=sendonly',
    ]);
  });
});

describe('format choice', () => {
  const phone = [
    { payloadType: 8, encoding: 'pcma/8000' },
    { payloadType: 101, encoding: 'telephone-event/8000' },
  ];

  it('offers a browser the phone G.711, Opus last, and events at both clocks', () => {
    expect(formatsForOffer(phone, 'webrtc').map((f) => `${f.payloadType} ${f.encoding}`)).toEqual([
      '8 pcma/8000',
      '111 opus/48000',
      '101 telephone-event/8000',
      '110 telephone-event/48000',
    ]);
  });

  it('offers a phone both laws for an Opus-only browser, to transcode', () => {
    const opusOnly = [{ payloadType: 111, encoding: 'opus/48000' }];
    expect(formatsForOffer(opusOnly, 'rtp').map((f) => f.encoding)).toEqual([
      'pcmu/8000',
      'pcma/8000',
    ]);
  });

  it('answers with the codecs both sides share, else with the offerer first codec', () => {
    const browser = parseAudioDescription(CHROME_OFFER).formats;
    expect(formatsForAnswer(browser, phone).map((f) => f.encoding)).toEqual([
      'pcma/8000',
      'telephone-event/48000',
      'telephone-event/8000',
    ]);
    const opusOnly = browser.filter((f) => f.encoding === 'opus/48000');
    expect(formatsForAnswer(opusOnly, phone).map((f) => f.encoding)).toEqual(['opus/48000']);
  });

  it('refuses an answer that kept no offered codec', () => {
    expect(() =>
      acceptedFormats(formatsForOffer(phone, 'webrtc'), [
        { payloadType: 9, encoding: 'g722/8000' },
      ]),
    ).toThrow(expect.objectContaining({ code: MediaErrorCode.NoCommonCodec }));
  });
});
