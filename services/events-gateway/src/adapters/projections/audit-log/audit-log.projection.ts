import { fromBinary } from '@bufbuild/protobuf';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, eventSchema, toRedactedJson, TOPICS } from '@pbx/proto';

/**
 * Every public event per tenant, with its payload as protobuf JSON: the operator's audit trail
 * and what partner delivery (webhooks, streams) reads from.
 */
export const auditLogProjection: Projection = {
  name: CONSUMER_GROUPS.eventsGatewayAuditLog,
  topics: Object.values(TOPICS),

  async apply(event: EventEnvelope, tx: EntityManager): Promise<void> {
    const schema = eventSchema(event.type);
    // An event type this build does not know yet is kept without its payload, not dropped.
    // Secrets (a trunk's password) are for the SIP edge only: the log shows them redacted.
    const data = schema ? toRedactedJson(schema, fromBinary(schema, event.data)) : null;
    await tx.query(
      `INSERT INTO events_gateway_audit_log (event_id, tenant, type, subject, source, time, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
      [
        event.id,
        event.tenant,
        event.type,
        event.subject,
        event.source,
        event.time,
        data === null ? null : JSON.stringify(data),
      ],
    );
  },

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM events_gateway_audit_log');
  },
};
