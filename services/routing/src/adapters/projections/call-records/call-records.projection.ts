import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { assertNever } from '../../../domain/directory/directory';
import { callEventCodec } from '../../events/call-event.codec';

/**
 * The call detail records, from `pbx.calls.v1`. A call's events arrive in order (partition key:
 * its stream); each update applies only in the state it expects, so a repeated or late event
 * changes nothing.
 */
export const callRecordsProjection: Projection = {
  name: CONSUMER_GROUPS.routingCallRecords,
  topics: [TOPICS.calls],

  async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
    if (!envelope.type.startsWith('pbx.calls.v1.')) return;
    const event = callEventCodec.decode(envelope.type, envelope.data);
    switch (event.type) {
      case 'CallStarted': {
        const { caller, callee } = event;
        await tx.query(
          `INSERT INTO routing_cdr (call_id, tenant_id, group_id, direction,
             caller_tenant_id, caller_group_id, caller_user_id, caller_extension, caller_number, caller_name,
             caller_device_id, callee_tenant_id, callee_group_id, callee_user_id, callee_extension,
             callee_number, callee_name, trunk_id, dialed, presentation_restricted, state, started_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
             $20, 'started', $21)
           ON CONFLICT (call_id) DO NOTHING`,
          [
            event.callId,
            event.tenantId,
            event.groupId ?? null,
            event.direction,
            caller.tenantId ?? null,
            caller.groupId ?? null,
            caller.userId ?? null,
            caller.extension ?? null,
            caller.number ?? null,
            caller.displayName ?? null,
            caller.deviceId ?? null,
            callee.tenantId ?? null,
            callee.groupId ?? null,
            callee.userId ?? null,
            callee.extension ?? null,
            callee.number ?? null,
            callee.displayName ?? null,
            caller.trunkId ?? callee.trunkId ?? null,
            event.dialed,
            event.presentationRestricted,
            event.startedAt,
          ],
        );
        return;
      }
      case 'CallRejected':
        await tx.query(
          `UPDATE routing_cdr SET state = 'rejected', ended_at = $2, cause = $3, status = $4, reason = $5,
             ended_by = 'platform', duration_s = 0
            WHERE call_id = $1 AND state = 'started'`,
          [event.callId, event.rejectedAt, event.cause, event.status, event.reason],
        );
        return;
      case 'CallRinging':
        await tx.query(
          `UPDATE routing_cdr SET state = 'ringing' WHERE call_id = $1 AND state = 'started'`,
          [event.callId],
        );
        return;
      case 'CallAnswered':
        await tx.query(
          `UPDATE routing_cdr SET state = 'answered', answered_at = $2, answered_device_id = $3
            WHERE call_id = $1 AND state IN ('started', 'ringing')`,
          [event.callId, event.answeredAt, event.deviceId ?? null],
        );
        return;
      case 'CallHeld':
      case 'CallResumed':
        return;
      case 'CallEnded':
        // Duration is talk time, answer to end (U1); an unanswered call lasted 0 s.
        await tx.query(
          `UPDATE routing_cdr SET state = 'ended', ended_at = $2, cause = $3, status = $4, ended_by = $5,
             duration_s = CASE WHEN answered_at IS NULL THEN 0
                               ELSE GREATEST(0, round(extract(epoch FROM ($2::timestamptz - answered_at))))::int END
            WHERE call_id = $1 AND state IN ('started', 'ringing', 'answered')`,
          [event.callId, event.endedAt, event.cause, event.status ?? null, event.by],
        );
        return;
      default:
        return assertNever(event);
    }
  },

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM routing_cdr');
  },
};
