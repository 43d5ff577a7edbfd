import { fromBinary } from '@bufbuild/protobuf';
import {
  DepartmentAddedSchema,
  DepartmentChangedSchema,
  DepartmentRemovedSchema,
  GroupCreatedSchema,
  GroupDeletedSchema,
  GroupSettingsChangedSchema,
  HuntGroupAddedSchema,
  HuntGroupChangedSchema,
  HuntGroupRemovedSchema,
  UserAddedSchema,
  UserNumbersChangedSchema,
  UserRemovedSchema,
} from '@pbx/proto';
import type { AssignmentTarget } from '../../../domain/number-block/number-block';
import { parseE164 } from '../../../domain/number-kind';

/**
 * What in a group's configuration uses numbers, as a key of `numbers_group_numbers.owner`:
 * `group` (the main number), `department:<name>`, `user:<extension>`, `hunt-group:<extension>`.
 */
export type Owner = string;

/** What one provisioning event says about the numbers of a group's configuration. */
export type GroupNumbersChange =
  /** `owner` uses exactly `numbers` now (none: it was removed or uses none). */
  | { readonly kind: 'set'; readonly group: string; readonly owner: Owner; numbers: string[] }
  /** The group is gone: every number it used is free. */
  | { readonly kind: 'deleted'; readonly group: string };

const set = (group: string, owner: Owner, numbers: readonly (string | undefined)[]) =>
  ({ kind: 'set', group, owner, numbers: normalized(numbers) }) as const;

/** Valid E.164 numbers, distinct; anything else cannot be in a block and is left out. */
function normalized(numbers: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const n of numbers) {
    if (!n) continue;
    try {
      out.add(parseE164(n));
    } catch {
      // Not a number any block can hold.
    }
  }
  return [...out];
}

/** The number-related content of a provisioning event; undefined for every other event. */
export function groupNumbersChangeOf(
  type: string,
  data: Uint8Array,
): GroupNumbersChange | undefined {
  switch (type) {
    case GroupCreatedSchema.typeName: {
      const e = fromBinary(GroupCreatedSchema, data);
      return set(e.groupId || e.name, 'group', [e.mainNumber]);
    }
    case GroupSettingsChangedSchema.typeName: {
      const e = fromBinary(GroupSettingsChangedSchema, data);
      return set(e.groupId || e.name, 'group', [e.mainNumber]);
    }
    case GroupDeletedSchema.typeName:
      return { kind: 'deleted', group: fromBinary(GroupDeletedSchema, data).groupId };
    case UserAddedSchema.typeName: {
      const e = fromBinary(UserAddedSchema, data);
      return set(e.groupId, `user:${e.extension}`, e.numbers);
    }
    case UserNumbersChangedSchema.typeName: {
      const e = fromBinary(UserNumbersChangedSchema, data);
      return set(e.groupId, `user:${e.extension}`, e.numbers);
    }
    case UserRemovedSchema.typeName: {
      const e = fromBinary(UserRemovedSchema, data);
      return set(e.groupId, `user:${e.extension}`, []);
    }
    case DepartmentAddedSchema.typeName: {
      const e = fromBinary(DepartmentAddedSchema, data);
      return set(e.groupId, `department:${e.name}`, [e.number]);
    }
    case DepartmentChangedSchema.typeName: {
      const e = fromBinary(DepartmentChangedSchema, data);
      return set(e.groupId, `department:${e.name}`, [e.number]);
    }
    case DepartmentRemovedSchema.typeName: {
      const e = fromBinary(DepartmentRemovedSchema, data);
      return set(e.groupId, `department:${e.name}`, []);
    }
    case HuntGroupAddedSchema.typeName: {
      const e = fromBinary(HuntGroupAddedSchema, data);
      return set(e.groupId, `hunt-group:${e.extension}`, [e.number]);
    }
    case HuntGroupChangedSchema.typeName: {
      const e = fromBinary(HuntGroupChangedSchema, data);
      return set(e.groupId, `hunt-group:${e.extension}`, [e.number]);
    }
    case HuntGroupRemovedSchema.typeName: {
      const e = fromBinary(HuntGroupRemovedSchema, data);
      return set(e.groupId, `hunt-group:${e.extension}`, []);
    }
    default:
      return undefined;
  }
}

/**
 * Who a number of `owner` is assigned to. A hunt group has no target of its own (a target with
 * a label does not exist): its number is assigned to the group, like the main number.
 */
export function targetOf(group: string, owner: Owner): AssignmentTarget {
  const colon = owner.indexOf(':');
  const kind = colon < 0 ? owner : owner.slice(0, colon);
  const id = owner.slice(colon + 1);
  if (kind === 'user') return { type: 'user', groupId: group, userId: id };
  if (kind === 'department') return { type: 'department', groupId: group, departmentId: id };
  return { type: 'group', groupId: group };
}
