import { createHmac } from 'node:crypto';
import { iceServersFor } from './ice-servers';

const NOW = new Date('2026-11-25T12:00:00Z');
const URLS = ['turn:turn.example.com:3478', 'turns:turn.example.com:5349'];

describe(iceServersFor.name, () => {
  it('gives no ICE server without TURN URLs', () => {
    expect(iceServersFor({ turnTtlS: 3600 }, NOW)).toEqual([]);
  });

  it('passes static credentials as configured', () => {
    expect(
      iceServersFor(
        { turnUrls: URLS, turnUsername: 'u', turnCredential: 'c', turnTtlS: 3600 },
        NOW,
      ),
    ).toEqual([{ urls: URLS, username: 'u', credential: 'c' }]);
  });

  it('issues TURN REST credentials that expire after the TTL', () => {
    const [server] = iceServersFor(
      { turnUrls: URLS, turnSecret: 'north-wind', turnTtlS: 3600 },
      NOW,
    );
    const expiry = NOW.getTime() / 1000 + 3600;
    expect(server.username).toBe(`${expiry}:pbx`);
    // What coturn computes from its static-auth-secret to check the credential.
    expect(server.credential).toBe(
      createHmac('sha1', 'north-wind').update(`${expiry}:pbx`).digest('base64'),
    );
  });
});
