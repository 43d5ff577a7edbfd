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

const OPERATOR = 'e2e-operator-token-trunks-0123456789abcdef0123456';
const SECRET = 'change-me-carrier-secret';
const GROUP_SECRET = 'acme-Trunk-Secret';
const EXAMPLES = join(__dirname, '..', '..', 'examples');
type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
};
const read = (file: string): Doc => parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Doc;
const clone = (doc: Doc): Doc => JSON.parse(JSON.stringify(doc)) as Doc;
const CARRIER = read('carrier-trunk.yaml');
const ACME = read('acme.yaml');

function acmeWithTrunk(changes: Record<string, unknown> = {}): Doc {
  const doc = clone(ACME);
  doc.spec.trunks = [
    {
      name: 'carrier',
      host: 'sip.carrier.example',
      transport: 'tls',
      username: 'acme-31201234500',
      password: GROUP_SECRET,
      register: true,
      ...changes,
    },
  ];
  return doc;
}

describe('carrier trunks and caller-id presentation over the API', () => {
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
  const apply = (
    documents: unknown[],
    token = OPERATOR,
  ): Promise<{ status: number; body: unknown }> =>
    call('POST', '/api/v1/apply', token, { documents });
  const problemsOf = (body: unknown): string[] =>
    (body as { error: { problems: { path: string; message: string }[] } }).error.problems.map(
      (p) => `${p.path}: ${p.message}`,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = await startPlatformProcess('standalone', {
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: OPERATOR,
    });
    await platform.waitForReady(60_000);
  });
  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  it('creates an operator trunk, reports no change, and never shows its password', async () => {
    const first = await apply([clone(CARRIER)]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      changed: true,
      results: [{ kind: 'Trunk', name: 'carrier', action: 'created' }],
    });
    expect(JSON.stringify(first.body)).not.toContain(SECRET);
    expect((await apply([clone(CARRIER)])).body).toEqual({
      dryRun: false,
      changed: false,
      results: [{ kind: 'Trunk', name: 'carrier', action: 'unchanged', changes: [] }],
    });

    const got = await call('GET', '/api/v1/resources/trunk/carrier', OPERATOR);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      apiVersion: 'pbx/v1',
      kind: 'Trunk',
      metadata: { name: 'carrier' },
      spec: {
        host: 'sip.carrier.example',
        port: 5060,
        transport: 'udp',
        username: 'platform-account',
        register: true,
        inboundAddresses: ['192.0.2.10', '192.0.2.11'],
      },
    });
    expect((await apply([got.body])).body).toMatchObject({ changed: false });
    await eventually(
      async () => {
        const list = await call('GET', '/api/v1/resources/trunk', OPERATOR);
        return (list.body as { items: Doc[] }).items.length === 1 ? list : undefined;
      },
      10_000,
      'the trunk to be listed',
    );
  });

  it('changes an operator trunk, keeping its password when the file leaves it out', async () => {
    const changed = clone(CARRIER);
    delete changed.spec.password;
    changed.spec.transport = 'tls';
    delete changed.spec.port;
    const result = await apply([changed]);
    expect(result.body).toMatchObject({
      changed: true,
      results: [
        {
          action: 'updated',
          changes: [
            {
              op: 'change',
              summary:
                'trunk carrier changed: sip.carrier.example:5061 over tls, user platform-account, registering',
            },
          ],
        },
      ],
    });
    expect((await apply([changed])).body).toMatchObject({ changed: false });
  });

  it('refuses a bad trunk with every problem by path, changing nothing', async () => {
    const bad = clone(CARRIER);
    bad.metadata.name = 'bad';
    bad.spec = { host: 'sip.carrier.example:5060', port: 99999, transport: 'sctp', register: true };
    const result = await apply([bad]);
    expect(result.status).toBe(422);
    expect(problemsOf(result.body)).toEqual([
      'spec.host: "sip.carrier.example:5060" must be a host name or IP address only; give the port in port',
      'spec.transport: unknown transport "sctp"; expected one of udp, tcp, tls',
      'spec.port: must be a whole number from 1 to 65535, such as 5060',
      'spec.register: registering with the carrier needs a username and a password',
    ]);
    const noPassword = clone(CARRIER);
    noPassword.metadata.name = 'other';
    delete noPassword.spec.password;
    expect(problemsOf((await apply([noPassword])).body)).toEqual([
      'spec.password: required with a username',
    ]);
    expect((await call('GET', '/api/v1/resources/trunk/bad', OPERATOR)).status).toBe(404);
  });

  it('adds group trunks and presentation in the group document, round-tripping through get', async () => {
    const doc = acmeWithTrunk();
    (doc.spec.users as Record<string, unknown>[])[1].presentation = 'restricted';
    const created = await apply([doc]);
    expect(created.status).toBe(200);
    expect(JSON.stringify(created.body)).not.toContain(GROUP_SECRET);
    expect((await apply([doc])).body).toMatchObject({ changed: false });

    const got = await call('GET', '/api/v1/resources/group/acme', OPERATOR);
    const spec = (got.body as Doc).spec;
    expect(JSON.stringify(got.body)).not.toContain(GROUP_SECRET);
    expect(spec.trunks).toEqual([
      {
        name: 'carrier',
        host: 'sip.carrier.example',
        port: 5061,
        transport: 'tls',
        username: 'acme-31201234500',
        register: true,
        inboundAddresses: [],
      },
    ]);
    expect((spec.users as Record<string, unknown>[]).map((u) => u.presentation)).toEqual([
      undefined,
      'restricted',
      undefined,
    ]);
    expect((await apply([got.body])).body).toMatchObject({ changed: false });

    const changed = await apply([acmeWithTrunk({ password: undefined, port: 5081 })]);
    expect(changed.body).toMatchObject({
      results: [
        {
          action: 'updated',
          changes: expect.arrayContaining([
            expect.objectContaining({ op: 'change', path: 'spec.trunks[name=carrier]' }),
            expect.objectContaining({ op: 'change', path: 'spec.users[extension=202]' }),
          ]),
        },
      ],
    });
    // The audit log (events-gateway) shows the trunk's events with the password redacted.
    const tenant = (
      (await call('GET', '/api/v1/groups/acme', OPERATOR)).body as { tenantId: string }
    ).tenantId;
    const audit = await eventually(
      async () => {
        const log = await call('GET', `/api/v1/audit-log?tenant=${tenant}&limit=500`, OPERATOR);
        const items = (log.body as { items: { type: string }[] }).items;
        return items.some((e) => e.type === 'pbx.provisioning.v1.TrunkChanged') ? items : undefined;
      },
      10_000,
      'the trunk events in the audit log',
    );
    expect(JSON.stringify(audit)).toContain('[redacted]');
    expect(JSON.stringify(audit)).not.toContain(GROUP_SECRET);

    const removed = await apply([clone(ACME)]);
    expect(removed.body).toMatchObject({
      results: [
        {
          changes: expect.arrayContaining([
            { op: 'remove', path: 'spec.trunks[name=carrier]', summary: 'trunk carrier removed' },
          ]),
        },
      ],
    });
  });

  it('lets a group admin set presentation but not apply or read trunks', async () => {
    const issued = await call('POST', '/api/v1/tokens', OPERATOR, {
      role: 'group-admin',
      group: 'acme',
      label: 'acme admin',
    });
    expect(issued.status).toBe(201);
    acmeAdmin = (issued.body as { token: string }).token;

    expect((await apply([clone(CARRIER)], acmeAdmin)).status).toBe(403);
    expect((await call('GET', '/api/v1/resources/trunk/carrier', acmeAdmin)).status).toBe(403);
    expect((await call('DELETE', '/api/v1/resources/trunk/carrier', acmeAdmin)).status).toBe(403);

    const patched = await call('PATCH', '/api/v1/groups/acme/users/203', acmeAdmin, {
      presentation: 'restricted',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ extension: '203', presentation: 'restricted' });
    const bad = await call('PATCH', '/api/v1/groups/acme/users/203', acmeAdmin, {
      presentation: 'hidden',
    });
    expect(bad.status).toBe(400);
    const user = await call('GET', '/api/v1/groups/acme/users/201', acmeAdmin);
    expect(user.body).toMatchObject({ extension: '201', presentation: 'allowed' });
  });

  it('deletes an operator trunk, then says it does not exist, and takes it back on apply', async () => {
    const deleted = await call('DELETE', '/api/v1/resources/trunk/carrier', OPERATOR);
    expect(deleted).toEqual({
      status: 200,
      body: { kind: 'Trunk', name: 'carrier', action: 'deleted' },
    });
    expect((await call('GET', '/api/v1/resources/trunk/carrier', OPERATOR)).status).toBe(404);
    const again = await call('DELETE', '/api/v1/resources/trunk/carrier', OPERATOR);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({
      error: { code: 'TRUNK_NOT_FOUND', message: 'trunk carrier does not exist' },
    });
    expect((await apply([clone(CARRIER)])).body).toMatchObject({
      results: [{ kind: 'Trunk', name: 'carrier', action: 'created' }],
    });
  });
});
