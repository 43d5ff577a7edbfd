import { connect } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@pbx/testing';
import { appendCall, appendTenant, CALL_TYPES } from './support/call-events';
import { eventually, startGateway, type Gateway } from './support/gateway-platform';
import { SseClient, type SseMessage } from './support/sse-client';

interface StreamedEvent {
  id: string;
  type: string;
  tenant: string;
  specversion: string;
  data: { callId?: string };
}

const parsed = (messages: readonly SseMessage[]): StreamedEvent[] =>
  messages.map((m) => JSON.parse(m.data) as StreamedEvent);

describe('event streams (SSE) in a running platform', () => {
  let database: TestDatabase;
  let gateway: Gateway;
  let acme: string;
  let globex: string;
  const clients: SseClient[] = [];

  async function open(query: string, token: string, lastEventId?: string): Promise<SseClient> {
    const client = await SseClient.open(
      `${gateway.platform.url}/api/v1/events/stream${query}`,
      token,
      lastEventId,
    );
    clients.push(client);
    return client;
  }

  /** The tenant's audit log as the API lists it: the ids and positions streams must match. */
  async function auditLog(tenant: string): Promise<{ id: string; position: string }[]> {
    const { body } = await gateway.api(
      'GET',
      `/api/v1/audit-log?tenant=${tenant}&limit=500`,
      gateway.operatorToken,
    );
    return (body.items as { id: string; position: string }[]).sort(
      (a, b) => Number(a.position) - Number(b.position),
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    gateway = await startGateway(database.url, { PBX_STREAM_STALL_TIMEOUT_MS: '1000' });
    await appendTenant(gateway.provisioning, 'acme');
    await appendTenant(gateway.provisioning, 'globex');
    // Provisioning's and routing's events reach the audit log through relays of their own: the
    // tests expect each tenant's log to start with its TenantCreated, so they wait for it.
    for (const tenant of ['acme', 'globex']) {
      await eventually(
        async () => ((await auditLog(tenant)).length > 0 ? true : undefined),
        `${tenant}'s TenantCreated in the audit log`,
      );
    }
    acme = await gateway.token({ role: 'enterprise-admin', tenantId: 'acme' });
    globex = await gateway.token({ role: 'group-admin', tenantId: 'globex', groupId: 'globex' });
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await gateway?.platform.stop('test done');
    await database?.drop();
  });

  it('resumes after a disconnect from the last position with nothing lost or repeated', async () => {
    await appendCall(gateway.routing, 'acme');
    await appendCall(gateway.routing, 'globex');
    const first = await open('?after=0', acme);
    expect(first.status).toBe(200);
    await first.waitFor(5); // TenantCreated and the call's four events.
    await first.close();
    const before = [...first.messages];
    // Events that happen while the client is away, of both tenants.
    await appendCall(gateway.routing, 'acme');
    await appendCall(gateway.routing, 'globex');
    await appendCall(gateway.routing, 'acme');
    const second = await open('?after=0', acme, first.lastId);
    await second.waitFor(8);
    await appendCall(gateway.routing, 'acme'); // Live, after the stored backlog.
    await second.waitFor(12);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const log = await auditLog('acme');
    expect(log).toHaveLength(17);
    const streamed = [...before, ...second.messages];
    expect(streamed.map((m) => m.id)).toEqual(log.map((e) => e.position));
    expect(parsed(streamed).map((e) => e.id)).toEqual(log.map((e) => e.id));
    expect(new Set(parsed(streamed).map((e) => e.tenant))).toEqual(new Set(['acme']));
    expect(
      parsed(second.messages)
        .slice(-4)
        .map((e) => e.type),
    ).toEqual(CALL_TYPES);
    expect(parsed(streamed)[0]).toMatchObject({
      specversion: '1.0',
      type: 'pbx.provisioning.v1.TenantCreated',
    });
  });

  it('starts with the next event when no position is given, and filters by type', async () => {
    const live = await open('', acme);
    const ended = await open('?types=pbx.calls.v1.CallEnded,pbx.calls.v1.CallStarted', acme);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const callId = await appendCall(gateway.routing, 'acme');
    const events = parsed(await live.waitFor(4));
    expect(events.map((e) => e.type)).toEqual(CALL_TYPES);
    expect(events.every((e) => e.data.callId === callId)).toBe(true);
    expect(parsed(await ended.waitFor(2)).map((e) => e.type)).toEqual([
      'pbx.calls.v1.CallStarted',
      'pbx.calls.v1.CallEnded',
    ]);
  });

  it("shows a tenant only its own events, and another tenant's stream is 404", async () => {
    const mine = await open('', globex);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await appendCall(gateway.routing, 'acme');
    await appendCall(gateway.routing, 'globex');
    await mine.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mine.messages).toHaveLength(4);
    expect(new Set(parsed(mine.messages).map((e) => e.tenant))).toEqual(new Set(['globex']));
    const theirs = await open('?tenant=acme&after=0', globex);
    expect(theirs.status).toBe(404);
    // The operator names the tenant.
    expect((await open('?after=0', gateway.operatorToken)).status).toBe(400);
    // A tenant without events is unknown, as for webhooks: a typo is not a quiet stream.
    expect((await open('?tenant=nobody&after=0', gateway.operatorToken)).status).toBe(404);
    const operator = await open('?tenant=globex&after=0', gateway.operatorToken);
    expect(new Set(parsed(await operator.waitFor(9)).map((e) => e.tenant))).toEqual(
      new Set(['globex']),
    );
  });

  it('refuses a bad position, bad types and a missing token', async () => {
    expect((await open('', acme, 'yesterday')).status).toBe(400);
    expect((await open('?after=-1', acme)).status).toBe(400);
    const types = await open('?types=pbx.calls.v1.Nope', acme);
    expect(types.status).toBe(400);
    expect(types.comments.join()).toContain('pbx.calls.v1.Nope');
    expect((await open('', 'not-a-token')).status).toBe(401);
  });

  it('sends heartbeats while idle', async () => {
    const idle = await open('', acme);
    await eventually(
      async () => (idle.comments.includes('heartbeat') ? true : undefined),
      'a heartbeat comment',
      5_000,
    );
  });

  it('cuts a client that stops reading instead of buffering for it', async () => {
    // 8,000 events of 4 kB: far more than the socket buffers hold.
    await gateway.platform.parts.database.query(
      `INSERT INTO events_gateway_audit_log (event_id, tenant, position, type, subject, source, time, data)
       SELECT gen_random_uuid(), 'slowpoke', g, 'pbx.calls.v1.CallRinging', 'call-slow', '/pbx/routing',
              now(), jsonb_build_object('callId', repeat('x', 4000))
         FROM generate_series(1, 8000) g`,
    );
    // As the audit-log projection would have left it: the tenant's position.
    await gateway.platform.parts.database.query(
      `INSERT INTO events_gateway_tenant_positions (tenant, position) VALUES ('slowpoke', 8000)`,
    );
    const url = new URL(gateway.platform.url);
    const socket = connect(Number(url.port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `GET /api/v1/events/stream?tenant=slowpoke&after=0 HTTP/1.1\r\nHost: ${url.host}\r\n` +
        `Authorization: Bearer ${gateway.operatorToken}\r\n\r\n`,
    );
    socket.pause();
    const metric = async (): Promise<string> =>
      (await fetch(`${gateway.platform.url}/metrics`)).text();
    const cut = await eventually(
      async () => {
        const text = await metric();
        return /pbx_event_streams_ended_total\{reason="too-slow"[^}]*\} 1/.test(text)
          ? text
          : undefined;
      },
      'the slow stream to be cut',
      15_000,
    );
    const sent = /pbx_event_stream_events_total\{[^}]*\} (\d+)/.exec(cut);
    // It stopped reading the log when the socket stopped taking: far from all 8,000.
    expect(Number(sent?.[1])).toBeLessThan(8000);
    socket.destroy();
  });

  it('tells streams to reconnect when the server shuts down', async () => {
    const client = await open('', acme);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await gateway.platform.stop('test shutdown');
    await eventually(
      async () => (client.comments.some((c) => c.includes('shutting down')) ? true : undefined),
      'the shutdown comment',
      5_000,
    );
  });
});
