import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@pbx/platform';
import { groupDecider } from '../../../domain/group/group.decider';
import { groupSpecError, validateGroupSpec } from '../../../domain/group/group-spec';
import { groupStateToSpec } from '../../../domain/group/group-state-to-spec';
import type { ActiveGroupState } from '../../../domain/group/group';
import { GroupConflicts } from '../../group-conflicts';
import { GroupRepository, identityOf, type LoadedGroup } from '../../group-repository';

/** A group's spec as plain, editable data (the shape of a config file's `spec`). */
export interface EditableSpec {
  /** Fixed at creation (T3): the edit keeps it, and the decider refuses any other value. */
  enterprise?: string;
  domain: string;
  timezone: string;
  mainNumber: string;
  departments: { name: string; number?: string }[];
  users: EditableUser[];
  huntGroups: {
    extension: string;
    name: string;
    policy: string;
    number?: string;
    members: string[];
  }[];
  schedules: Record<string, unknown>[];
  /** Without passwords: a trunk left so keeps its stored one. */
  trunks: Record<string, unknown>[];
}

export interface EditableUser {
  extension: string;
  name: string;
  email?: string;
  profile: string;
  department?: string;
  /** Absent means allowed. */
  presentation?: string;
  numbers: string[];
  devices: { username: string; password?: string; kind: string; flexHost: boolean }[];
}

export function editableSpec(state: ActiveGroupState): EditableSpec {
  return JSON.parse(JSON.stringify(groupStateToSpec(state))) as EditableSpec;
}

/**
 * Every REST change to a group (a user, a device...) is an edit of its whole spec, decided by
 * the same rules as `pbx apply`, so the API and config files can never disagree on what is valid.
 */
@Injectable()
export class ChangeGroupUseCase {
  constructor(
    @Inject(GroupRepository) private readonly groups: GroupRepository,
    @Inject(GroupConflicts) private readonly conflicts: GroupConflicts,
  ) {}

  async execute(
    principal: Principal,
    name: string,
    edit: (spec: EditableSpec, state: ActiveGroupState) => void,
    expectedVersion?: number,
  ): Promise<LoadedGroup> {
    const group = await this.groups.findFor(principal, name);
    const spec = editableSpec(group.state);
    edit(spec, group.state);
    const validation = validateGroupSpec(spec);
    if (!validation.ok) throw groupSpecError(validation.problems);
    const conflicts = await this.conflicts.check(
      identityOf(group.state),
      validation.spec,
      group.state.tenantId,
    );
    if (conflicts.length > 0) throw groupSpecError(conflicts);
    const events = groupDecider.decide(
      { type: 'ApplyGroupSpec', groupId: name, spec: validation.spec },
      group.state,
    );
    const version = await this.groups.save({
      name,
      enterprise: group.state.enterprise,
      tenantId: group.state.tenantId,
      events,
      version: expectedVersion ?? group.version,
      spec: validation.spec,
    });
    const state = events.reduce(
      groupDecider.evolve,
      group.state as Parameters<typeof groupDecider.evolve>[0],
    );
    if (state.status !== 'active') throw new TypeError('a group edit cannot delete the group');
    return { state, version };
  }
}
