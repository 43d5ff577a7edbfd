import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import {
  assertNever,
  type AssignmentTarget,
  type NumberAssignment,
} from '../../../domain/number-block/number-block';
import { lastNumber } from '../../../domain/number-range';
import { numberBlockEventCodec } from '../../events/number-block-event.codec';

const PACKAGE = 'pbx.numbers.v1.';
/** The block's own events; the inventory's travel on the same topic and are not read here. */
const HANDLES = new Set(
  [
    'NumberBlockOrdered',
    'NumberBlockPortingScheduled',
    'NumberBlockActivated',
    'NumberBlockCancelled',
    'NumberBlockSplit',
    'NumberBlockSplitPartCreated',
    'NumberAssigned',
    'NumberUnassigned',
  ].map((name) => PACKAGE + name),
);

function targetColumns(target: AssignmentTarget): [string, string, string | null] {
  switch (target.type) {
    case 'group':
      return ['group', target.groupId, null];
    case 'department':
      return ['department', target.groupId, target.departmentId];
    case 'user':
      return ['user', target.groupId, target.userId];
    default:
      return assertNever(target);
  }
}

async function insertAssignments(
  tx: EntityManager,
  blockId: string,
  assignments: readonly NumberAssignment[],
): Promise<void> {
  for (const { number, target } of assignments) {
    await tx.query(
      `INSERT INTO numbers_assignments (block_id, number, target_type, group_id, target_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (block_id, number) DO UPDATE SET target_type = EXCLUDED.target_type,
         group_id = EXCLUDED.group_id, target_id = EXCLUDED.target_id`,
      [blockId, number, ...targetColumns(target)],
    );
  }
}

/** Moves a block's row on by one event of its stream; `version` counts them (its ETag). */
async function advance(
  tx: EntityManager,
  blockId: string,
  time: Date,
  set: string,
  params: readonly unknown[] = [],
): Promise<void> {
  await tx.query(
    `UPDATE numbers_blocks SET ${set}${set ? ', ' : ''}version = version + 1, updated_at = $2
     WHERE block_id = $1`,
    [blockId, time, ...params],
  );
}

/**
 * Number blocks by tenant and state, and the assignments of their numbers. Rows follow each
 * block's stream; a split parent keeps its row (state `split`) and its parts get their own.
 */
export const blockDirectoryProjection: Projection = {
  name: CONSUMER_GROUPS.numbersBlockDirectory,
  topics: [TOPICS.numbers],

  async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
    if (!HANDLES.has(envelope.type)) return;
    const event = numberBlockEventCodec.decode(envelope.type, envelope.data);
    const time = envelope.time;
    switch (event.type) {
      case 'NumberBlockOrdered':
      case 'NumberBlockSplitPartCreated': {
        const part = event.type === 'NumberBlockSplitPartCreated';
        await tx.query(
          `INSERT INTO numbers_blocks (block_id, tenant_id, status, order_kind, number_kind, country,
             first_number, last_number, size, assignment_letter, order_reference, parent_block_id,
             porting_date, parts, assignments, version, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, NULL, $13, 1, $14)
           ON CONFLICT (block_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id,
             status = EXCLUDED.status, order_kind = EXCLUDED.order_kind,
             number_kind = EXCLUDED.number_kind, country = EXCLUDED.country,
             first_number = EXCLUDED.first_number, last_number = EXCLUDED.last_number,
             size = EXCLUDED.size, assignment_letter = EXCLUDED.assignment_letter,
             order_reference = EXCLUDED.order_reference, parent_block_id = EXCLUDED.parent_block_id,
             porting_date = NULL, parts = NULL, assignments = EXCLUDED.assignments,
             version = numbers_blocks.version + 1, updated_at = EXCLUDED.updated_at`,
          [
            event.blockId,
            event.tenantId,
            part ? 'active' : 'requested',
            part ? 'split' : event.orderKind,
            event.numberKind,
            event.country,
            event.firstNumber,
            lastNumber(event),
            event.size,
            event.assignmentLetter,
            event.orderReference,
            part ? event.parentBlockId : null,
            part ? event.assignments.length : 0,
            time,
          ],
        );
        await tx.query('DELETE FROM numbers_assignments WHERE block_id = $1', [event.blockId]);
        if (part) await insertAssignments(tx, event.blockId, event.assignments);
        return;
      }
      case 'NumberBlockPortingScheduled':
        await advance(tx, event.blockId, time, `status = 'porting', porting_date = $3`, [
          event.portingDate,
        ]);
        return;
      case 'NumberBlockActivated':
        await advance(tx, event.blockId, time, `status = 'active', porting_date = NULL`);
        return;
      case 'NumberBlockCancelled':
        await advance(tx, event.blockId, time, `status = 'cancelled', porting_date = NULL`);
        return;
      case 'NumberBlockSplit':
        // The numbers and their assignments now belong to the parts (their own rows).
        await advance(tx, event.blockId, time, `status = 'split', parts = $3, assignments = 0`, [
          event.parts.map((p) => p.blockId),
        ]);
        await tx.query('DELETE FROM numbers_assignments WHERE block_id = $1', [event.blockId]);
        return;
      case 'NumberAssigned':
        await insertAssignments(tx, event.blockId, [event]);
        await advance(
          tx,
          event.blockId,
          time,
          `assignments = (SELECT count(*) FROM numbers_assignments WHERE block_id = $1)`,
        );
        return;
      case 'NumberUnassigned':
        await tx.query('DELETE FROM numbers_assignments WHERE block_id = $1 AND number = $2', [
          event.blockId,
          event.number,
        ]);
        await advance(
          tx,
          event.blockId,
          time,
          `assignments = (SELECT count(*) FROM numbers_assignments WHERE block_id = $1)`,
        );
        return;
      default:
        assertNever(event);
    }
  },

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM numbers_assignments');
    await tx.query('DELETE FROM numbers_blocks');
  },
};
