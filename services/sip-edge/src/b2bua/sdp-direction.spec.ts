import { isHoldOffer, sdpDirection } from './sdp-direction';

const base = (extra: string, conn = '127.0.0.1'): string =>
  `v=0\r\no=- 1 1 IN IP4 ${conn}\r\ns=-\r\nc=IN IP4 ${conn}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n${extra}`;

describe(sdpDirection.name, () => {
  it('defaults to sendrecv', () => expect(sdpDirection(base(''))).toBe('sendrecv'));
  it('reads the media-level attribute', () => {
    expect(sdpDirection(base('a=sendonly\r\n'))).toBe('sendonly');
    expect(isHoldOffer(base('a=inactive\r\n'))).toBe(true);
    expect(isHoldOffer(base('a=recvonly\r\n'))).toBe(false);
  });
  it('treats c=0.0.0.0 (RFC 2543 hold) as inactive', () => {
    expect(sdpDirection(base('', '0.0.0.0'))).toBe('inactive');
  });
  it('falls back to the session-level attribute', () => {
    expect(sdpDirection('v=0\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n')).toBe('sendonly');
  });
});
