import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { eventData } from '../../events/event-data';
import { AUDIT_LOG_CHANNEL } from '../../persistence/notification-channels';

/**
 * Every public event per tenant, with its payload as protobuf JSON: the operator's audit trail
 * and what event streams read from. Each entry takes the tenant's next position (see
 * AuditLogPositions1764028800210 for why they commit in order) and wakes the tenant's streams.
 *
 * A batch costs three statements whatever its size: the tenants' counters move on by their
 * number of events, the entries go in with one insert, and each tenant's streams are woken once.
 * (Three statements per event kept the log at about 140 events a second behind a registration
 * storm of 10,000 a second on the same event loop.)
 */
export const auditLogProjection: Projection = {
  name: CONSUMER_GROUPS.eventsGatewayAuditLog,
  topics: Object.values(TOPICS),

  apply(event: EventEnvelope, tx: EntityManager): Promise<void> {
    return appendToAuditLog([event], tx);
  },

  applyAll: appendToAuditLog,

  /**
   * Empties the log but keeps the tenants' counters: a rebuilt log continues above every position
   * handed out before, so a stream client resuming from an old position gets the history again
   * (duplicates, recognisable by event id) and never misses anything.
   */
  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM events_gateway_audit_log');
  },
};

async function appendToAuditLog(
  events: readonly EventEnvelope[],
  tx: EntityManager,
): Promise<void> {
  if (events.length === 0) return;
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.tenant, (counts.get(event.tenant) ?? 0) + 1);
  // Counters are locked in tenant order, so that two transactions taking several tenants' rows
  // (replicas applying batches) cannot wait on each other in a cycle.
  const tenants = [...counts.keys()].sort();
  const moved: { tenant: string; position: string }[] = await tx.query(
    `INSERT INTO events_gateway_tenant_positions (tenant, position)
     SELECT tenant, n FROM unnest($1::text[], $2::bigint[]) AS given(tenant, n) ORDER BY tenant
     ON CONFLICT (tenant) DO UPDATE
       SET position = events_gateway_tenant_positions.position + EXCLUDED.position
     RETURNING tenant, position::text AS position`,
    [tenants, tenants.map((t) => counts.get(t))],
  );
  // Each tenant's events take the positions just handed out, in the order the events came.
  const next = new Map<string, bigint>();
  for (const { tenant, position } of moved) {
    next.set(tenant, BigInt(position) - BigInt(counts.get(tenant) as number) + 1n);
  }
  const positions = events.map((event) => {
    const position = next.get(event.tenant) as bigint;
    next.set(event.tenant, position + 1n);
    return position.toString();
  });
  await tx.query(
    `INSERT INTO events_gateway_audit_log (event_id, tenant, position, type, subject, source, time, data)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                          $7::timestamptz[], $8::jsonb[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      events.map((e) => e.id),
      events.map((e) => e.tenant),
      positions,
      events.map((e) => e.type),
      events.map((e) => e.subject),
      events.map((e) => e.source),
      events.map((e) => e.time),
      await payloadsOf(events),
    ],
  );
  await tx.query('SELECT pg_notify($1, tenant) FROM unnest($2::text[]) AS given(tenant)', [
    AUDIT_LOG_CHANNEL,
    tenants,
  ]);
}

/** Payloads decoded per slice, between which the event loop carries the calls. */
const DECODED_PER_TURN = 25;

/**
 * The events' payloads as JSON text. Decoding takes about 60 us an event: a whole batch at once
 * held the event loop, and every call's signalling behind it, for 12 ms.
 */
async function payloadsOf(events: readonly EventEnvelope[]): Promise<(string | null)[]> {
  const payloads: (string | null)[] = [];
  for (const event of events) {
    if (payloads.length > 0 && payloads.length % DECODED_PER_TURN === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const data = eventData(event);
    payloads.push(data === null ? null : JSON.stringify(data));
  }
  return payloads;
}
