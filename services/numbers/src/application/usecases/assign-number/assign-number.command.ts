import { z } from 'zod';
import { assertNever, type AssignmentTarget } from '../../../domain/number-block/number-block';
import { parseInput } from '../../validation';

const ID = z.string().min(1).max(64);
const target = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('group'), groupId: ID }),
  z.strictObject({ type: z.literal('department'), groupId: ID, id: ID }),
  z.strictObject({ type: z.literal('user'), groupId: ID, id: ID }),
]);
export const ASSIGN_NUMBER_BODY = z.strictObject({ number: z.string().min(1).max(40), target });

/**
 * `POST /number-blocks/{id}/assignments`: `{ number, target: { type, groupId, id } }`, where `id`
 * names the department or the user (not given for the group itself).
 */
export class AssignNumberCommand {
  private constructor(
    readonly blockId: string,
    readonly number: string,
    readonly target: AssignmentTarget,
    readonly expectedVersion: number | undefined,
  ) {}

  static create(blockId: string, input: unknown, expectedVersion?: number): AssignNumberCommand {
    const data = parseInput(ASSIGN_NUMBER_BODY, input);
    const t = data.target;
    const assignee: AssignmentTarget =
      t.type === 'group'
        ? { type: 'group', groupId: t.groupId }
        : t.type === 'department'
          ? { type: 'department', groupId: t.groupId, departmentId: t.id }
          : { type: 'user', groupId: t.groupId, userId: t.id };
    return new AssignNumberCommand(blockId, data.number, assignee, expectedVersion);
  }
}

/** A target as the API writes it: `{ type, groupId, id? }`. */
export function targetView(target: AssignmentTarget): {
  type: AssignmentTarget['type'];
  groupId: string;
  id?: string;
} {
  switch (target.type) {
    case 'group':
      return { type: 'group', groupId: target.groupId };
    case 'department':
      return { type: 'department', groupId: target.groupId, id: target.departmentId };
    case 'user':
      return { type: 'user', groupId: target.groupId, id: target.userId };
    default:
      return assertNever(target);
  }
}
