import { Inject, Injectable } from '@nestjs/common';
import {
  evolveAll,
  STREAM_DOES_NOT_EXIST,
  type EventStore,
  type NewEvent,
  type TransactionalEventStore,
} from '@pbx/events';
import { canAccess, EVENT_STORE, type Principal } from '@pbx/platform';
import { ProvisioningError, ProvisioningErrorCode } from '../domain/provisioning.error';
import {
  groupStreamId,
  type ActiveGroupState,
  type GroupState,
  type GroupEvent,
} from '../domain/group/group';
import { groupDecider } from '../domain/group/group.decider';
import type { GroupSpec } from '../domain/group/group-spec';
import { groupEventCodec } from '../adapters/events/group-event.codec';
import { syncGroupClaims, type Sql } from './claim-ledger';
import type { GroupIdentity } from './group-claims';

export interface GroupChange {
  readonly name: string;
  /** The group's enterprise (fixed at creation); undefined for a standalone group. */
  readonly enterprise: string | undefined;
  readonly tenantId: string;
  readonly events: readonly GroupEvent[];
  /** The version the change was decided on; 0 for a new group. */
  readonly version: number;
  /** The group's spec after the change; undefined when the group is deleted. */
  readonly spec: GroupSpec | undefined;
  /** Other streams to append in the same transaction (a new group's tenant). */
  readonly alsoAppend?: readonly { streamId: string; events: readonly NewEvent[] }[];
}

export interface LoadedGroup {
  readonly state: ActiveGroupState;
  readonly version: number;
}

/** The identity claims are held under: the group's resource name (its id) and its enterprise. */
export function identityOf(state: ActiveGroupState): GroupIdentity {
  return { name: state.groupId, enterprise: state.enterprise };
}

/** How many groups' states a process keeps between requests (least recently read dropped). */
const CACHED_GROUPS = 256;

/** Groups by name, as event streams; the one place that reads and appends them. */
@Injectable()
export class GroupRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Recently read groups by name, with the version they were read at. A read fetches only the
   * events after that version, so listing a big group's users does not replay its whole history.
   * Always current: the store is asked for newer events every time.
   */
  readonly #cache = new Map<string, { state: GroupState; version: number }>();

  async find(name: string): Promise<LoadedGroup | undefined> {
    if (!/^[a-z0-9-]{1,63}$/.test(name)) return undefined;
    const cached = this.#cache.get(name);
    const from = cached ? cached.version + 1 : 1;
    const newer = await this.store.readStream(groupStreamId(name), from);
    if (!cached && newer.length === 0) return undefined;
    const state = evolveAll(
      groupDecider,
      cached?.state ?? groupDecider.initialState,
      newer.map((stored) => groupEventCodec.decode(stored.type, stored.data)),
    );
    const version = (cached?.version ?? 0) + newer.length;
    this.#cache.delete(name);
    this.#cache.set(name, { state, version });
    if (this.#cache.size > CACHED_GROUPS) {
      this.#cache.delete(this.#cache.keys().next().value as string);
    }
    return state.status === 'active' ? { state, version } : undefined;
  }

  /**
   * The group if `principal` may see it: the operator, the admins of its enterprise's tenant, its
   * own admins and users. Another tenant's group is "not found", exactly like a group that does
   * not exist, so that nobody learns which names other companies use.
   */
  async findFor(principal: Principal, name: string): Promise<LoadedGroup> {
    const group = await this.find(name);
    if (!group || !canAccess(principal, group.state.tenantId, group.state.groupId)) {
      throw new ProvisioningError(
        ProvisioningErrorCode.GroupNotFound,
        `group ${name.slice(0, 63)} does not exist`,
      );
    }
    return group;
  }

  /**
   * Stores a decided change in one transaction: the group's claims (name, domain, numbers, device
   * names) and its events. A claim another group or enterprise holds, also one committed a moment
   * ago by a concurrent apply, fails the whole change with the holder named.
   */
  async save(change: GroupChange): Promise<number> {
    if (change.events.length === 0) return change.version;
    return (this.store as TransactionalEventStore).transaction(async (tx) => {
      const sql: Sql = (text, params) => tx.query(text, params);
      await syncGroupClaims(
        sql,
        { name: change.name, enterprise: change.enterprise },
        change.spec,
        change.version === 0,
      );
      for (const other of change.alsoAppend ?? []) {
        await tx.append(other.streamId, other.events, STREAM_DOES_NOT_EXIST);
      }
      const result = await tx.append(
        groupStreamId(change.name),
        change.events.map((e) => ({ ...groupEventCodec.encode(e), tenant: change.tenantId })),
        change.version === 0 ? STREAM_DOES_NOT_EXIST : change.version,
      );
      return result.nextExpectedVersion;
    });
  }
}
