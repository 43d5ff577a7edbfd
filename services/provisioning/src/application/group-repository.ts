import { Inject, Injectable } from '@nestjs/common';
import { loadAggregate, STREAM_DOES_NOT_EXIST, type EventStore } from '@pbx/events';
import { canAccess, EVENT_STORE, type Principal } from '@pbx/platform';
import { ProvisioningError, ProvisioningErrorCode } from '../domain/provisioning.error';
import { groupStreamId, type ActiveGroupState, type GroupEvent } from '../domain/group/group';
import { groupDecider } from '../domain/group/group.decider';
import { groupEventCodec } from '../adapters/events/group-event.codec';

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

  async append(
    name: string,
    tenantId: string,
    events: readonly GroupEvent[],
    version: number,
  ): Promise<number> {
    if (events.length === 0) return version;
    const result = await this.store.append(
      groupStreamId(name),
      events.map((e) => ({ ...groupEventCodec.encode(e), tenant: tenantId })),
      version === 0 ? STREAM_DOES_NOT_EXIST : version,
    );
    return result.nextExpectedVersion;
  }
}
