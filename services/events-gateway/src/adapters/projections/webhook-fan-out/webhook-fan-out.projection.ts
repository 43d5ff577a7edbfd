import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { toCloudEvent } from '../../../domain/cloud-event';
import { EventTypeFilter } from '../../../domain/event-type-filter';
import { eventData } from '../../events/event-data';
import { WEBHOOK_QUEUE_CHANNEL } from '../../persistence/notification-channels';

/**
 * Queues a delivery of each event for every webhook of its tenant that wants its type. The
 * projection runner applies each event once (its inbox), so each webhook gets each event once;
 * the delivery's `seq` comes from the webhook row, locked until commit, so a webhook's
 * deliveries commit in the order the events arrived (a call's events in their order: one
 * partition per call). A webhook gets the events that happen after it was made.
 */
export const webhookFanOutProjection: Projection = {
  name: CONSUMER_GROUPS.eventsGatewayWebhookFanOut,
  topics: Object.values(TOPICS),

  apply(event: EventEnvelope, tx: EntityManager): Promise<void> {
    return queueDeliveries([event], tx);
  },

  applyAll: queueDeliveries,

  /**
   * Nothing to empty: deliveries are not a read model but work owed to partners. A rebuild
   * replays the log into the existing queue, where a delivery already there is not repeated and
   * an event whose delivery was forgotten after the retention period is not queued again.
   */
  async reset(): Promise<void> {},
};

/**
 * One query finds the webhooks every event of the batch goes to (most tenants have none, and
 * their events then cost nothing more); each delivery then takes its webhook's next seq in the
 * events' order, and the dispatchers are woken once.
 */
async function queueDeliveries(events: readonly EventEnvelope[], tx: EntityManager): Promise<void> {
  if (events.length === 0) return;
  const targets: { n: number; id: string; event_types: string[] }[] = await tx.query(
    `SELECT given.n::int AS n, w.id, w.event_types
       FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS given(tenant, time, n)
       JOIN events_gateway_webhooks w ON w.tenant = given.tenant AND w.created_at <= given.time
        AND (w.forgotten_before IS NULL OR w.forgotten_before <= given.time)
      ORDER BY given.n, w.id`,
    [events.map((e) => e.tenant), events.map((e) => e.time)],
  );
  let queued = false;
  let i = 0;
  while (i < targets.length) {
    const event = events[targets[i].n - 1];
    let body: string | undefined;
    for (; i < targets.length && events[targets[i].n - 1] === event; i++) {
      const webhook = targets[i];
      if (!EventTypeFilter.stored(webhook.event_types).matches(event.type)) continue;
      body ??= JSON.stringify(toCloudEvent({ ...event, data: eventData(event) }));
      await tx.query(
        `WITH next AS (
           UPDATE events_gateway_webhooks
              SET last_seq = last_seq + 1, next_due_at = COALESCE(next_due_at, now())
            WHERE id = $1 RETURNING last_seq)
         INSERT INTO events_gateway_deliveries
                (webhook_id, seq, event_id, event_type, event_time, body, status)
         SELECT $1, last_seq, $2, $3, $4, $5, 'pending' FROM next
         ON CONFLICT (webhook_id, event_id) DO NOTHING`,
        [webhook.id, event.id, event.type, event.time, body],
      );
      queued = true;
    }
  }
  if (queued) await tx.query('SELECT pg_notify($1, $2)', [WEBHOOK_QUEUE_CHANNEL, '']);
}
