import type { DataSource } from 'typeorm';
import { ApiTokenStore } from '@pbx/platform';
import {
  createTestDatabase,
  eventually,
  openTestDataSource,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';

const OPERATOR = 'e2e-operator-token-numbers-0123456789abcdef0123';

interface Reply {
  status: number;
  body: unknown;
  etag: string | null;
}
interface BlockView {
  id: string;
  tenantId: string;
  range: { first: string; last: string; size: number };
  state: string;
  orderKind: string;
  version: number;
  assignments: number;
  parts?: string[];
}
interface ErrorBody {
  error: { code: string; message: string };
}

const blockId = (first: string, size: number): string => `numberblock-${first.slice(1)}-${size}`;
/** Today in the Netherlands, where porting dates are civil dates. */
const today = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
}).format(new Date());

describe('numbers over the API', () => {
  let database: TestDatabase;
  let platform: PlatformProcess;
  let db: DataSource;
  let alpha: string;
  let beta: string;
  let alphaAdmin: string;
  let betaAdmin: string;

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    token: string = OPERATOR,
  ): Promise<Reply> => {
    const response = await fetch(`${platform.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      etag: response.headers.get('etag'),
    };
  };
  const order = (fields: Record<string, unknown>, token?: string): Promise<Reply> =>
    call('POST', '/number-blocks', { tenantId: alpha, kind: 'new', size: 100, ...fields }, token);
  const block = (reply: Reply): BlockView => reply.body as BlockView;
  const error = (reply: Reply): ErrorBody['error'] => (reply.body as ErrorBody).error;
  const active = async (first: string, size = 100, tenantId = alpha): Promise<string> => {
    const ordered = await order({ first, size, tenantId });
    expect(ordered.status).toBe(201);
    const id = block(ordered).id;
    expect((await call('POST', `/number-blocks/${id}/complete`, {})).status).toBe(200);
    return id;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = await startPlatformProcess('standalone', {
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: OPERATOR,
    });
    await platform.waitForReady(60_000);
    db = await openTestDataSource(database.url, []);
    const ids: string[] = [];
    for (const name of ['Alpha', 'Beta']) {
      const r = await platform.post(
        '/api/v1/tenants',
        { name, architecture: 'enterprise' },
        OPERATOR,
      );
      expect(r.status).toBe(201);
      ids.push((r.body as { id: string }).id);
    }
    [alpha, beta] = ids;
    const tokens = new ApiTokenStore({
      query: (sql, params) => db.query(sql, params ? [...params] : []),
    });
    alphaAdmin = (await tokens.issue({ role: 'enterprise-admin', tenantId: alpha }, 'e2e')).token;
    betaAdmin = (await tokens.issue({ role: 'enterprise-admin', tenantId: beta }, 'e2e')).token;
  });
  afterAll(async () => {
    await db?.destroy();
    await platform?.stop();
    await database?.drop();
  });

  it('orders a regional block of 100 and completes it', async () => {
    const ordered = await order({ first: '+31 20 123 4500', orderReference: 'ORD-1' });
    expect(ordered.status).toBe(201);
    expect(ordered.etag).toBe('"1"');
    expect(ordered.body).toEqual({
      id: 'numberblock-31201234500-100',
      tenantId: alpha,
      range: { first: '+31201234500', last: '+31201234599', size: 100 },
      numberKind: 'nl-regional',
      country: 'NL',
      orderKind: 'new',
      state: 'requested',
      orderReference: 'ORD-1',
      assignments: 0,
      version: 1,
    });
    const completed = await call('POST', '/number-blocks/numberblock-31201234500-100/complete', {});
    expect(completed.status).toBe(200);
    expect(completed.etag).toBe('"2"');
    expect(block(completed)).toMatchObject({ state: 'active', version: 2 });

    const read = await call('GET', '/number-blocks/numberblock-31201234500-100');
    expect(read.etag).toBe('"2"');
    expect(block(read).state).toBe('active');
    const listed = await eventually(
      async () => {
        const r = await call('GET', `/number-blocks?tenantId=${alpha}&state=active`);
        const items = (r.body as { items: BlockView[] }).items;
        return items.some((b) => b.id === 'numberblock-31201234500-100') ? items : undefined;
      },
      10_000,
      'the block in the directory',
    );
    expect(listed.every((b) => b.state === 'active' && b.tenantId === alpha)).toBe(true);
    const holder = await eventually(
      async () => {
        const r = await call('GET', '/numbers/+31201234567');
        return r.status === 200 ? r : undefined;
      },
      10_000,
      'the number lookup',
    );
    expect(holder.body).toMatchObject({
      number: '+31201234567',
      block: { id: 'numberblock-31201234500-100', tenantId: alpha, state: 'active' },
    });
    expect((await call('GET', '/numbers/+31201234600')).status).toBe(404);
  });

  it('refuses misaligned, 088 without letter, countries without the capability, overlaps', async () => {
    const misaligned = await order({ first: '+31201234510' });
    expect(misaligned.status).toBe(400);
    expect(error(misaligned)).toMatchObject({ code: 'MISALIGNED_BLOCK' });
    expect(error(misaligned).message).toContain('ending in 00');

    const letterless = await order({ first: '+31881230000' });
    expect(letterless.status).toBe(400);
    expect(error(letterless)).toEqual({
      code: 'ASSIGNMENT_LETTER_REQUIRED',
      message: '088 blocks need the ACM assignment letter reference',
    });
    const withLetter = await order({ first: '+31881230000', assignmentLetter: 'ACM/2025/0088-17' });
    expect(withLetter.status).toBe(201);
    expect(withLetter.body).toMatchObject({
      numberKind: 'nl-088',
      assignmentLetter: 'ACM/2025/0088-17',
    });

    const austria = await order({ first: '+4312345600' });
    expect(austria.status).toBe(400);
    expect(error(austria)).toEqual({
      code: 'CAPABILITY_NOT_OFFERED',
      message: 'Austria (AT) does not offer new geographic numbers',
    });

    const malformed = await order({ first: '+31201234500', size: '100', colour: 'red' });
    expect(malformed.status).toBe(400);
    expect(error(malformed).code).toBe('INVALID_REQUEST');

    const overlap = await order({ first: '+31201234560', size: 10, tenantId: beta });
    expect(overlap.status).toBe(409);
    expect(error(overlap)).toMatchObject({ code: 'BLOCK_OVERLAPS' });
    expect(error(overlap).message).toContain('numberblock-31201234500-100');
    const again = await order({ first: '+31201234500' });
    expect(again.status).toBe(409);
    expect(error(again).code).toBe('BLOCK_ALREADY_EXISTS');
  });

  it('lets exactly one of two concurrent overlapping orders through, every time', async () => {
    for (let round = 0; round < 5; round += 1) {
      const thousand = `+3130${round}000000`.slice(0, 12);
      const replies = await Promise.all([
        order({ first: thousand, size: 1000 }),
        order({ first: `${thousand.slice(0, 9)}500`, size: 100, tenantId: beta }),
      ]);
      expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(error(replies.find((r) => r.status === 409) as Reply).code).toBe('BLOCK_OVERLAPS');
    }
    const distinct = await Promise.all(
      [0, 1, 2, 3].map((i) => order({ first: `+3135123${i}000`, size: 1000 })),
    );
    expect(distinct.map((r) => r.status)).toEqual([201, 201, 201, 201]);
  });

  it('splits into 10 parts, cancels one on its own and ports another to another tenant', async () => {
    const parent = await active('+31201236000');
    const split = await call('POST', `/number-blocks/${parent}/split`, { parts: 10 });
    expect(split.status).toBe(200);
    const { block: splitBlock, parts } = split.body as { block: BlockView; parts: BlockView[] };
    expect(splitBlock.state).toBe('split');
    expect(parts.map((p) => [p.id, p.state, p.range.size])).toEqual(
      [...Array(10).keys()].map((i) => [blockId(`+3120123${6000 + i * 10}`, 10), 'active', 10]),
    );

    const cancelled = await call('POST', `/number-blocks/${parts[1].id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(block(cancelled).state).toBe('cancelled');
    expect(block(await call('GET', `/number-blocks/${parts[0].id}`)).state).toBe('active');
    // Its numbers are free again; its neighbours' are not.
    expect((await order({ first: '+31201236015', size: 1, tenantId: beta })).status).toBe(201);
    expect((await order({ first: '+31201236025', size: 1, tenantId: beta })).status).toBe(409);

    const ported = await call('POST', `/number-blocks/${parts[2].id}/port`, {
      tenantId: beta,
      portingDate: today,
      orderReference: 'PORT-1',
    });
    expect(ported.status).toBe(200);
    expect(ported.body).toMatchObject({
      id: parts[2].id,
      tenantId: beta,
      orderKind: 'port-in',
      state: 'porting',
      portingDate: today,
      orderReference: 'PORT-1',
    });
    const portedIn = await call('POST', `/number-blocks/${parts[2].id}/complete`, {});
    expect(block(portedIn)).toMatchObject({ state: 'active', tenantId: beta });
    expect(block(await call('GET', `/number-blocks/${parts[3].id}`)).tenantId).toBe(alpha);
  });

  it('assigns a number once, refuses it to another target, and refuses to cancel meanwhile', async () => {
    const id = await active('+31201237000');
    const user = { type: 'user', groupId: 'main', id: '201' };
    const assigned = await call('POST', `/number-blocks/${id}/assignments`, {
      number: '+31201237042',
      target: user,
    });
    expect(assigned.status).toBe(201);
    expect(assigned.body).toEqual({
      blockId: id,
      number: '+31201237042',
      target: user,
      version: 3,
    });

    const twice = await call('POST', `/number-blocks/${id}/assignments`, {
      number: '+31201237042',
      target: { type: 'department', groupId: 'main', id: 'sales' },
    });
    expect(twice.status).toBe(409);
    expect(error(twice).code).toBe('NUMBER_ALREADY_ASSIGNED');
    expect(error(twice).message).toContain('user 201 of group main');

    const cancel = await call('POST', `/number-blocks/${id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(error(cancel).code).toBe('BLOCK_HAS_ASSIGNMENTS');

    const holder = await eventually(
      async () => {
        const r = await call('GET', '/numbers/31201237042');
        return (r.body as { assignedTo?: unknown }).assignedTo ? r : undefined;
      },
      10_000,
      'the assignment in the lookup',
    );
    expect(holder.body).toMatchObject({ block: { id, assignments: 1 }, assignedTo: user });

    const stale = await fetch(`${platform.url}/api/v1/number-blocks/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR}`, 'if-match': '"2"' },
    });
    expect(stale.status).toBe(412);
    const freed = await call('DELETE', `/number-blocks/${id}/assignments/+31201237042`);
    expect(freed.status).toBe(204);
    expect(freed.etag).toBe('"4"');
    expect(block(await call('POST', `/number-blocks/${id}/cancel`)).state).toBe('cancelled');
  });

  it("keeps tenants apart: another tenant's admin sees and changes nothing of it", async () => {
    const id = await active('+31201238000');
    const read = await call('GET', `/number-blocks/${id}`, undefined, betaAdmin);
    expect(read.status).toBe(404);
    const leak = JSON.stringify(read.body);
    expect(leak).not.toContain(alpha);
    expect(leak).not.toContain('+3120123800');

    const listOther = await call('GET', `/number-blocks?tenantId=${alpha}`, undefined, betaAdmin);
    expect(listOther.status).toBe(403);
    expect(JSON.stringify(listOther.body)).not.toContain('numberblock');
    const assign = await call(
      'POST',
      `/number-blocks/${id}/assignments`,
      { number: '+31201238001', target: { type: 'group', groupId: 'main' } },
      betaAdmin,
    );
    expect(assign.status).toBe(404);
    expect(
      (await call('DELETE', `/number-blocks/${id}/assignments/+31201238001`, undefined, betaAdmin))
        .status,
    ).toBe(404);
    expect((await call('GET', '/numbers/+31201238001', undefined, betaAdmin)).status).toBe(404);
    for (const [path, body] of [
      [`/number-blocks/${id}/cancel`, {}],
      [`/number-blocks/${id}/complete`, {}],
      [`/number-blocks/${id}/split`, { parts: 10 }],
      ['/number-blocks', { tenantId: beta, kind: 'new', first: '+31201239000', size: 100 }],
    ] as const) {
      expect((await call('POST', path, body, betaAdmin)).status).toBe(403);
    }
    expect(block(await call('GET', `/number-blocks/${id}`)).state).toBe('active');

    // Each admin sees their own tenant's blocks, and only those.
    const own = await eventually(
      async () => {
        const r = await call('GET', '/number-blocks', undefined, betaAdmin);
        const items = (r.body as { items: BlockView[] }).items;
        return items.some((b) => b.orderKind === 'port-in') ? items : undefined;
      },
      10_000,
      "beta's blocks",
    );
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((b) => b.tenantId === beta)).toBe(true);
    const alphaOwn = await call(
      'GET',
      `/number-blocks?tenantId=${alpha}&limit=2`,
      undefined,
      alphaAdmin,
    );
    expect(alphaOwn.status).toBe(200);
    const page = alphaOwn.body as { items: BlockView[]; nextCursor?: string };
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeDefined();
    const next = await call(
      'GET',
      `/number-blocks?limit=2&cursor=${page.nextCursor}`,
      undefined,
      alphaAdmin,
    );
    const nextItems = (next.body as { items: BlockView[] }).items;
    expect(nextItems.every((b) => b.tenantId === alpha && b.id > page.items[1].id)).toBe(true);
    expect(block(await call('GET', `/number-blocks/${id}`, undefined, alphaAdmin)).id).toBe(id);
    const assigned = await call(
      'POST',
      `/number-blocks/${id}/assignments`,
      { number: '+31201238001', target: { type: 'group', groupId: 'main' } },
      alphaAdmin,
    );
    expect(assigned.status).toBe(201);
  });

  it('serves the country table to any signed-in caller', async () => {
    const countries = await call('GET', '/countries', undefined, betaAdmin);
    expect(countries.status).toBe(200);
    const items = (countries.body as { items: { iso: string; capabilities: object }[] }).items;
    expect(items.length).toBeGreaterThan(30);
    expect(items.find((c) => c.iso === 'AT')).toEqual({
      iso: 'AT',
      name: 'Austria',
      nameNl: 'Oostenrijk',
      callingCode: '+43',
      capabilities: {
        incoming: true,
        outgoingWithInternationalIdentity: false,
        newGeographic: false,
        newNational: true,
        porting: false,
      },
    });
    const anonymous = await fetch(`${platform.url}/api/v1/countries`);
    expect(anonymous.status).toBe(401);
  });

  it('replays the log into the reactor and the block directory without changing anything', async () => {
    const count = async (): Promise<number> =>
      Number(((await db.query('SELECT count(*) AS n FROM pbx_events')) as { n: string }[])[0].n);
    const listAll = async (): Promise<BlockView[]> =>
      ((await call('GET', '/number-blocks?limit=500')).body as { items: BlockView[] }).items;
    const events = await count();
    const before = await eventually(
      async () => {
        const items = await listAll();
        return items.some((b) => b.id === 'numberblock-31201238000-100' && b.assignments === 1)
          ? items
          : undefined;
      },
      10_000,
      'the directory to catch up',
    );

    const reactor = await call('POST', '/admin/projections/numbers.inventory-reactor/rebuild', {});
    expect(reactor.status).toBe(200);
    expect((reactor.body as { eventsApplied: number }).eventsApplied).toBeGreaterThan(50);
    expect(await count()).toBe(events);

    const directory = await call('POST', '/admin/projections/numbers.block-directory/rebuild', {});
    expect(directory.status).toBe(200);
    expect(await listAll()).toEqual(before);
    expect(platform.logs().filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it('documents its API in the OpenAPI document, bodies from the validating schemas', async () => {
    const response = await fetch(`${platform.url}/api/docs/openapi.json`);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/number-blocks',
        '/api/v1/number-blocks/{id}/split',
        '/api/v1/numbers/{e164}',
        '/api/v1/countries',
      ]),
    );
    expect(JSON.stringify(document.paths['/api/v1/number-blocks'].post.requestBody)).toContain(
      'assignmentLetter',
    );
  });
});
