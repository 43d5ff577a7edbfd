import { parseSdp } from './sdp-document';
import { SdpOriginator } from './sdp-originator';
import { sdp } from './sdp-test-builders.spec-helper';

const body = (port: number): ReturnType<typeof parseSdp> =>
  parseSdp(
    sdp(
      'v=0',
      'o=alice 7 99 IN IP4 192.0.2.1',
      's=-',
      'c=IN IP4 203.0.113.5',
      't=0 0',
      `m=audio ${port} RTP/AVP 0`,
    ),
  );

describe(SdpOriginator.name, () => {
  it('writes its own origin, and raises the version only when the description changes (RFC 3264 §8)', () => {
    const originator = new SdpOriginator('203.0.113.5', '4242000017');
    const origins = [body(30000), body(30000), body(30002)].map(
      (document) => originator.stamp(document).split('\r\n')[1],
    );
    expect(origins).toEqual([
      'o=- 4242000017 17 IN IP4 203.0.113.5',
      'o=- 4242000017 17 IN IP4 203.0.113.5',
      'o=- 4242000017 18 IN IP4 203.0.113.5',
    ]);
  });
});
