import { Inject, Injectable } from '@nestjs/common';
import {
  loadAggregate,
  STREAM_DOES_NOT_EXIST,
  type EventStore,
  type NewEvent,
  type StoreTransaction,
  type TransactionalEventStore,
} from '@pbx/events';
import { canAccess, EVENT_STORE, type Principal } from '@pbx/platform';
import { ProvisioningError, ProvisioningErrorCode } from '../domain/provisioning.error';

export interface GroupChange {
  readonly name: string;
  readonly tenantId: string;
  readonly events: readonly GroupEvent[];
  /** The version the change was decided on; 0 for a new group. */
  readonly version: number;
  /** The group's spec after the change; undefined when the group is deleted. */
  readonly spec: GroupSpec | undefined;
  /** Other streams to append in the same transaction (a new group's tenant). */
  readonly alsoAppend?: readonly { streamId: string; events: readonly NewEvent[] }[];
}
import { groupStreamId, type ActiveGroupState, type GroupEvent } from '../domain/group/group';
import { groupDecider } from '../domain/group/group.decider';
import { groupEventCodec } from '../adapters/events/group-event.codec';
import { groupSpecError, type GroupSpec } from '../domain/group/group-spec';
import { claimProblems, claimsOf, type Claim } from './group-claims';
import { heldElsewhere } from './group-conflicts';

export interface LoadedGroup {
  readonly state: ActiveGroupState;
  readonly version: number;
}

/** Groups by name, as event streams; the one place that reads and appends them. */
@Injectable()
export class GroupRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async find(name: string): Promise<LoadedGroup | undefined> {
    if (!/^[a-z0-9-]{1,63}$/.test(name)) return undefined;
    const loaded = await loadAggregate(
      this.store,
      groupDecider,
      groupEventCodec,
      groupStreamId(name),
    );
    return loaded && loaded.state.status === 'active'
      ? { state: loaded.state, version: loaded.version }
      : undefined;
  }

  /**
   * The group if `principal` may see it. Another tenant's group is "not found", exactly like a
   * group that does not exist, so that nobody learns which names other companies use.
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
   * Stores a decided change in one transaction: the group's claims (domain, numbers, device
   * names) and its events. A claim another group holds, also one committed a moment ago by a
   * concurrent apply, fails the whole change with the holder named.
   */
  async save(change: GroupChange): Promise<number> {
    if (change.events.length === 0) return change.version;
    return (this.store as TransactionalEventStore).transaction(async (tx) => {
      await syncClaims(tx, change.name, change.spec ? claimsOf(change.spec) : []);
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

async function syncClaims(
  tx: StoreTransaction,
  group: string,
  claims: readonly Claim[],
): Promise<void> {
  const kinds = claims.map((c) => c.kind);
  const values = claims.map((c) => c.value);
  await tx.query(
    `DELETE FROM provisioning_claims c WHERE c.group_name = $1
       AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS w(kind, value)
                        WHERE (w.kind, w.value) = (c.kind, c.value))`,
    [group, kinds, values],
  );
  // A row another group holds is left alone (the WHERE): that is a conflict, found just below.
  await tx.query(
    `INSERT INTO provisioning_claims (kind, value, group_name, owner)
     SELECT w.kind, w.value, $1, w.owner FROM unnest($2::text[], $3::text[], $4::text[]) AS w(kind, value, owner)
     ON CONFLICT (kind, value) DO UPDATE SET owner = EXCLUDED.owner
       WHERE provisioning_claims.group_name = EXCLUDED.group_name`,
    [group, kinds, values, claims.map((c) => c.owner)],
  );
  const held = await heldElsewhere((sql, params) => tx.query(sql, params), group, claims);
  if (held.length > 0) throw groupSpecError(claimProblems(claims, held));
}
