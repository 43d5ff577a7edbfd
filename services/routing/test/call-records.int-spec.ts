import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PROTOBUF_CONTENT_TYPE, type EventEnvelope } from '@pbx/events';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import { callEventCodec } from '../src/adapters/events/call-event.codec';
import { RoutingCallRecords1764028801100 } from '../src/adapters/projections/call-records/call-records.migration';
import { callRecordsProjection } from '../src/adapters/projections/call-records/call-records.projection';
import type { CallEvent } from '../src/domain/call/call';

const at = (s: number): string => new Date(Date.UTC(2025, 2, 10, 9, 0, s)).toISOString();

function envelope(event: CallEvent): EventEnvelope {
  const { type, data } = callEventCodec.encode(event);
  return {
    id: randomUUID(),
    source: '/pbx/routing',
    type,
    subject: `call-${event.callId}`,
    time: new Date(),
    tenant: 'acme',
    dataContentType: PROTOBUF_CONTENT_TYPE,
    data,
  };
}

describe('the call detail records on PostgreSQL', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openTestDataSource(database.url, [RoutingCallRecords1764028801100]);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const apply = (event: CallEvent): Promise<void> =>
    db.transaction((tx) => callRecordsProjection.apply(envelope(event), tx));

  it('keeps talk time from answer to end, and ignores what comes after the end', async () => {
    await apply({
      type: 'CallStarted',
      callId: 'c1',
      tenantId: 'acme',
      groupId: 'acme-hq',
      direction: 'outbound',
      caller: {
        tenantId: 'acme',
        groupId: 'acme-hq',
        userId: '201',
        extension: '201',
        number: '+31201234501',
      },
      callee: { number: '+31612345678', trunkId: 'operator:wholesale' },
      dialed: '0612345678',
      presentationRestricted: false,
      startedAt: at(0),
    });
    await apply({ type: 'CallRinging', callId: 'c1', ringingAt: at(1) });
    await apply({ type: 'CallAnswered', callId: 'c1', answeredAt: at(4) });
    await apply({
      type: 'CallEnded',
      callId: 'c1',
      cause: 'normal',
      by: 'callee',
      endedAt: at(49),
    });
    // A late report and a second end (a redelivery with another id) change nothing.
    await apply({ type: 'CallRinging', callId: 'c1', ringingAt: at(50) });
    await apply({
      type: 'CallEnded',
      callId: 'c1',
      cause: 'failed',
      by: 'platform',
      endedAt: at(59),
    });
    const [row] = await db.query('SELECT * FROM routing_cdr WHERE call_id = $1', ['c1']);
    expect(row).toMatchObject({
      state: 'ended',
      direction: 'outbound',
      caller_user_id: '201',
      callee_number: '+31612345678',
      trunk_id: 'operator:wholesale',
      duration_s: 45,
      cause: 'normal',
      ended_by: 'callee',
    });
    expect(new Date(row.ended_at).toISOString()).toBe(at(49));
  });

  it('records a refused call with its status and no talk time', async () => {
    await apply({
      type: 'CallStarted',
      callId: 'c2',
      tenantId: 'acme',
      direction: 'internal',
      caller: { groupId: 'acme-hq', userId: '201' },
      callee: { groupId: 'acme-hq', extension: '299' },
      dialed: '299',
      presentationRestricted: false,
      startedAt: at(0),
    });
    await apply({
      type: 'CallRejected',
      callId: 'c2',
      status: 404,
      reason: 'group acme-hq has no extension 299',
      cause: 'not-found',
      rejectedAt: at(0),
    });
    const [row] = await db.query('SELECT * FROM routing_cdr WHERE call_id = $1', ['c2']);
    expect(row).toMatchObject({
      state: 'rejected',
      status: 404,
      cause: 'not-found',
      duration_s: 0,
    });
  });
});
