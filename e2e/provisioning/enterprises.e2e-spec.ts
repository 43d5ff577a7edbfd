import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import {
  createTestDatabase,
  eventually,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';

const ROOT = join(__dirname, '..', '..');
const PBX = join(ROOT, 'dist', 'services', 'standalone', 'src', 'cli', 'pbx', 'main.js');
const OPERATOR = 'e2e-operator-token-enterprises-0123456789abcdef012';
const run = promisify(execFile);

type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
};
const HOLDING = parseAllDocuments(readFileSync(join(ROOT, 'examples', 'holding.yaml'), 'utf8')).map(
  (d) => d.toJS() as Doc,
);
const holdingDoc = (name: string): Doc =>
  JSON.parse(JSON.stringify(HOLDING.find((d) => d.metadata.name === name))) as Doc;

const enterprise = (name: string, displayName?: string): Doc => ({
  apiVersion: 'pbx/v1',
  kind: 'Enterprise',
  metadata: { name },
  spec: displayName === undefined ? {} : { displayName },
});

/** A small group: two users, the first with the given devices. */
function group(
  name: string,
  options: { enterprise?: string; domain: string; mainNumber: string; devices?: string[] },
): Doc {
  return {
    apiVersion: 'pbx/v1',
    kind: 'Group',
    metadata: { name },
    spec: {
      ...(options.enterprise === undefined ? {} : { enterprise: options.enterprise }),
      domain: options.domain,
      timezone: 'Europe/Amsterdam',
      mainNumber: options.mainNumber,
      users: [
        {
          extension: '201',
          name: 'First User',
          profile: 'business',
          devices: (options.devices ?? []).map((username) => ({
            username,
            password: `pw-${username}-123`,
            kind: 'deskphone',
          })),
        },
        { extension: '202', name: 'Second User', profile: 'base' },
      ],
    },
  };
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Enterprises (T2) in config files, their shared domains (T4), their admins and T3. */
describe('enterprises over the pbx command and the API', () => {
  let database: TestDatabase;
  let platform: PlatformProcess;
  let env: NodeJS.ProcessEnv;
  let holdingAdmin: string;

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
  const apply = (documents: unknown[]): Promise<{ status: number; body: unknown }> =>
    call('POST', '/api/v1/apply', OPERATOR, { documents });
  const problemsOf = (body: unknown): string[] =>
    (
      (body as { error?: { problems?: { path: string; message: string }[] } }).error?.problems ?? []
    ).map((p) => `${p.path}: ${p.message}`);
  const pbx = (args: string[], input?: string): Promise<Result> => {
    if (input === undefined) {
      return run(process.execPath, [PBX, ...args], { env, cwd: ROOT }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          stdout: e.stdout,
          stderr: e.stderr,
        }),
      );
    }
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [PBX, ...args], { env, cwd: ROOT });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(input);
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = await startPlatformProcess('standalone', {
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: OPERATOR,
    });
    await platform.waitForReady(60_000);
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PBX_API_URL: platform.url,
      PBX_OPERATOR_TOKEN: OPERATOR,
    };
  });
  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  it('applies examples/holding.yaml with pbx, then reports no change, and get | apply changes nothing', async () => {
    const first = await pbx(['apply', '-f', 'examples/holding.yaml']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      'enterprise/holding created\ngroup/holding-rotterdam created\ngroup/holding-amsterdam created\n',
    );
    const again = await pbx(['apply', '-f', 'examples/holding.yaml']);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('no changes') });
    expect(again.stdout).toContain('enterprise/holding unchanged');

    for (const resource of ['enterprise holding', 'group holding-rotterdam']) {
      const got = await pbx(['get', ...resource.split(' '), '-o', 'yaml']);
      expect(got.code).toBe(0);
      expect(got.stdout).not.toContain('s3cret');
      const roundTrip = await pbx(['apply', '-f', '-'], got.stdout);
      expect({ resource, ...roundTrip }).toMatchObject({
        resource,
        code: 0,
        stdout: expect.stringContaining('no changes'),
      });
    }
    expect((await pbx(['get', 'enterprise', 'holding', '-o', 'yaml'])).stdout).toContain(
      'kind: Enterprise\nmetadata:\n  name: holding\nspec:\n  displayName: Holding BV\n',
    );
    expect((await pbx(['get', 'group', 'holding-amsterdam', '-o', 'yaml'])).stdout).toContain(
      'spec:\n  enterprise: holding\n  domain: holding.example\n',
    );

    // Both groups are in the enterprise's tenant, which the operator sees as an enterprise.
    const rotterdam = (await call('GET', '/api/v1/groups/holding-rotterdam', OPERATOR)).body as {
      tenantId: string;
      enterprise: string;
    };
    const amsterdam = (await call('GET', '/api/v1/groups/holding-amsterdam', OPERATOR)).body as {
      tenantId: string;
    };
    expect(rotterdam.enterprise).toBe('holding');
    expect(amsterdam.tenantId).toBe(rotterdam.tenantId);
    expect(
      (await call('GET', `/api/v1/tenants/${rotterdam.tenantId}`, OPERATOR)).body,
    ).toMatchObject({ name: 'Holding BV', architecture: 'enterprise', domain: '' });
  });

  it('shares a domain within one enterprise only', async () => {
    expect(
      (
        await apply([
          enterprise('other'),
          group('other-hq', {
            enterprise: 'other',
            domain: 'other.example',
            mainNumber: '+31304567800',
          }),
          group('solo', { domain: 'solo.example', mainNumber: '+31304567810' }),
        ])
      ).status,
    ).toBe(200);
    const shared =
      'spec.domain: "holding.example" is the domain of enterprise holding; only groups of that enterprise may share it';
    const standalone = await apply([
      group('intruder', { domain: 'holding.example', mainNumber: '+31304567820' }),
    ]);
    expect(standalone.status).toBe(422);
    expect(problemsOf(standalone.body)).toEqual([shared]);
    const otherEnterprise = await apply([
      group('other-branch', {
        enterprise: 'other',
        domain: 'holding.example',
        mainNumber: '+31304567830',
      }),
    ]);
    expect(problemsOf(otherEnterprise.body)).toEqual([shared]);
    const intoStandalone = await apply([
      group('holding-utrecht', {
        enterprise: 'holding',
        domain: 'solo.example',
        mainNumber: '+31304567840',
      }),
    ]);
    expect(problemsOf(intoStandalone.body)).toEqual([
      'spec.domain: "solo.example" is the domain of group solo',
    ]);
    // Two new groups of one enterprise may take a new domain together, also at the same moment.
    const together = await Promise.all([
      apply([
        group('other-north', {
          enterprise: 'other',
          domain: 'other.nl',
          mainNumber: '+31304567850',
        }),
      ]),
      apply([
        group('other-south', {
          enterprise: 'other',
          domain: 'other.nl',
          mainNumber: '+31304567860',
        }),
      ]),
    ]);
    expect(together.map((r) => r.status)).toEqual([200, 200]);
  });

  it('keeps device names unique across the groups that share a domain', async () => {
    const amsterdam = holdingDoc('holding-amsterdam');
    const users = amsterdam.spec.users as { devices: unknown[] }[];
    users[0].devices.push({ username: 'anna', password: 's3cret-Anna9', kind: 'softphone' });
    const result = await apply([amsterdam]);
    expect(result.status).toBe(422);
    expect(problemsOf(result.body)).toEqual([
      'spec.users[0].devices[1].username: device "anna@holding.example" already belongs to user 201 of group holding-rotterdam',
    ]);
  });

  it('gives a contested device name on a shared domain to exactly one of two concurrent applies', async () => {
    const withPhone = (name: string): Doc => {
      const doc = holdingDoc(name);
      (doc.spec.users as { devices: unknown[] }[])[1].devices.push({
        username: 'lobby',
        password: `s3cret-${name}`,
        kind: 'deskphone',
        flexHost: true,
      });
      return doc;
    };
    const results = await Promise.all([
      apply([withPhone('holding-rotterdam')]),
      apply([withPhone('holding-amsterdam')]),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(problemsOf(results.find((r) => r.status === 422)?.body).join('\n')).toMatch(
      /device "lobby@holding\.example" already belongs to user (202|302) of group holding-(rotterdam|amsterdam)/,
    );
  });

  it('refuses every change of architecture (T3)', async () => {
    const fixed = 'Group or Enterprise is fixed when a group is created and can never change';
    const cases: [string, Doc, string][] = [
      [
        'a standalone group joining an enterprise',
        group('solo', {
          enterprise: 'holding',
          domain: 'solo.example',
          mainNumber: '+31304567810',
        }),
        `spec.enterprise: solo is a standalone Group and cannot join enterprise holding: ${fixed}; order a new group in the enterprise instead`,
      ],
      [
        'a group leaving its enterprise',
        {
          ...holdingDoc('holding-amsterdam'),
          spec: { ...holdingDoc('holding-amsterdam').spec, enterprise: undefined },
        },
        `spec.enterprise: holding-amsterdam belongs to enterprise holding and cannot leave it: ${fixed}; order a new standalone group instead`,
      ],
      [
        'a group moving to another enterprise',
        {
          ...holdingDoc('holding-amsterdam'),
          spec: { ...holdingDoc('holding-amsterdam').spec, enterprise: 'other' },
        },
        `spec.enterprise: holding-amsterdam belongs to enterprise holding and cannot move to enterprise other: ${fixed}; order a new group in other instead`,
      ],
      [
        'an Enterprise named like a Group',
        enterprise('solo'),
        'kind: "solo" is a Group: Group or Enterprise is fixed when a company is created and can never change; order a new company instead',
      ],
      [
        'a Group named like an Enterprise',
        group('holding', { domain: 'holding.nl', mainNumber: '+31304567870' }),
        'kind: "holding" is an Enterprise: Group or Enterprise is fixed when a company is created and can never change; order a new company instead',
      ],
      [
        'a group of an enterprise that does not exist',
        group('lost', { enterprise: 'nope', domain: 'lost.example', mainNumber: '+31304567880' }),
        'spec.enterprise: no enterprise named "nope"; create it first with a kind: Enterprise document, in this file or before',
      ],
    ];
    for (const [what, doc, problem] of cases) {
      const result = await apply([JSON.parse(JSON.stringify(doc))]);
      expect({ what, status: result.status, problems: problemsOf(result.body) }).toEqual({
        what,
        status: 422,
        problems: [problem],
      });
    }
    expect((await call('GET', '/api/v1/groups/solo', OPERATOR)).body).not.toHaveProperty(
      'enterprise',
    );
  });

  it('lets an enterprise admin manage the groups of its enterprise, and no other', async () => {
    const issued = await call('POST', '/api/v1/tokens', OPERATOR, {
      role: 'enterprise-admin',
      enterprise: 'holding',
      label: 'holding admin',
    });
    expect(issued.status).toBe(201);
    holdingAdmin = (issued.body as { token: string }).token;
    const groupAdmin = (
      (
        await call('POST', '/api/v1/tokens', OPERATOR, {
          role: 'group-admin',
          group: 'holding-rotterdam',
          label: 'rotterdam admin',
        })
      ).body as { token: string }
    ).token;
    for (const token of [holdingAdmin, groupAdmin]) {
      const escalate = await call('POST', '/api/v1/tokens', token, {
        role: 'enterprise-admin',
        enterprise: 'holding',
        label: 'x',
      });
      expect(escalate.status).toBe(403);
    }
    expect(
      (
        await call('POST', '/api/v1/tokens', OPERATOR, {
          role: 'enterprise-admin',
          enterprise: 'nope',
          label: 'x',
        })
      ).status,
    ).toBe(404);

    const groups = await eventually(
      async () => {
        const r = await call('GET', '/api/v1/enterprises/holding/groups', holdingAdmin);
        const items = (r.body as { items?: { name: string }[] }).items ?? [];
        return items.length === 2 ? r.body : undefined;
      },
      10_000,
      'the directory to list both holding groups',
    );
    expect(groups).toEqual({
      enterprise: 'holding',
      displayName: 'Holding BV',
      items: [
        { name: 'holding-amsterdam', domain: 'holding.example', users: 2 },
        { name: 'holding-rotterdam', domain: 'holding.example', users: 2 },
      ],
    });
    for (const [token, path] of [
      [holdingAdmin, '/api/v1/enterprises/other/groups'],
      [groupAdmin, '/api/v1/enterprises/holding/groups'],
      [groupAdmin, '/api/v1/groups/holding-amsterdam/users'],
    ]) {
      expect({ path, status: (await call('GET', path, token)).status }).toEqual({
        path,
        status: 404,
      });
    }

    const users = await call('GET', '/api/v1/groups/holding-rotterdam/users', holdingAdmin);
    expect(users.body).toMatchObject({ items: [{ extension: '201' }, { extension: '202' }] });
    const renamed = await call(
      'PATCH',
      '/api/v1/groups/holding-amsterdam/users/302',
      holdingAdmin,
      {
        name: 'Daan Mulder-Smit',
      },
    );
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Daan Mulder-Smit' } });
    const device = await call(
      'PUT',
      '/api/v1/groups/holding-amsterdam/users/302/devices/daan-desk',
      holdingAdmin,
      { kind: 'deskphone', password: 's3cret-Daan2' },
    );
    expect(device).toMatchObject({
      status: 200,
      body: { sipUri: 'sip:daan-desk@holding.example' },
    });

    for (const name of ['other-hq', 'solo']) {
      for (const [method, path, body] of [
        ['GET', `/api/v1/groups/${name}`],
        ['GET', `/api/v1/groups/${name}/users`],
        ['PATCH', `/api/v1/groups/${name}/users/201`, { name: 'Hacked' }],
        ['PUT', `/api/v1/groups/${name}/users/201/portal-password`, { password: 'taken-over-1' }],
      ] as [string, string, unknown?][]) {
        const r = await call(method, path, holdingAdmin, body);
        expect({ method, path, status: r.status }).toEqual({ method, path, status: 404 });
      }
    }
    // Config as code stays the operator's.
    expect((await call('GET', '/api/v1/resources/enterprise/holding', holdingAdmin)).status).toBe(
      403,
    );
  });

  it('logs in to the group of a shared domain that has the extension, and refuses an ambiguous one', async () => {
    const login = (
      username: string,
      password: string,
    ): Promise<{ status: number; body: unknown }> =>
      call('POST', '/api/v1/auth/login', undefined, { username, password });
    for (const [name, extension] of [
      ['holding-rotterdam', '201'],
      ['holding-amsterdam', '301'],
    ]) {
      const set = await call(
        'PUT',
        `/api/v1/groups/${name}/users/${extension}/portal-password`,
        holdingAdmin,
        {
          password: `portal-${extension}-pw`,
        },
      );
      expect(set.status).toBe(204);
    }
    const anna = await login('201@holding.example', 'portal-201-pw');
    expect(anna).toMatchObject({
      status: 200,
      body: { user: { extension: '201', name: 'Anna de Graaf' } },
    });
    const cees = await login('301@HOLDING.example', 'portal-301-pw');
    expect(cees).toMatchObject({
      status: 200,
      body: { user: { extension: '301', name: 'Cees Bakker' } },
    });
    expect(
      (await call('GET', '/api/v1/me', (cees.body as { token: string }).token)).body,
    ).toMatchObject({
      extension: '301',
    });

    // A second 201 on the same domain makes `201@holding.example` ambiguous.
    const twin = await call('PUT', '/api/v1/groups/holding-amsterdam/users/201', holdingAdmin, {
      name: 'Anna Twin',
      profile: 'base',
    });
    expect(twin.status).toBe(200);
    const ambiguous = await login('201@holding.example', 'portal-201-pw');
    expect(ambiguous).toEqual({
      status: 401,
      body: { error: { code: 'INVALID_CREDENTIALS', message: 'wrong username or password' } },
    });
    expect(
      (await call('DELETE', '/api/v1/groups/holding-amsterdam/users/201', holdingAdmin)).status,
    ).toBe(204);
    expect((await login('201@holding.example', 'portal-201-pw')).status).toBe(200);
  });

  it('deletes an enterprise only without groups, and frees a shared domain with its last group', async () => {
    expect(
      (
        await apply([
          enterprise('brief', 'Brief BV'),
          group('brief-hq', {
            enterprise: 'brief',
            domain: 'brief.example',
            mainNumber: '+31704567800',
          }),
          group('brief-lab', {
            enterprise: 'brief',
            domain: 'brief.example',
            mainNumber: '+31704567810',
          }),
        ])
      ).status,
    ).toBe(200);
    // The display name is the tenant's name (admin screens, invoices).
    const renamed = await apply([enterprise('brief', 'Brief NV')]);
    expect(renamed.body).toMatchObject({
      results: [
        {
          kind: 'Enterprise',
          action: 'updated',
          changes: [
            { op: 'change', path: 'spec.displayName', summary: 'display name set to Brief NV' },
          ],
        },
      ],
    });
    const { tenantId } = (await call('GET', '/api/v1/groups/brief-hq', OPERATOR)).body as {
      tenantId: string;
    };
    expect((await call('GET', `/api/v1/tenants/${tenantId}`, OPERATOR)).body).toMatchObject({
      name: 'Brief NV',
      architecture: 'enterprise',
    });

    const remove = (kind: string, name: string): Promise<{ status: number; body: unknown }> =>
      call('DELETE', `/api/v1/resources/${kind}/${name}`, OPERATOR);
    const taker = (name: string): Doc =>
      group(name, { domain: 'brief.example', mainNumber: '+31704567820' });

    expect(await remove('enterprise', 'brief')).toEqual({
      status: 409,
      body: {
        error: {
          code: 'ENTERPRISE_HAS_GROUPS',
          message: 'enterprise brief still has groups brief-hq, brief-lab; delete them first',
        },
      },
    });
    expect((await remove('group', 'brief-lab')).status).toBe(200);
    // brief-hq still uses the domain: the enterprise keeps it.
    expect(problemsOf((await apply([taker('squatter')])).body)).toEqual([
      'spec.domain: "brief.example" is the domain of enterprise brief; only groups of that enterprise may share it',
    ]);
    expect((await remove('enterprise', 'brief')).body).toMatchObject({
      error: { message: 'enterprise brief still has group brief-hq; delete it first' },
    });
    expect((await remove('group', 'brief-hq')).status).toBe(200);
    expect(await remove('enterprise', 'brief')).toEqual({
      status: 200,
      body: { kind: 'Enterprise', name: 'brief', action: 'deleted' },
    });
    expect((await call('GET', '/api/v1/resources/enterprise/brief', OPERATOR)).status).toBe(404);
    expect((await remove('enterprise', 'brief')).status).toBe(410);
    expect(problemsOf((await apply([enterprise('brief')])).body)).toEqual([
      'metadata.name: enterprise brief was deleted; an enterprise name is never reused',
    ]);
    expect((await apply([taker('brief-successor')])).status).toBe(200);
    const names = await eventually(
      async () => {
        const { body } = await call('GET', '/api/v1/resources/enterprise', OPERATOR);
        const items = (body as { items: { metadata: { name: string } }[] }).items;
        return items.some((i) => i.metadata.name === 'brief') ? undefined : items;
      },
      10_000,
      'the directory to drop brief',
    );
    expect(names.map((i) => i.metadata.name)).toEqual(['holding', 'other']);
  });
});
