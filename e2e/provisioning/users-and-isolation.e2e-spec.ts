import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  createTestDatabase,
  eventually,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';

const OPERATOR = 'e2e-operator-token-users-0123456789abcdef01234567';
const ACME = parse(readFileSync(join(__dirname, '..', '..', 'examples', 'acme.yaml'), 'utf8')) as {
  metadata: { name: string };
  spec: Record<string, unknown>;
};

function globex(): unknown {
  const doc = JSON.parse(JSON.stringify(ACME)) as typeof ACME;
  doc.metadata.name = 'globex';
  doc.spec.domain = 'globex.example';
  doc.spec.mainNumber = '+31301234500';
  (doc.spec.users as { numbers?: string[] }[])[0].numbers = ['+31301234501'];
  return doc;
}

describe('users, devices and tenant isolation over the API', () => {
  let database: TestDatabase;
  let platform: PlatformProcess;
  let acmeAdmin: string;

  const call = async (
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = await startPlatformProcess('standalone', {
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: OPERATOR,
    });
    await platform.waitForReady(60_000);
    expect((await call('POST', '/api/v1/apply', OPERATOR, { documents: [ACME] })).status).toBe(200);
    // The directory projection must know acme before globex can be checked against it.
    await eventually(
      async () =>
        (await call('POST', '/api/v1/apply?dryRun=true', OPERATOR, { documents: [globex()] }))
          .status === 200
          ? true
          : undefined,
      10_000,
      'globex to be appliable',
    );
    expect((await call('POST', '/api/v1/apply', OPERATOR, { documents: [globex()] })).status).toBe(
      200,
    );
    const issued = await call('POST', '/api/v1/tokens', OPERATOR, {
      role: 'group-admin',
      group: 'acme',
      label: 'acme admin',
    });
    expect(issued.status).toBe(201);
    acmeAdmin = (issued.body as { token: string }).token;
  });
  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  it('lets a group admin manage its own users and devices', async () => {
    const list = await call('GET', '/api/v1/groups/acme/users?limit=2', acmeAdmin);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      items: [{ extension: '201' }, { extension: '202' }],
      nextCursor: '202',
    });
    const next = await call('GET', '/api/v1/groups/acme/users?limit=2&cursor=202', acmeAdmin);
    expect(next.body).toEqual({
      items: [
        expect.objectContaining({
          extension: '203',
          devices: [expect.objectContaining({ sipUri: 'sip:carol@acme.example' })],
        }),
      ],
    });

    // The profile decides the features (T5, the feature matrix of libs/domain).
    const alice = (await call('GET', '/api/v1/groups/acme/users/201', acmeAdmin)).body as {
      features: string[];
    };
    const carol = (await call('GET', '/api/v1/groups/acme/users/203', acmeAdmin)).body as {
      features: string[];
    };
    expect(alice.features).toEqual(expect.arrayContaining(['U1', 'U20', 'U14']));
    expect(carol.features).toContain('U1');
    expect(carol.features).not.toContain('U20');

    const created = await call('PUT', '/api/v1/groups/acme/users/204', acmeAdmin, {
      name: 'Dan Visser',
      profile: 'business',
      devices: [{ username: 'dan', password: 's3cret-Dan', kind: 'deskphone' }],
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ extension: '204', devices: [{ username: 'dan' }] });
    const patched = await call('PATCH', '/api/v1/groups/acme/users/204', acmeAdmin, {
      email: 'dan@acme.example',
    });
    expect(patched.body).toMatchObject({ email: 'dan@acme.example', name: 'Dan Visser' });

    const bad = await call('PUT', '/api/v1/groups/acme/users/205', acmeAdmin, {
      name: 'Eve',
      profile: 'gold',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('unknown profile \\"gold\\"');
    const noPassword = await call(
      'PUT',
      '/api/v1/groups/acme/users/204/devices/dan-soft',
      acmeAdmin,
      { kind: 'softphone' },
    );
    expect(noPassword.status).toBe(400);
    expect(JSON.stringify(noPassword.body)).toContain('required for a new device');
    const device = await call('PUT', '/api/v1/groups/acme/users/204/devices/dan-soft', acmeAdmin, {
      kind: 'softphone',
      password: 's3cret-Dan2',
    });
    expect(device.body).toMatchObject({
      username: 'dan-soft',
      owner: '204',
      sipUri: 'sip:dan-soft@acme.example',
    });
    expect((await call('DELETE', '/api/v1/groups/acme/devices/dan-soft', acmeAdmin)).status).toBe(
      204,
    );
    expect((await call('DELETE', '/api/v1/groups/acme/users/204', acmeAdmin)).status).toBe(204);
    expect((await call('GET', '/api/v1/groups/acme/users/204', acmeAdmin)).status).toBe(404);
  });

  it("answers another company's users, devices and group as if they did not exist", async () => {
    const attempts: [string, string, unknown?][] = [
      ['GET', '/api/v1/groups/globex'],
      ['GET', '/api/v1/groups/globex/users'],
      ['GET', '/api/v1/groups/globex/users/201'],
      ['GET', '/api/v1/groups/globex/devices'],
      ['PUT', '/api/v1/groups/globex/users/299', { name: 'Mallory', profile: 'base' }],
      ['PATCH', '/api/v1/groups/globex/users/201', { name: 'Hacked' }],
      ['DELETE', '/api/v1/groups/globex/users/202'],
      [
        'PUT',
        '/api/v1/groups/globex/users/201/devices/evil',
        { kind: 'softphone', password: 'password123' },
      ],
      ['DELETE', '/api/v1/groups/globex/devices/alice'],
      ['PUT', '/api/v1/groups/globex/users/201/portal-password', { password: 'taken-over-1' }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await call(method, path, acmeAdmin, body);
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 404 });
      expect(JSON.stringify(r.body)).not.toContain('+31301234501');
    }
    expect(
      (
        await call('POST', '/api/v1/tokens', acmeAdmin, {
          role: 'group-admin',
          group: 'globex',
          label: 'x',
        })
      ).status,
    ).toBe(404);
    // Config as code and tenant management stay with the operator.
    expect((await call('GET', '/api/v1/resources/group/globex', acmeAdmin)).status).toBe(403);
    expect((await call('POST', '/api/v1/apply', acmeAdmin, { documents: [globex()] })).status).toBe(
      403,
    );
    // Nothing of globex changed.
    const untouched = await call('GET', '/api/v1/groups/globex/users/201', OPERATOR);
    expect(untouched.body).toMatchObject({
      name: 'Alice Jansen',
      devices: [{ username: 'alice' }],
    });
  });

  it('lets a user log in with extension@domain and change only their own settings (T8)', async () => {
    expect(
      (
        await call('PUT', '/api/v1/groups/acme/users/202/portal-password', acmeAdmin, {
          password: 'portal-Bob-1',
        })
      ).status,
    ).toBe(204);
    const wrong = await call('POST', '/api/v1/auth/login', undefined, {
      username: '202@acme.example',
      password: 'nope-nope',
    });
    expect(wrong.status).toBe(401);
    const unknown = await call('POST', '/api/v1/auth/login', undefined, {
      username: '202@nowhere.example',
      password: 'portal-Bob-1',
    });
    expect(unknown.status).toBe(401);
    const login = await call('POST', '/api/v1/auth/login', undefined, {
      username: '202@acme.example',
      password: 'portal-Bob-1',
    });
    expect(login.status).toBe(200);
    const { token, user } = login.body as { token: string; user: { extension: string } };
    expect(user.extension).toBe('202');

    expect((await call('GET', '/api/v1/me', token)).body).toMatchObject({
      extension: '202',
      name: 'Bob de Vries',
    });
    expect(
      (await call('PATCH', '/api/v1/me', token, { name: 'Bob de Vries-Jansen' })).body,
    ).toMatchObject({ name: 'Bob de Vries-Jansen' });
    expect((await call('PATCH', '/api/v1/me', token, { profile: 'premium' })).status).toBe(400);
    expect((await call('GET', '/api/v1/groups/acme/users', token)).status).toBe(403);
    expect(
      (await call('PATCH', '/api/v1/groups/acme/users/201', token, { name: 'x' })).status,
    ).toBe(403);

    expect(
      (
        await call('PUT', '/api/v1/me/password', token, {
          currentPassword: 'wrong-one',
          newPassword: 'portal-Bob-2',
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await call('PUT', '/api/v1/me/password', token, {
          currentPassword: 'portal-Bob-1',
          newPassword: 'portal-Bob-2',
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call('POST', '/api/v1/auth/login', undefined, {
          username: '202@acme.example',
          password: 'portal-Bob-2',
        })
      ).status,
    ).toBe(200);
  });
});
