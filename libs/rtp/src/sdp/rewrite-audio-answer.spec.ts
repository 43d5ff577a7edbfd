import { MediaErrorCode } from '@pbx/telephony';
import type { AudioNegotiation } from './audio-media';
import { negotiateAudioAnswer } from './rewrite-audio-answer';
import { negotiateAudioOffer } from './rewrite-audio-offer';
import { serializeSdp } from './sdp-document';
import { ALICE_HEAD, linesOf, rewriteAnswer, sdp } from './sdp-test-builders.spec-helper';

const BOB_HEAD = [
  'v=0',
  'o=bob 2808844564 2808844564 IN IP4 198.51.100.9',
  's=-',
  'c=IN IP4 198.51.100.9',
  't=0 0',
];
const CALLER_SIDE = { address: '203.0.113.5', rtpPort: 30002, rtcpPort: 30003 };

function offered(...media: string[]): AudioNegotiation {
  return negotiateAudioOffer(sdp(...ALICE_HEAD, ...media)).negotiation;
}

describe(negotiateAudioAnswer.name, () => {
  const offer = offered(
    'm=audio 49170 RTP/AVP 0 8 101',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'm=video 51372 RTP/AVP 99',
    'a=rtpmap:99 h263-1998/90000',
  );

  it('keeps the offered formats the answer chose, and refuses the other stream again', () => {
    const rewrite = rewriteAnswer(
      sdp(
        ...BOB_HEAD,
        'm=audio 3456 RTP/AVP 8 101 9',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=rtpmap:9 G722/8000',
        'a=ptime:20',
        'm=video 0 RTP/AVP 99',
      ),
      offer,
      CALLER_SIDE,
    );
    expect(linesOf(serializeSdp(rewrite.document))).toEqual([
      'v=0',
      'o=bob 2808844564 2808844564 IN IP4 198.51.100.9',
      's=-',
      'c=IN IP4 203.0.113.5',
      't=0 0',
      'm=audio 30002 RTP/AVP 8 101',
      'c=IN IP4 203.0.113.5',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      'a=ptime:20',
      'a=sendrecv',
      'm=video 0 RTP/AVP 99',
    ]);
    expect(rewrite.remote).toEqual({
      rtp: { address: '198.51.100.9', port: 3456 },
      rtcp: { address: '198.51.100.9', port: 3457 },
      direction: 'sendrecv',
      payloadTypes: [8, 101],
    });
  });

  it('drops a telephone-event answered under another payload type, since payload types are not translated', () => {
    const rewrite = rewriteAnswer(
      sdp(
        ...BOB_HEAD,
        'm=audio 3456 RTP/AVP 0 100',
        'a=rtpmap:100 telephone-event/8000',
        'm=video 0 RTP/AVP 99',
      ),
      offer,
      CALLER_SIDE,
    );
    expect(rewrite.remote.payloadTypes).toEqual([0]);
  });

  it('answers hold: recvonly to a sendonly offer, and c=0.0.0.0 as inactive', () => {
    const recvonly = rewriteAnswer(
      sdp(...BOB_HEAD, 'm=audio 3456 RTP/AVP 0', 'a=recvonly', 'm=video 0 RTP/AVP 99'),
      offer,
      CALLER_SIDE,
    );
    expect(recvonly.remote.direction).toBe('recvonly');
    const zero = rewriteAnswer(
      sdp(
        'v=0',
        'o=bob 1 1 IN IP4 0.0.0.0',
        's=-',
        'c=IN IP4 0.0.0.0',
        't=0 0',
        'm=audio 3456 RTP/AVP 0',
        'a=recvonly',
        'm=video 0 RTP/AVP 99',
      ),
      offer,
      CALLER_SIDE,
    );
    expect(zero.remote).toMatchObject({ rtp: null, direction: 'inactive' });
    expect(linesOf(serializeSdp(zero.document))).toContain('a=inactive');
  });

  it.each([
    [
      'it chose no offered G.711 format',
      ['m=audio 3456 RTP/AVP 18 101', 'a=rtpmap:101 telephone-event/8000', 'm=video 0 RTP/AVP 99'],
    ],
    [
      'it maps payload type 0 to another codec',
      ['m=audio 3456 RTP/AVP 0', 'a=rtpmap:0 G722/8000', 'm=video 0 RTP/AVP 99'],
    ],
    ['it refuses the audio stream', ['m=audio 0 RTP/AVP 0', 'm=video 0 RTP/AVP 99']],
  ])('refuses an answer when %s: NoCommonCodec', (_name, media) => {
    expect(() => negotiateAudioAnswer(sdp(...BOB_HEAD, ...media), offer)).toThrow(
      expect.objectContaining({ code: MediaErrorCode.NoCommonCodec }),
    );
  });

  it.each([
    ['a different number of m= lines', ['m=audio 3456 RTP/AVP 0']],
    ['video where audio was offered', ['m=video 3456 RTP/AVP 0', 'm=audio 0 RTP/AVP 99']],
  ])('refuses an answer with %s: BadSdp', (_name, media) => {
    expect(() => negotiateAudioAnswer(sdp(...BOB_HEAD, ...media), offer)).toThrow(
      expect.objectContaining({ code: MediaErrorCode.BadSdp }),
    );
  });
});
