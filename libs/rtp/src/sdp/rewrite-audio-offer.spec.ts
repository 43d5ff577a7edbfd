import { MediaError, MediaErrorCode } from '@pbx/telephony';
import { negotiateAudioOffer } from './rewrite-audio-offer';
import { serializeSdp } from './sdp-document';
import { ALICE_HEAD, LOCAL, linesOf, rewriteOffer, sdp } from './sdp-test-builders.spec-helper';

function errorOf(run: () => unknown): MediaError {
  try {
    run();
  } catch (error) {
    if (error instanceof MediaError) return error;
    throw error;
  }
  throw new Error('expected a MediaError');
}

describe(negotiateAudioOffer.name, () => {
  it('keeps PCMU, PCMA and telephone-event, and drops G.729 and Opus with their attributes', () => {
    const offer = sdp(
      ...ALICE_HEAD,
      'm=audio 49170 RTP/AVP 111 0 18 8 101 96',
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:18 G729/8000',
      'a=fmtp:18 annexb=no',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-16',
      'a=rtpmap:96 telephone-event/48000',
      'a=ptime:20',
      'a=maxptime:40',
    );
    const rewrite = rewriteOffer(offer, LOCAL);
    expect(linesOf(serializeSdp(rewrite.document))).toEqual([
      'v=0',
      'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
      's=-',
      'c=IN IP4 203.0.113.5',
      't=0 0',
      'm=audio 30000 RTP/AVP 0 8 101',
      'c=IN IP4 203.0.113.5',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-16',
      'a=ptime:20',
      'a=maxptime:40',
      'a=sendrecv',
    ]);
    expect(rewrite.remote).toEqual({
      rtp: { address: '192.0.2.101', port: 49170 },
      rtcp: { address: '192.0.2.101', port: 49171 },
      direction: 'sendrecv',
      payloadTypes: [0, 8, 101],
    });
    expect([...rewrite.negotiation.codecs]).toEqual([
      [0, 'pcmu/8000'],
      [8, 'pcma/8000'],
      [101, 'telephone-event/8000'],
    ]);
  });

  it('keeps static G.711 without rtpmap, but not a static payload type mapped to something else', () => {
    const rewrite = rewriteOffer(
      sdp(...ALICE_HEAD, 'm=audio 49170 RTP/AVP 8 0', 'a=rtpmap:0 G722/8000'),
      LOCAL,
    );
    expect(rewrite.remote.payloadTypes).toEqual([8]);
  });

  it('drops ICE, SDES crypto, DTLS, rtcp-mux and feedback lines, and points a=rtcp at the platform', () => {
    const offer = sdp(
      'v=0',
      'o=- 1 1 IN IP4 10.0.0.7',
      's=-',
      't=0 0',
      'a=ice-lite',
      'a=group:BUNDLE 0',
      'm=audio 5004 RTP/AVP 0',
      'c=IN IP4 10.0.0.7',
      'b=AS:80',
      'a=mid:0',
      'a=rtcp:5010 IN IP4 10.0.0.8',
      'a=rtcp-mux',
      'a=ice-ufrag:abcd',
      'a=ice-pwd:0123456789abcdef012345',
      'a=candidate:1 1 UDP 2130706431 10.0.0.7 5004 typ host',
      'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz',
      'a=fingerprint:sha-256 AA:BB',
      'a=setup:actpass',
      'a=rtcp-fb:0 nack',
      'a=sendrecv',
    );
    const rewrite = rewriteOffer(offer, LOCAL);
    expect(linesOf(serializeSdp(rewrite.document))).toEqual([
      'v=0',
      'o=- 1 1 IN IP4 10.0.0.7',
      's=-',
      'c=IN IP4 203.0.113.5',
      't=0 0',
      'm=audio 30000 RTP/AVP 0',
      'c=IN IP4 203.0.113.5',
      'b=AS:80',
      'a=mid:0',
      'a=rtcp:30001 IN IP4 203.0.113.5',
      'a=sendrecv',
    ]);
    expect(rewrite.remote.rtcp).toEqual({ address: '10.0.0.8', port: 5010 });
  });

  it.each([
    ['sendonly', 'sendonly'],
    ['recvonly', 'recvonly'],
    ['inactive', 'inactive'],
  ])('passes a=%s through, at media level (RFC 3264 §8.4 hold)', (attribute, expected) => {
    const rewrite = rewriteOffer(
      sdp(...ALICE_HEAD, `a=${attribute}`, 'm=audio 49170 RTP/AVP 0'),
      LOCAL,
    );
    const lines = linesOf(serializeSdp(rewrite.document));
    expect(lines.filter((line) => /^a=(send|recv|inactive)/.test(line))).toEqual([`a=${expected}`]);
    expect(lines[lines.length - 1]).toBe(`a=${expected}`);
    expect(rewrite.remote.direction).toBe(expected);
  });

  it('takes c=0.0.0.0 for RFC 2543 hold: nothing is sent to that side, the other side sees sendonly', () => {
    const rewrite = rewriteOffer(
      sdp(
        'v=0',
        'o=- 1 2 IN IP4 192.0.2.1',
        's=-',
        'c=IN IP4 0.0.0.0',
        't=0 0',
        'm=audio 49170 RTP/AVP 0',
      ),
      LOCAL,
    );
    expect(rewrite.remote).toMatchObject({ rtp: null, rtcp: null, direction: 'sendonly' });
    const lines = linesOf(serializeSdp(rewrite.document));
    expect(lines).toContain('c=IN IP4 203.0.113.5');
    expect(lines).not.toContain('c=IN IP4 0.0.0.0');
    expect(lines[lines.length - 1]).toBe('a=sendonly');
  });

  it('relays the first plain audio stream and refuses the others with port 0', () => {
    const rewrite = rewriteOffer(
      sdp(
        ...ALICE_HEAD,
        'm=audio 49168 RTP/SAVP 0',
        'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz',
        'm=audio 49170 RTP/AVP 0',
        'm=video 51372 RTP/AVP 99',
        'a=rtpmap:99 h263-1998/90000',
      ),
      LOCAL,
    );
    const lines = linesOf(serializeSdp(rewrite.document));
    expect(lines.filter((line) => line.startsWith('m='))).toEqual([
      'm=audio 0 RTP/SAVP 0',
      'm=audio 30000 RTP/AVP 0',
      'm=video 0 RTP/AVP 99',
    ]);
    expect(lines.some((line) => line.includes('crypto') || line.includes('h263'))).toBe(false);
    expect(rewrite.negotiation).toMatchObject({ mediaCount: 3, audioIndex: 1 });
  });

  it('refuses an offer with no G.711 format: NoCommonCodec', () => {
    const error = errorOf(() =>
      negotiateAudioOffer(
        sdp(
          ...ALICE_HEAD,
          'm=audio 49170 RTP/AVP 18 101',
          'a=rtpmap:18 G729/8000',
          'a=rtpmap:101 telephone-event/8000',
        ),
      ),
    );
    expect(error.code).toBe(MediaErrorCode.NoCommonCodec);
    expect(error.message).toContain('18 101');
  });

  it.each([
    ['an empty body', ''],
    ['a body that is not SDP', 'INVITE sip:bob@example.com SIP/2.0\r\n'],
    ['no v=0 first', sdp('o=- 1 1 IN IP4 192.0.2.1', 'v=0', 's=-', 'm=audio 1 RTP/AVP 0')],
    [
      'an o= line of five fields',
      sdp('v=0', 'o=- 1 1 IN IP4', 's=-', 'c=IN IP4 192.0.2.1', 'm=audio 1 RTP/AVP 0'),
    ],
    ['a malformed m= line', sdp(...ALICE_HEAD, 'm=audio x RTP/AVP 0')],
    ['a port above 65535', sdp(...ALICE_HEAD, 'm=audio 70000 RTP/AVP 0')],
    [
      'a host name in c=',
      sdp('v=0', 'o=- 1 1 IN IP4 a', 's=-', 'c=IN IP4 pbx.example.com', 'm=audio 4000 RTP/AVP 0'),
    ],
    ['no c= at all', sdp('v=0', 'o=- 1 1 IN IP4 a', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0')],
    ['no audio stream', sdp(...ALICE_HEAD, 'm=video 4000 RTP/AVP 99')],
    ['only a refused audio stream', sdp(...ALICE_HEAD, 'm=audio 0 RTP/AVP 0')],
    ['only WebRTC audio', sdp(...ALICE_HEAD, 'm=audio 9 UDP/TLS/RTP/SAVPF 0')],
    ['a broken a=rtcp', sdp(...ALICE_HEAD, 'm=audio 4000 RTP/AVP 0', 'a=rtcp:port')],
    ['a line without =', sdp(...ALICE_HEAD, 'm=audio 4000 RTP/AVP 0', 'garbage')],
  ])('refuses %s: BadSdp', (_name, body) => {
    expect(errorOf(() => negotiateAudioOffer(body)).code).toBe(MediaErrorCode.BadSdp);
  });

  it('negotiates without ports, then renders through the ports of whichever leg takes it', () => {
    const negotiated = negotiateAudioOffer(
      sdp(...ALICE_HEAD, 'm=audio 49170 RTP/AVP 0', 'a=rtcp:49171'),
    );
    const portLines = (rtpPort: number): string[] =>
      linesOf(
        serializeSdp(negotiated.render({ address: LOCAL.address, rtpPort, rtcpPort: rtpPort + 1 })),
      ).filter((line) => line.startsWith('m=') || line.startsWith('a=rtcp'));
    expect(portLines(30000)).toEqual(['m=audio 30000 RTP/AVP 0', 'a=rtcp:30001']);
    expect(portLines(30100)).toEqual(['m=audio 30100 RTP/AVP 0', 'a=rtcp:30101']);
  });

  it('reads a body with bare LF line endings', () => {
    const rewrite = rewriteOffer([...ALICE_HEAD, 'm=audio 49170 RTP/AVP 0', ''].join('\n'), LOCAL);
    expect(rewrite.remote.rtp).toEqual({ address: '192.0.2.101', port: 49170 });
  });
});
