import { Registry } from 'prom-client';
import { HmacNonceService, InMemoryNonceCountTracker, type Peer } from '@pbx/sip';
import { InMemoryDeviceDirectory } from '../directory/in-memory-device-directory';
import { aDevice, aRequest, DOMAIN, PHONE, T0 } from '../registrar/registrar.spec-helper';
import { AuthThrottle } from './auth-throttle';
import { DigestAuthenticator } from './digest-authenticator';

function anAuthenticator(): DigestAuthenticator {
  const now = (): number => T0;
  const directory = new InMemoryDeviceDirectory();
  directory.put(aDevice('1001'));
  return new DigestAuthenticator({
    directory,
    nonces: new HmacNonceService({ secrets: { current: Buffer.alloc(32, 7) }, now }),
    nonceCounts: new InMemoryNonceCountTracker(),
    throttle: new AuthThrottle({ now, registry: new Registry() }),
    clock: now,
    algorithms: ['MD5', 'SHA-256'],
    webSocketAlgorithms: ['SHA-256', 'MD5'],
  });
}

const algorithmsOf = (headers: readonly string[]): string[] =>
  headers.map((h) => /algorithm=([\w-]+)/.exec(h)?.[1] ?? '?');

describe(DigestAuthenticator.name, () => {
  const overWebSocket: Peer = { protocol: 'wss', address: '198.51.100.7', port: 50123 };

  it('orders the challenges per transport: MD5 last over WebSocket, where browser libraries answer the last', async () => {
    const authenticator = anAuthenticator();
    const target = { domain: DOMAIN, proxy: false };
    const udp = await authenticator.authenticate(aRequest(), PHONE, target);
    const ws = await authenticator.authenticate(aRequest(), overWebSocket, target);
    expect(udp.ok || algorithmsOf(udp.response.headers.getAll('WWW-Authenticate'))).toEqual([
      'MD5',
      'SHA-256',
    ]);
    expect(ws.ok || algorithmsOf(ws.response.headers.getAll('WWW-Authenticate'))).toEqual([
      'SHA-256',
      'MD5',
    ]);
    const stateless = authenticator.challengeWithoutCredentials(
      aRequest().message as Parameters<DigestAuthenticator['challengeWithoutCredentials']>[0],
      overWebSocket,
      target,
      'tag1',
    );
    expect(algorithmsOf(stateless?.headers.getAll('WWW-Authenticate') ?? [])).toEqual([
      'SHA-256',
      'MD5',
    ]);
  });
});
