import { Inject, Injectable } from '@nestjs/common';
import {
  loadAggregate,
  STREAM_DOES_NOT_EXIST,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type TransactionalEventStore,
} from '@pbx/events';
import { EVENT_STORE, type Principal } from '@pbx/platform';
import { ProvisioningError, ProvisioningErrorCode } from '../domain/provisioning.error';
import {
  enterpriseStreamId,
  type ActiveEnterpriseState,
  type EnterpriseEvent,
  type EnterpriseState,
} from '../domain/enterprise/enterprise';
import { enterpriseDecider } from '../domain/enterprise/enterprise.decider';
import { enterpriseEventCodec } from '../adapters/events/enterprise-event.codec';
import { claimEnterpriseName, releaseEnterprise, type Sql } from './claim-ledger';

export interface EnterpriseChange {
  readonly name: string;
  readonly tenantId: string;
  readonly events: readonly EnterpriseEvent[];
  /** The version the change was decided on; 0 for a new enterprise. */
  readonly version: number;
  /** Other streams to append in the same transaction (the enterprise's tenant). */
  readonly alsoAppend?: readonly {
    streamId: string;
    events: readonly NewEvent[];
    expectedVersion: ExpectedVersion;
  }[];
}

export interface LoadedEnterprise {
  readonly state: ActiveEnterpriseState;
  readonly version: number;
}

const notFound = (name: string): ProvisioningError =>
  new ProvisioningError(
    ProvisioningErrorCode.EnterpriseNotFound,
    `enterprise ${name.slice(0, 63)} does not exist`,
  );

/** Enterprises by name, as event streams; the one place that reads and appends them. */
@Injectable()
export class EnterpriseRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Any state, also absent (version 0) or deleted. */
  async load(name: string): Promise<{ state: EnterpriseState; version: number }> {
    if (!/^[a-z0-9-]{1,63}$/.test(name)) {
      return { state: enterpriseDecider.initialState, version: 0 };
    }
    const loaded = await loadAggregate(
      this.store,
      enterpriseDecider,
      enterpriseEventCodec,
      enterpriseStreamId(name),
    );
    return loaded ?? { state: enterpriseDecider.initialState, version: 0 };
  }

  async find(name: string): Promise<LoadedEnterprise | undefined> {
    const { state, version } = await this.load(name);
    return state.status === 'active' ? { state, version } : undefined;
  }

  /**
   * The enterprise if `principal` administers it: the operator, or an enterprise admin of its
   * tenant. Anyone else is told it does not exist, like a name nobody uses.
   */
  async findFor(principal: Principal, name: string): Promise<LoadedEnterprise> {
    const enterprise = await this.find(name);
    if (
      !enterprise ||
      !(
        principal.role === 'operator' ||
        (principal.role === 'enterprise-admin' && principal.tenantId === enterprise.state.tenantId)
      )
    ) {
      throw notFound(name);
    }
    return enterprise;
  }

  /**
   * Stores a decided change in one transaction: a new enterprise takes its name (refused if a
   * group has it, T3) and is appended with its tenant; a deleted one gives its name back, which
   * fails naming its groups if it still has any, also ones created a moment ago.
   */
  async save(change: EnterpriseChange): Promise<number> {
    if (change.events.length === 0) return change.version;
    return (this.store as TransactionalEventStore).transaction(async (tx) => {
      const sql: Sql = (text, params) => tx.query(text, params);
      if (change.version === 0) await claimEnterpriseName(sql, change.name);
      if (change.events.some((e) => e.type === 'EnterpriseDeleted')) {
        await releaseEnterprise(sql, change.name);
      }
      for (const other of change.alsoAppend ?? []) {
        await tx.append(other.streamId, other.events, other.expectedVersion);
      }
      const result = await tx.append(
        enterpriseStreamId(change.name),
        change.events.map((e) => ({ ...enterpriseEventCodec.encode(e), tenant: change.tenantId })),
        change.version === 0 ? STREAM_DOES_NOT_EXIST : change.version,
      );
      return result.nextExpectedVersion;
    });
  }
}
