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

const TOKEN = 'e2e-operator-token-apply-0123456789abcdef0123456';
const ACME = parse(
  readFileSync(join(__dirname, '..', '..', 'examples', 'acme.yaml'), 'utf8'),
) as Record<string, unknown>;

type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
};
const clone = (): Doc => JSON.parse(JSON.stringify(ACME)) as Doc;
const users = (doc: Doc): Record<string, unknown>[] => doc.spec.users as Record<string, unknown>[];

describe('config as code over the API', () => {
  let database: TestDatabase;
  let platform: PlatformProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = await startPlatformProcess('standalone', {
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: TOKEN,
    });
    await platform.waitForReady(60_000);
  });
  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  const apply = (
    documents: unknown[],
    dryRun = false,
  ): Promise<{ status: number; body: unknown }> =>
    platform.post(`/api/v1/apply${dryRun ? '?dryRun=true' : ''}`, { documents }, TOKEN);
  const problemsOf = (body: unknown): string[] =>
    (
      (body as { error: { problems: { path: string; message: string }[] } }).error.problems ?? []
    ).map((p) => `${p.path}: ${p.message}`);

  it('creates the company from examples/acme.yaml, then reports no change, also for its own get output', async () => {
    const dry = await apply([clone()], true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      changed: true,
      results: [{ name: 'acme', action: 'created' }],
    });
    expect((await platform.get('/api/v1/resources/group/acme', TOKEN)).status).toBe(404);

    const first = await apply([clone()]);
    expect(first.body).toMatchObject({
      changed: true,
      results: [{ kind: 'Group', name: 'acme', action: 'created' }],
    });
    const again = await apply([clone()]);
    expect(again.body).toEqual({
      dryRun: false,
      changed: false,
      results: [{ kind: 'Group', name: 'acme', action: 'unchanged', changes: [] }],
    });

    const got = await platform.get('/api/v1/resources/group/acme', TOKEN);
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain('s3cret');
    const roundTrip = await apply([got.body]);
    expect(roundTrip.body).toMatchObject({ changed: false });
  });

  it('applies a change as the fine-grained difference only', async () => {
    const doc = clone();
    users(doc)[2].name = 'Carol Smit-de Boer';
    const result = await apply([doc]);
    expect(result.body).toMatchObject({
      changed: true,
      results: [
        { action: 'updated', changes: [{ op: 'change', path: 'spec.users[extension=203]' }] },
      ],
    });
    expect((result.body as { results: { changes: unknown[] }[] }).results[0].changes).toHaveLength(
      1,
    );
  });

  it.each<[string, (doc: Doc) => void, string]>([
    [
      'an unknown profile',
      (d) => (users(d)[2].profile = 'gold'),
      'spec.users[2].profile: unknown profile "gold"; expected one of base, business, premium, fixed-mobile-business, fixed-mobile-premium',
    ],
    [
      'a duplicate extension',
      (d) => (users(d)[1].extension = '201'),
      'spec.users[1].extension: "201" is already used by users[0]',
    ],
    [
      'one user only',
      (d) => (d.spec.users = users(d).slice(0, 1)),
      'a PBX needs at least 2 user profiles, found 1',
    ],
    ['a malformed number', (d) => (d.spec.mainNumber = '+3120'), 'spec.mainNumber:'],
  ])('refuses %s with a clear message and changes nothing', async (_what, edit, expected) => {
    const before = await platform.get('/api/v1/resources/group/acme', TOKEN);
    const doc = clone();
    users(doc)[0].name = 'Alice Changed Too';
    edit(doc);
    const result = await apply([doc]);
    expect(result.status).toBe(422);
    expect(problemsOf(result.body).join('\n')).toContain(expected);
    expect((result.body as { error: { message: string } }).error.message).toContain(
      'nothing was changed',
    );
    expect((await platform.get('/api/v1/resources/group/acme', TOKEN)).body).toEqual(before.body);
  });

  it('refuses a number or domain that another company holds', async () => {
    await eventually(
      async () => {
        const r = await apply([{ ...clone(), metadata: { name: 'globex' } }], true);
        return problemsOf(r.body).some((p) => p.includes('is already assigned')) ? true : undefined;
      },
      10_000,
      'the group directory to know acme',
    );
    const doc = clone();
    doc.metadata.name = 'globex';
    const result = await apply([doc]);
    expect(result.status).toBe(422);
    const problems = problemsOf(result.body);
    expect(problems).toContain('spec.domain: "acme.example" is the domain of group acme');
    expect(problems).toContain(
      'spec.users[0].numbers[0]: "+31201234501" is already assigned to user 201 of group acme',
    );
    expect((await platform.get('/api/v1/resources/group/globex', TOKEN)).status).toBe(404);
  });

  it('refuses to turn the Group into an Enterprise (T3)', async () => {
    const result = await apply([
      { apiVersion: 'pbx/v1', kind: 'Enterprise', metadata: { name: 'acme' }, spec: {} },
    ]);
    expect(result.status).toBe(422);
    expect(problemsOf(result.body)).toEqual([
      'kind: "acme" is a Group: Group or Enterprise is fixed when a company is created and can never change; order a new company instead',
    ]);
  });

  it('refuses a whole file when one of its documents is bad, and lists every problem', async () => {
    const good = clone();
    good.metadata.name = 'initech';
    good.spec.domain = 'initech.example';
    good.spec.mainNumber = '+31301234500';
    users(good)[0].numbers = ['+31301234501'];
    const bad = {
      apiVersion: 'v2',
      kind: 'Group',
      metadata: { name: 'Bad Name' },
      spec: { users: 'none' },
    };
    const result = await apply([good, bad]);
    expect(result.status).toBe(422);
    const problems = (result.body as { error: { problems: { document: number; path: string }[] } })
      .error.problems;
    expect(problems.every((p) => p.document === 1)).toBe(true);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['apiVersion', 'metadata.name']),
    );
    expect((await platform.get('/api/v1/resources/group/initech', TOKEN)).status).toBe(404);
  });

  it('gives a contested number to exactly one of two concurrent applies', async () => {
    const contender = (name: string, mainNumber: string): Doc => {
      const doc = clone();
      doc.metadata.name = name;
      doc.spec.domain = `${name}.example`;
      doc.spec.mainNumber = mainNumber;
      users(doc)[0].numbers = ['+31501234599'];
      return doc;
    };
    const results = await Promise.all([
      apply([contender('umbrella', '+31501234500')]),
      apply([contender('cyberdyne', '+31501234510')]),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const loser = results.find((r) => r.status === 422);
    expect(problemsOf(loser?.body).join('\n')).toMatch(
      /"\+31501234599" is already assigned to user 201 of group (umbrella|cyberdyne)/,
    );
  });

  it('refuses two documents of one file that claim the same number', async () => {
    const a = clone();
    a.metadata.name = 'wayne';
    a.spec.domain = 'wayne.example';
    a.spec.mainNumber = '+31701234500';
    users(a)[0].numbers = ['+31701234501'];
    const b = JSON.parse(JSON.stringify(a)) as Doc;
    b.metadata.name = 'stark';
    b.spec.domain = 'stark.example';
    b.spec.mainNumber = '+31701234510';
    const result = await apply([a, b]);
    expect(result.status).toBe(422);
    expect(problemsOf(result.body)).toEqual([
      'spec.users[0].numbers[0]: "+31701234501" is also claimed by document 1 (wayne) of this file',
    ]);
    expect((await platform.get('/api/v1/resources/group/wayne', TOKEN)).status).toBe(404);
  });

  it("refuses a number that is in another customer's number inventory", async () => {
    const ordered = await platform.post(
      '/api/v1/number-blocks',
      {
        tenantId: '6b1f0d6e-0000-4000-8000-00000000beef',
        kind: 'new',
        first: '+31101234500',
        size: 100,
      },
      TOKEN,
    );
    expect(ordered.status).toBe(201);
    const doc = clone();
    doc.metadata.name = 'soylent';
    doc.spec.domain = 'soylent.example';
    doc.spec.mainNumber = '+31102234500';
    users(doc)[0].numbers = ['+31101234542'];
    const refused = await eventually(
      async () => {
        const r = await apply([doc], true);
        return r.status === 422 ? r : undefined;
      },
      10_000,
      'the inventory to reach provisioning',
    );
    expect(problemsOf(refused.body)).toEqual([
      'spec.users[0].numbers[0]: "+31101234542" is in the number inventory of another customer',
    ]);
    users(doc)[0].numbers = ['+31102234501'];
    expect((await apply([doc])).status).toBe(200);
  });

  it('deletes a group', async () => {
    const doc = clone();
    doc.metadata.name = 'hooli';
    doc.spec.domain = 'hooli.example';
    doc.spec.mainNumber = '+31401234500';
    users(doc)[0].numbers = [];
    expect((await apply([doc])).status).toBe(200);
    const deleted = await fetch(`${platform.url}/api/v1/resources/group/hooli`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(deleted.status).toBe(200);
    expect((await platform.get('/api/v1/resources/group/hooli', TOKEN)).status).toBe(404);
    // Its domain and numbers are free again.
    const again = clone();
    again.metadata.name = 'hooli-two';
    again.spec.domain = 'hooli.example';
    again.spec.mainNumber = '+31401234500';
    users(again)[0].numbers = [];
    expect((await apply([again])).status).toBe(200);
  });
});
