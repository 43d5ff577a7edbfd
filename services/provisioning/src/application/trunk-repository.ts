import { Inject, Injectable } from '@nestjs/common';
import { loadAggregate, STREAM_DOES_NOT_EXIST, type EventStore } from '@pbx/events';
import { EVENT_STORE } from '@pbx/platform';
import {
  OPERATOR_TENANT,
  operatorTrunkStreamId,
  type ActiveOperatorTrunkState,
  type OperatorTrunkEvent,
  type OperatorTrunkState,
} from '../domain/trunk/operator-trunk';
import { operatorTrunkDecider } from '../domain/trunk/operator-trunk.decider';
import { TRUNK_NAME } from '../domain/trunk/trunk-spec';
import { operatorTrunkEventCodec } from '../adapters/events/operator-trunk-event.codec';

export interface LoadedTrunk {
  readonly state: ActiveOperatorTrunkState;
  readonly version: number;
}

/** Operator-wide trunks by name, as event streams; the one place that reads and appends them. */
@Injectable()
export class TrunkRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Any state, also absent (version 0) or removed. */
  async load(name: string): Promise<{ state: OperatorTrunkState; version: number }> {
    if (!TRUNK_NAME.test(name)) return { state: operatorTrunkDecider.initialState, version: 0 };
    const loaded = await loadAggregate(
      this.store,
      operatorTrunkDecider,
      operatorTrunkEventCodec,
      operatorTrunkStreamId(name),
    );
    return loaded ?? { state: operatorTrunkDecider.initialState, version: 0 };
  }

  async find(name: string): Promise<LoadedTrunk | undefined> {
    const { state, version } = await this.load(name);
    return state.status === 'active' ? { state, version } : undefined;
  }

  /**
   * Appends a decided change with the version it was decided on, so that a concurrent apply of
   * the same trunk fails with a conflict instead of being overwritten. Returns the new version.
   */
  async save(
    name: string,
    events: readonly OperatorTrunkEvent[],
    version: number,
  ): Promise<number> {
    if (events.length === 0) return version;
    const result = await this.store.append(
      operatorTrunkStreamId(name),
      events.map((e) => ({ ...operatorTrunkEventCodec.encode(e), tenant: OPERATOR_TENANT })),
      version === 0 ? STREAM_DOES_NOT_EXIST : version,
    );
    return result.nextExpectedVersion;
  }
}
