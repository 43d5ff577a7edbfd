import { randomUUID } from 'node:crypto';
import { loadConfig, platformConfigSchema } from '@pbx/config';
import { PostgresEventStore, STREAM_DOES_NOT_EXIST } from '@pbx/events';
import {
  ApiTokenStore,
  createLogger,
  runPlatform,
  type Principal,
  type RunningPlatform,
} from '@pbx/platform';
import {
  CALL_ROUTING,
  TRUNK_DIRECTORY,
  type CallRouting,
  type RouteRequest,
  type TrunkDirectory,
} from '@pbx/telephony';
import { createTestDatabase, type TestDatabase } from '@pbx/testing';
import { createRoutingService } from '../src';
import { groupEvents, operatorTrunkEvent } from './provisioning-events';

interface Rec {
  readonly callId: string;
  readonly state: string;
}
interface Body {
  readonly items: Rec[];
  readonly nextCursor?: string;
  readonly callId?: string;
  readonly caller?: unknown;
}

const OPERATOR_TOKEN = `operator-${randomUUID()}`;

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('routing in a running platform (calls, records and the call log API)', () => {
  let database: TestDatabase;
  let platform: RunningPlatform;
  let routing: CallRouting;
  const tokens: Record<string, string> = {};

  async function get(path: string, who: string): Promise<{ status: number; body: Body }> {
    const response = await fetch(`${platform.url}${path}`, {
      headers: { authorization: `Bearer ${tokens[who]}` },
    });
    return { status: response.status, body: (await response.json()) as Body };
  }

  const call = (
    callId: string,
    from: { tenantId: string; groupId: string; userId: string },
    dialed: string,
  ): RouteRequest => ({
    callId,
    origin: { kind: 'device', ...from, deviceId: `${from.groupId}-${from.userId}` },
    dialed,
    receivedAt: new Date(),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    const loaded = loadConfig(platformConfigSchema, {
      DATABASE_URL: database.url,
      PBX_HTTP_HOST: '127.0.0.1',
      PBX_OPERATOR_TOKEN: OPERATOR_TOKEN,
      LOG_LEVEL: 'warn',
    });
    // Port 0: an ephemeral port (the schema takes 1-65535 only).
    const config = { ...loaded, httpPort: 0 };
    platform = await runPlatform({
      name: 'routing-test',
      services: [createRoutingService()],
      config,
      log: createLogger({ level: 'warn', service: 'routing-test' }),
      databaseUrl: database.url,
    });
    await platform.started;
    routing = platform.app.get<CallRouting>(CALL_ROUTING);
    const store = new PostgresEventStore(platform.parts.database.dataSource, '/pbx/provisioning');
    await store.append(
      'group-acme-hq',
      groupEvents('acme', 'acme-hq', {
        main: '+31201234500',
        users: ['+31201234501', '+31201234502'],
      }),
      STREAM_DOES_NOT_EXIST,
    );
    await store.append(
      'group-globex',
      groupEvents('globex', 'globex', {
        main: '+31104567800',
        users: ['+31104567801', '+31104567802'],
      }),
      STREAM_DOES_NOT_EXIST,
    );
    await store.append('trunk-wholesale', [operatorTrunkEvent('wholesale')], STREAM_DOES_NOT_EXIST);
    const issuer = new ApiTokenStore(platform.parts.database);
    const principals: Record<string, Principal> = {
      acmeAdmin: { role: 'group-admin', tenantId: 'acme', groupId: 'acme-hq' },
      globexAdmin: { role: 'group-admin', tenantId: 'globex', groupId: 'globex' },
      carol: { role: 'user', tenantId: 'globex', groupId: 'globex', userId: '201' },
      alice: { role: 'user', tenantId: 'acme', groupId: 'acme-hq', userId: '201' },
    };
    for (const [name, principal] of Object.entries(principals)) {
      tokens[name] = (await issuer.issue(principal, `test ${name}`)).token;
    }
    tokens.operator = OPERATOR_TOKEN;
  });

  afterAll(async () => {
    await platform?.stop('test done');
    await database?.drop();
  });

  it('routes from the projected directory and lists the records per group, per user and per call', async () => {
    const trunks = platform.app.get<TrunkDirectory>(TRUNK_DIRECTORY);
    await eventually(
      async () => (trunks.trunks().length === 1 ? true : undefined),
      'the operator trunk in the directory',
    );
    const alice = { tenantId: 'acme', groupId: 'acme-hq', userId: '201' };
    const bob = { tenantId: 'acme', groupId: 'acme-hq', userId: '202' };
    // Internal call, answered, 60 s of talk.
    const internal = await routing.route(call('c-internal', alice, '202'));
    expect(internal).toMatchObject({ kind: 'connect', caller: { number: '201' } });
    const t0 = Date.now();
    routing.report('c-internal', { kind: 'ringing', at: new Date(t0), deviceId: 'acme-hq-202' });
    routing.report('c-internal', {
      kind: 'answered',
      at: new Date(t0 + 2_000),
      deviceId: 'acme-hq-202',
    });
    routing.report('c-internal', {
      kind: 'ended',
      at: new Date(t0 + 62_000),
      cause: 'normal',
      by: 'caller',
    });
    // Bob (who withholds his id) calls Carol of another tenant on-net; she is busy.
    const onNet = await routing.route(call('c-on-net', bob, '010-456 7801'));
    expect(onNet).toMatchObject({ kind: 'connect', caller: { restricted: true } });
    routing.report('c-on-net', {
      kind: 'ended',
      at: new Date(),
      cause: 'busy',
      status: 486,
      by: 'callee',
    });
    // Outside, through the operator trunk; and an unknown extension.
    expect(await routing.route(call('c-out', alice, '0612345678'))).toMatchObject({
      kind: 'connect',
      callee: { kind: 'trunk', number: '+31612345678' },
    });
    expect(await routing.route(call('c-404', alice, '299'))).toMatchObject({ status: 404 });

    const acmeCalls = await eventually(async () => {
      const page = await get('/api/v1/groups/acme-hq/calls', 'acmeAdmin');
      return page.body.items.length === 4 &&
        page.body.items.some((c) => c.state === 'ended' && c.callId === 'c-internal') &&
        page.body.items.some((c) => c.callId === 'c-on-net' && c.state === 'ended')
        ? page
        : undefined;
    }, 'the four call records');
    expect(acmeCalls.status).toBe(200);
    const record = acmeCalls.body.items.find((c) => c.callId === 'c-internal');
    expect(record).toMatchObject({
      direction: 'internal',
      caller: { groupId: 'acme-hq', userId: '201', number: '+31201234501' },
      callee: { groupId: 'acme-hq', userId: '202' },
      durationS: 60,
      cause: 'normal',
      state: 'ended',
    });
    expect(acmeCalls.body.items.find((c) => c.callId === 'c-404')).toMatchObject({
      state: 'rejected',
      status: 404,
      cause: 'not-found',
    });

    // Keyset pages, newest first.
    const first = await get('/api/v1/groups/acme-hq/calls?limit=3', 'acmeAdmin');
    expect(first.body.items).toHaveLength(3);
    const second = await get(
      `/api/v1/groups/acme-hq/calls?limit=3&cursor=${first.body.nextCursor}`,
      'acmeAdmin',
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
    expect([...first.body.items, ...second.body.items].map((c) => c.callId).sort()).toEqual([
      'c-404',
      'c-internal',
      'c-on-net',
      'c-out',
    ]);

    // Another tenant sees neither the group nor its calls.
    expect((await get('/api/v1/groups/acme-hq/calls', 'globexAdmin')).status).toBe(404);
    expect((await get('/api/v1/calls/c-internal', 'globexAdmin')).status).toBe(404);
    expect((await get('/api/v1/calls/c-internal', 'acmeAdmin')).body).toMatchObject({
      callId: 'c-internal',
    });
    expect((await get('/api/v1/calls/c-internal', 'operator')).status).toBe(200);

    // The callee's side sees the on-net call, without the withheld caller.
    const carolLog = await get('/api/v1/me/calls', 'carol');
    expect(carolLog.body.items).toEqual([
      expect.objectContaining({
        callId: 'c-on-net',
        caller: { withheld: true },
        cause: 'busy',
        status: 486,
      }),
    ]);
    expect((await get('/api/v1/calls/c-on-net', 'globexAdmin')).body.caller).toEqual({
      withheld: true,
    });
    const aliceLog = await get('/api/v1/me/calls', 'alice');
    expect(aliceLog.body.items.map((c) => c.callId).sort()).toEqual([
      'c-404',
      'c-internal',
      'c-out',
    ]);
    expect((await get('/api/v1/me/calls', 'acmeAdmin')).status).toBe(403);
    expect((await get('/api/v1/groups/acme-hq/calls?cursor=nope', 'acmeAdmin')).status).toBe(400);
  });
});
