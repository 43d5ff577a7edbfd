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

const OPERATOR = 'e2e-operator-token-group-numbers-0123456789abcdef';
const ACME = parse(
  readFileSync(join(__dirname, '..', '..', 'examples', 'acme.yaml'), 'utf8'),
) as Record<string, unknown>;

type Doc = { metadata: { name: string }; spec: Record<string, unknown> };
type User = Record<string, unknown> & { extension: string };
interface Holder {
  number: string;
  block: { id: string; tenantId: string; state: string };
  assignedTo?: { type: string; groupId: string; id?: string };
}

/** The acme example as group `zeta`, with `edit` applied to its users. */
function zeta(edit: (users: User[]) => User[] = (u) => u): Doc {
  const doc = JSON.parse(JSON.stringify(ACME)) as Doc;
  doc.metadata.name = 'zeta';
  doc.spec.domain = 'zeta.example';
  doc.spec.mainNumber = '+31205550000';
  const users = (doc.spec.users as User[]).map((u) => ({ ...u, numbers: [] as string[] }));
  doc.spec.users = edit(users);
  const extensions = new Set((doc.spec.users as User[]).map((u) => u.extension));
  doc.spec.huntGroups = (doc.spec.huntGroups as { members: string[] }[]).map((h) => ({
    ...h,
    members: h.members.filter((m) => extensions.has(m)),
  }));
  return doc;
}
const withNumbers =
  (numbers: Record<string, string[]>) =>
  (users: User[]): User[] =>
    users.map((u) => ({ ...u, numbers: numbers[u.extension] ?? [] }));

describe('numbers follow the groups’ configurations', () => {
  let database: TestDatabase;
  let platform: PlatformProcess;
  let tenant: string;

  const post = (path: string, body: unknown): Promise<{ status: number; body: unknown }> =>
    platform.post(`/api/v1${path}`, body, OPERATOR);
  const apply = (doc: Doc): Promise<{ status: number; body: unknown }> =>
    post('/apply', { documents: [doc] });
  const holder = async (number: string): Promise<Holder> => {
    const r = await platform.get(`/api/v1/numbers/${encodeURIComponent(number)}`, OPERATOR);
    expect(r.status).toBe(200);
    return r.body as Holder;
  };
  const activeBlock = async (tenantId: string, first: string): Promise<void> => {
    const ordered = await post('/number-blocks', { tenantId, kind: 'new', size: 100, first });
    expect(ordered.status).toBe(201);
    const id = (ordered.body as { id: string }).id;
    expect((await post(`/number-blocks/${id}/complete`, {})).status).toBe(200);
  };
  /** Waits until `number`'s holder is `expected` (undefined: free). */
  const assigned = (number: string, expected: Holder['assignedTo'], what: string) =>
    eventually(
      async () => {
        const h = await holder(number);
        return JSON.stringify(h.assignedTo) === JSON.stringify(expected) ? h : undefined;
      },
      15_000,
      what,
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

  it('assigns the main number once the group’s block is active', async () => {
    const created = await apply(zeta());
    expect(created.status).toBe(200);
    const group = await platform.get('/api/v1/groups/zeta', OPERATOR);
    expect(group.status).toBe(200);
    tenant = (group.body as { tenantId: string }).tenantId;

    const other = await post('/tenants', { name: 'Other', architecture: 'enterprise' });
    expect(other.status).toBe(201);
    await activeBlock((other.body as { id: string }).id, '+31205551000');
    await activeBlock(tenant, '+31205550000');

    const main = await assigned('+31205550000', { type: 'group', groupId: 'zeta' }, 'main');
    expect(main.block).toMatchObject({ tenantId: tenant, state: 'active' });
  });

  it('assigns a user’s numbers, follows a change and frees them when the user goes', async () => {
    expect((await apply(zeta(withNumbers({ '201': ['+31205550001'] })))).status).toBe(200);
    await assigned('+31205550001', { type: 'user', groupId: 'zeta', id: '201' }, 'first');

    expect((await apply(zeta(withNumbers({ '201': ['+31205550002'] })))).status).toBe(200);
    await assigned('+31205550002', { type: 'user', groupId: 'zeta', id: '201' }, 'changed');
    await assigned('+31205550001', undefined, 'old number freed');

    const withoutAlice = zeta((users) => users.filter((u) => u.extension !== '201'));
    expect((await apply(withoutAlice)).status).toBe(200);
    await assigned('+31205550002', undefined, 'freed with the user');
  });

  it('moves a number from one user to another within one apply', async () => {
    const without = (numbers: Record<string, string[]>): Doc =>
      zeta((users) => withNumbers(numbers)(users.filter((u) => u.extension !== '201')));
    expect((await apply(without({ '203': ['+31205550003'] }))).status).toBe(200);
    await assigned('+31205550003', { type: 'user', groupId: 'zeta', id: '203' }, 'carol');
    expect((await apply(without({ '202': ['+31205550003'] }))).status).toBe(200);
    await assigned('+31205550003', { type: 'user', groupId: 'zeta', id: '202' }, 'moved to bob');
  });

  it('never assigns a number of another tenant’s block', async () => {
    const without = (numbers: Record<string, string[]>): Doc =>
      zeta((users) => withNumbers(numbers)(users.filter((u) => u.extension !== '201')));
    // Provisioning may refuse it up front (422); if it takes it, the inventory must not follow.
    const foreign = await apply(without({ '202': ['+31205550003'], '203': ['+31205551001'] }));
    expect([200, 422]).toContain(foreign.status);
    // A later change of the same group, once applied, shows the earlier one was handled.
    expect((await apply(without({ '202': ['+31205550003', '+31205550004'] }))).status).toBe(200);
    await assigned('+31205550004', { type: 'user', groupId: 'zeta', id: '202' }, 'a later one');
    const h = await holder('+31205551001');
    expect(h.block.tenantId).not.toBe(tenant);
    expect(h.assignedTo).toBeUndefined();
  });
});
