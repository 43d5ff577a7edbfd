import { computeHa1 } from '@pbx/sip';
import type { IssueOptions, Principal } from '@pbx/platform';
import { AuthThrottle } from '../auth/auth-throttle';
import type { DeviceCredentials } from '../directory/device-credentials';
import { InMemoryDeviceDirectory } from '../directory/in-memory-device-directory';
import { PhoneSessionErrorCode } from './phone-session.error';
import { SourceRateLimit } from './source-rate-limit';
import { StartPhoneSession } from './start-phone-session';

const NOW = Date.parse('2026-11-25T10:00:00Z');

function device(
  over: Partial<DeviceCredentials> = {},
  password = 's3cret-Alice',
): DeviceCredentials {
  const username = over.username ?? 'alice';
  const realm = over.realm ?? 'acme.example';
  return {
    tenantId: 'tenant-1',
    groupId: 'acme',
    deviceId: `acme:${username}`,
    username,
    domain: 'acme.example',
    ownerExtension: '201',
    realm,
    ha1: {
      md5: computeHa1('MD5', username, realm, password),
      sha256: computeHa1('SHA-256', username, realm, password),
    },
    ...over,
  };
}

interface Issued {
  principal: Principal;
  label: string;
  ttlSeconds?: number;
  options?: IssueOptions;
}

function setup(devices: DeviceCredentials[] = [device()]) {
  const directory = new InMemoryDeviceDirectory();
  for (const d of devices) directory.put(d);
  const issued: Issued[] = [];
  let clock = 0;
  const useCase = new StartPhoneSession({
    devices: directory,
    tokens: {
      issue: async (principal, label, ttlSeconds, options) => {
        issued.push({ principal, label, ttlSeconds, options });
        return {
          id: `id-${issued.length}`,
          token: `pbx_token_${issued.length}`,
          expiresAt: new Date(NOW + (ttlSeconds ?? 0) * 1000),
        };
      },
    },
    throttle: new AuthThrottle({
      maxFailuresPerSource: 10,
      maxFailuresPerUser: 3,
      now: () => clock,
    }),
    rateLimit: new SourceRateLimit({ limit: 20, windowMs: 60_000, now: () => clock }),
    ttlSeconds: 900,
  });
  return { useCase, issued, advance: (ms: number) => (clock += ms) };
}

const ask = (username: string, password: string, source = '192.0.2.10') => ({
  username,
  password,
  source,
});

describe(StartPhoneSession.name, () => {
  it("gives a read-only 15-minute token of the device's user for the right SIP password", async () => {
    const { useCase, issued } = setup();
    const session = await useCase.execute(ask('alice@ACME.example', 's3cret-Alice'));
    expect(session).toEqual({
      token: 'pbx_token_1',
      expiresAt: new Date(NOW + 900_000),
      principal: { role: 'user', tenantId: 'tenant-1', groupId: 'acme', userId: '201' },
      device: { username: 'alice', domain: 'acme.example' },
    });
    expect(issued).toEqual([
      {
        principal: session.principal,
        label: 'web phone alice@acme.example',
        ttlSeconds: 900,
        options: { readOnly: true },
      },
    ]);
  });

  it('checks an MD5-only device against its MD5 HA1', async () => {
    const md5Only = device();
    const { useCase } = setup([{ ...md5Only, ha1: { md5: md5Only.ha1.md5 } }]);
    await expect(useCase.execute(ask('alice@acme.example', 's3cret-Alice'))).resolves.toBeDefined();
    await expect(useCase.execute(ask('alice@acme.example', 's3cret-alice'))).rejects.toMatchObject({
      code: PhoneSessionErrorCode.InvalidCredentials,
    });
  });

  it.each([
    ['a wrong password', 'alice@acme.example', 'wrong'],
    ['an unknown device', 'mallory@acme.example', 's3cret-Alice'],
    ['an unknown domain', 'alice@other.example', 's3cret-Alice'],
    ['no domain at all', 'alice', 's3cret-Alice'],
  ])('refuses %s with the same error', async (_case, username, password) => {
    const { useCase, issued } = setup();
    await expect(useCase.execute(ask(username, password))).rejects.toMatchObject({
      code: PhoneSessionErrorCode.InvalidCredentials,
      message: 'wrong username or password',
    });
    expect(issued).toEqual([]);
  });

  it('refuses HA1s still computed for an old realm, as the registrar does', async () => {
    const { useCase } = setup([device({ realm: 'old.example' })]);
    await expect(useCase.execute(ask('alice@acme.example', 's3cret-Alice'))).rejects.toMatchObject({
      code: PhoneSessionErrorCode.InvalidCredentials,
    });
  });

  it('shuts a device out after repeated failures, even with the right password, then lets it back', async () => {
    const { useCase, advance } = setup();
    for (let i = 0; i < 4; i++) {
      await expect(useCase.execute(ask('alice@acme.example', `guess-${i}`))).rejects.toMatchObject({
        code: PhoneSessionErrorCode.InvalidCredentials,
      });
    }
    await expect(useCase.execute(ask('alice@acme.example', 's3cret-Alice'))).rejects.toMatchObject({
      code: PhoneSessionErrorCode.TooManyAttempts,
    });
    advance(300_001);
    await expect(useCase.execute(ask('alice@acme.example', 's3cret-Alice'))).resolves.toBeDefined();
  });

  it('caps requests per source address, successes included', async () => {
    const { useCase, advance } = setup();
    for (let i = 0; i < 20; i++) await useCase.execute(ask('alice@acme.example', 's3cret-Alice'));
    await expect(useCase.execute(ask('alice@acme.example', 's3cret-Alice'))).rejects.toMatchObject({
      code: PhoneSessionErrorCode.TooManyAttempts,
    });
    await expect(
      useCase.execute(ask('alice@acme.example', 's3cret-Alice', '192.0.2.11')),
    ).resolves.toBeDefined();
    advance(60_000);
    await expect(useCase.execute(ask('alice@acme.example', 's3cret-Alice'))).resolves.toBeDefined();
  });
});
