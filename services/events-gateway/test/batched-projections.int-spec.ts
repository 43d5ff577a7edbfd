import { randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { PROTOBUF_CONTENT_TYPE, type EventEnvelope } from '@pbx/events';
import { CallDirection, CallStartedSchema } from '@pbx/proto';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import { AUDIT_LOG_CHANNEL } from '../src/adapters/persistence/notification-channels';
import { Webhooks1764028800220 } from '../src/adapters/persistence/webhooks.migration';
import { AuditLogPositions1764028800210 } from '../src/adapters/projections/audit-log/audit-log-positions.migration';
import { AuditLog1764028800200 } from '../src/adapters/projections/audit-log/audit-log.migration';
import { auditLogProjection } from '../src/adapters/projections/audit-log/audit-log.projection';
import { webhookFanOutProjection } from '../src/adapters/projections/webhook-fan-out/webhook-fan-out.projection';

/**
 * The projections fed by every event apply a whole batch with a few statements (applyAll): the
 * result must be the one of applying the events one at a time.
 */
describe('projections applied a batch at a time', () => {
  let database: TestDatabase;
  let db: DataSource;
  const base = Date.UTC(2026, 10, 25, 9, 0, 0);

  /** A CallStarted whose caller name needs escaping in a JSON array literal. */
  function callStarted(
    tenant: string,
    offsetMs: number,
    name = 'Ann "the boss" \\ Ünal',
  ): EventEnvelope {
    const callId = randomUUID();
    return {
      id: randomUUID(),
      source: '/pbx/routing',
      type: CallStartedSchema.typeName,
      subject: `call-${callId}`,
      time: new Date(base + offsetMs),
      tenant,
      dataContentType: PROTOBUF_CONTENT_TYPE,
      data: toBinary(
        CallStartedSchema,
        create(CallStartedSchema, {
          callId,
          tenantId: tenant,
          direction: CallDirection.INTERNAL,
          caller: { tenantId: tenant, extension: '201', displayName: name },
          callee: { tenantId: tenant, extension: '202' },
          dialed: '202',
          startedAt: timestampFromDate(new Date(base + offsetMs)),
        }),
      ),
    };
  }

  /** An event of a type this build does not know: kept without its payload. */
  function unknownType(tenant: string, offsetMs: number): EventEnvelope {
    return {
      ...callStarted(tenant, offsetMs),
      id: randomUUID(),
      type: 'pbx.registrations.v1.SomethingNew',
      data: new Uint8Array([1, 2, 3]),
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openTestDataSource(database.url, [
      AuditLog1764028800200,
      AuditLogPositions1764028800210,
      Webhooks1764028800220,
    ]);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });
  beforeEach(async () => {
    await db.query(
      'TRUNCATE events_gateway_audit_log, events_gateway_tenant_positions, events_gateway_deliveries, events_gateway_webhooks CASCADE',
    );
  });

  async function auditLog(): Promise<unknown[]> {
    const rows: {
      event_id: string;
      tenant: string;
      position: string;
      type: string;
      subject: string;
      source: string;
      time: Date;
      data: unknown;
    }[] = await db.query(
      'SELECT event_id, tenant, position, type, subject, source, time, data FROM events_gateway_audit_log ORDER BY tenant, position',
    );
    return rows.map((r) => ({ ...r, position: Number(r.position) }));
  }

  it('gives the audit log the same entries and positions as one event at a time', async () => {
    const earlier = [callStarted('acme', 0), callStarted('acme', 1), callStarted('globex', 2)];
    const batch = [
      callStarted('acme', 10),
      callStarted('initech', 11),
      unknownType('acme', 12),
      callStarted('globex', 13),
      callStarted('acme', 14, 'Bob'),
      callStarted('initech', 15),
    ];

    for (const event of [...earlier, ...batch]) {
      await db.transaction((tx) => auditLogProjection.apply(event, tx));
    }
    const oneByOne = await auditLog();

    await db.query('TRUNCATE events_gateway_audit_log, events_gateway_tenant_positions');
    for (const event of earlier) await db.transaction((tx) => auditLogProjection.apply(event, tx));
    await db.transaction((tx) => auditLogProjection.applyAll!(batch, tx));
    const batched = await auditLog();

    expect(batched).toEqual(oneByOne);
    expect(
      (batched as { tenant: string; position: number; event_id: string }[]).map((r) => [
        r.tenant,
        r.position,
        [...earlier, ...batch].findIndex((e) => e.id === r.event_id),
      ]),
    ).toEqual([
      ['acme', 1, 0],
      ['acme', 2, 1],
      ['acme', 3, 3],
      ['acme', 4, 5],
      ['acme', 5, 7],
      ['globex', 1, 2],
      ['globex', 2, 6],
      ['initech', 1, 4],
      ['initech', 2, 8],
    ]);
    const names = (batched as { data: { caller?: { displayName?: string } } | null }[]).map(
      (r) => r.data?.caller?.displayName ?? null,
    );
    expect(names).toContain('Ann "the boss" \\ Ünal');
    expect(names).toContain(null);
  });

  it('keeps the rest of a batch when one of its events is in the log already', async () => {
    const seen = callStarted('acme', 0);
    await db.transaction((tx) => auditLogProjection.apply(seen, tx));
    const fresh = callStarted('acme', 1);
    await db.transaction((tx) => auditLogProjection.applyAll!([seen, fresh], tx));
    const rows = (await auditLog()) as { event_id: string }[];
    expect(rows.map((r) => r.event_id)).toEqual([seen.id, fresh.id]);
  });

  it("wakes each tenant's streams once per batch, after the commit", async () => {
    const listener = new Client({ connectionString: database.url });
    await listener.connect();
    try {
      const woken: string[] = [];
      listener.on('notification', (n) => woken.push(n.payload ?? ''));
      await listener.query(`LISTEN ${AUDIT_LOG_CHANNEL}`);
      await db.transaction(async (tx) => {
        await auditLogProjection.applyAll!(
          [callStarted('globex', 0), callStarted('acme', 1), callStarted('globex', 2)],
          tx,
        );
        await new Promise((r) => setTimeout(r, 50));
        expect(woken).toEqual([]);
      });
      const deadline = Date.now() + 2000;
      while (woken.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(woken.sort()).toEqual(['acme', 'globex']);
    } finally {
      await listener.end();
    }
  });

  it('queues each webhook the events it wants, in order, and only those after it was made', async () => {
    const webhook = async (tenant: string, types: string[], createdAt: number): Promise<string> => {
      const id = randomUUID();
      await db.query(
        `INSERT INTO events_gateway_webhooks (id, tenant, url, event_types, secret, created_at)
         VALUES ($1, $2, 'https://example.com/hook', $3, 'secret', $4)`,
        [id, tenant, types, new Date(base + createdAt)],
      );
      return id;
    };
    const calls = await webhook('acme', ['pbx.calls.v1.*'], -1000);
    const news = await webhook('acme', ['pbx.registrations.v1.*'], -1000);
    const late = await webhook('globex', ['*'], 5);
    const batch = [
      callStarted('acme', 0),
      callStarted('globex', 1),
      unknownType('acme', 2),
      callStarted('initech', 3),
      callStarted('acme', 4),
      callStarted('globex', 5),
      callStarted('globex', 6),
    ];
    await db.transaction((tx) => webhookFanOutProjection.applyAll!(batch, tx));

    const deliveries: { webhook_id: string; seq: string; event_id: string }[] = await db.query(
      'SELECT webhook_id, seq, event_id FROM events_gateway_deliveries ORDER BY webhook_id, seq',
    );
    const got = deliveries.map((d) => [
      d.webhook_id,
      Number(d.seq),
      batch.findIndex((e) => e.id === d.event_id),
    ]);
    expect(got.sort()).toEqual(
      [
        [calls, 1, 0],
        [calls, 2, 4],
        [news, 1, 2],
        [late, 1, 5],
        [late, 2, 6],
      ].sort(),
    );
    const seqs: { id: string; last_seq: string }[] = await db.query(
      'SELECT id, last_seq FROM events_gateway_webhooks',
    );
    expect(Object.fromEntries(seqs.map((s) => [s.id, Number(s.last_seq)]))).toEqual({
      [calls]: 2,
      [news]: 1,
      [late]: 2,
    });
  });

  it('queues nothing and touches no webhook for tenants without one', async () => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO events_gateway_webhooks (id, tenant, url, event_types, secret)
       VALUES ($1, 'acme', 'https://example.com/hook', ARRAY['*'], 'secret')`,
      [id],
    );
    await db.transaction((tx) =>
      webhookFanOutProjection.applyAll!([callStarted('globex', 0), callStarted('initech', 1)], tx),
    );
    expect(await db.query('SELECT count(*)::int AS n FROM events_gateway_deliveries')).toEqual([
      { n: 0 },
    ]);
  });
});
