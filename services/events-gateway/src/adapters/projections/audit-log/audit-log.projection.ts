import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { eventData } from '../../events/event-data';
import { AUDIT_LOG_CHANNEL } from '../../persistence/notification-channels';

/**
 * Every public event per tenant, with its payload as protobuf JSON: the operator's audit trail
 * and what event streams read from. Each entry takes the tenant's next position (see
 * AuditLogPositions1764028800210 for why they commit in order) and wakes the tenant's streams.
 */
export const auditLogProjection: Projection = {
  name: CONSUMER_GROUPS.eventsGatewayAuditLog,
  topics: Object.values(TOPICS),

  async apply(event: EventEnvelope, tx: EntityManager): Promise<void> {
    const data = eventData(event);
    const [{ position }]: { position: string }[] = await tx.query(
      `INSERT INTO events_gateway_tenant_positions (tenant, position) VALUES ($1, 1)
       ON CONFLICT (tenant) DO UPDATE SET position = events_gateway_tenant_positions.position + 1
       RETURNING position`,
      [event.tenant],
    );
    await tx.query(
      `INSERT INTO events_gateway_audit_log (event_id, tenant, position, type, subject, source, time, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
      [
        event.id,
        event.tenant,
        position,
        event.type,
        event.subject,
        event.source,
        event.time,
        data === null ? null : JSON.stringify(data),
      ],
    );
    await tx.query('SELECT pg_notify($1, $2)', [AUDIT_LOG_CHANNEL, event.tenant]);
  },

  /**
   * Empties the log but keeps the tenants' counters: a rebuilt log continues above every position
   * handed out before, so a stream client resuming from an old position gets the history again
   * (duplicates, recognisable by event id) and never misses anything.
   */
  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM events_gateway_audit_log');
  },
};
