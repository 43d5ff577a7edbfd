import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PostgresEventStore, type EventEnvelope, type Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { retryOnConflict } from '../../../application/conflicts';
import { NumberBlockRepository } from '../../../application/number-block-repository';
import {
  describeTarget,
  sameTarget,
  type AssignmentTarget,
} from '../../../domain/number-block/number-block';
import type { Clock, NumberBlockCommand } from '../../../domain/number-block/number-block.decider';
import { lastNumber } from '../../../domain/number-range';
import { NumbersError } from '../../../domain/numbers.error';
import { numberBlockEventCodec } from '../../events/number-block-event.codec';
import { groupNumbersChangeOf, targetOf, type Owner } from './group-config-numbers';

const ACTIVATED = 'pbx.numbers.v1.NumberBlockActivated';
const PART_CREATED = 'pbx.numbers.v1.NumberBlockSplitPartCreated';

/** Where the reactor reports what it would not do (numbers of another tenant, taken numbers). */
export interface GroupNumbersLog {
  warn(message: string): void;
}

/** Counts of what was refused, for tests and diagnostics. */
export interface GroupNumbersStats {
  /** Numbers a group used that are in another tenant's block: never assigned. */
  otherTenant: number;
}

interface Holder {
  readonly blockId: string;
  readonly tenantId: string;
}

/**
 * Keeps the inventory's assignments in step with the groups' configurations: a number a group's
 * configuration starts using (main number, department, user, hunt group) is assigned to that
 * target in its block, one it stops using is unassigned there. A number in no block is left
 * alone (the operator has not put it in the inventory yet); one in another tenant's block is
 * never assigned (it is logged and counted). A block that is activated later picks up the
 * numbers the configurations already use.
 *
 * Like the inventory reactor it runs as a projection: its own read model
 * (`numbers_group_numbers`) is written in `tx`, its block writes go through the store and commit
 * on their own. Every block write is decided on the block as it is (reloaded on a version
 * conflict) and is a no-op when the block already says so, so a redelivered event changes
 * nothing twice.
 */
export function groupNumbersReactor(
  clock: Clock = () => new Date(),
  log: GroupNumbersLog = new Logger('GroupNumbersReactor'),
  stats: GroupNumbersStats = { otherTenant: 0 },
): Projection {
  return {
    name: CONSUMER_GROUPS.numbersGroupNumbersReactor,
    topics: [TOPICS.provisioning, TOPICS.numbers],

    async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
      const reconciler = (): Reconciler => {
        const store = new PostgresEventStore(tx.connection, '/pbx/numbers');
        return new Reconciler(tx, new NumberBlockRepository(store, clock), store, log, stats);
      };
      if (envelope.type === ACTIVATED || envelope.type === PART_CREATED) {
        const event = numberBlockEventCodec.decode(envelope.type, envelope.data);
        await reconciler().blockActivated(event.blockId);
        return;
      }
      const change = groupNumbersChangeOf(envelope.type, envelope.data);
      if (!change?.group) return;
      const group = change.group;
      const tenant = envelope.tenant;
      let freed: { owner: Owner; number: string }[];
      let taken: string[] = [];
      if (change.kind === 'deleted') {
        freed = await tx.query(
          'SELECT owner, number FROM numbers_group_numbers WHERE group_name = $1',
          [group],
        );
        await tx.query('DELETE FROM numbers_group_numbers WHERE group_name = $1', [group]);
      } else {
        const before: { number: string }[] = await tx.query(
          'SELECT number FROM numbers_group_numbers WHERE group_name = $1 AND owner = $2',
          [group, change.owner],
        );
        const had = new Set(before.map((r) => r.number));
        freed = [...had]
          .filter((n) => !change.numbers.includes(n))
          .map((number) => ({ owner: change.owner, number }));
        taken = change.numbers.filter((n) => !had.has(n));
        if (freed.length > 0) {
          await tx.query(
            `DELETE FROM numbers_group_numbers
              WHERE group_name = $1 AND owner = $2 AND number = ANY($3::text[])`,
            [group, change.owner, freed.map((f) => f.number)],
          );
        }
        for (const number of taken) {
          await tx.query(
            `INSERT INTO numbers_group_numbers (group_name, owner, number, tenant_id)
             VALUES ($1, $2, $3, $4) ON CONFLICT (group_name, owner, number)
             DO UPDATE SET tenant_id = EXCLUDED.tenant_id`,
            [group, change.owner, number, tenant],
          );
        }
      }
      const r = reconciler();
      // Frees first: a number that moves within a batch is then free for its new owner.
      for (const { owner, number } of freed) {
        await r.reconcile(number, tenant, targetOf(group, owner));
      }
      for (const number of taken) await r.reconcile(number, tenant, undefined, group);
    },

    async reset(tx: EntityManager): Promise<void> {
      // The assignments live in the block streams; a replay finds them made.
      await tx.query('DELETE FROM numbers_group_numbers');
    },
  };
}

class Reconciler {
  constructor(
    private readonly tx: EntityManager,
    private readonly blocks: NumberBlockRepository,
    private readonly store: PostgresEventStore,
    private readonly log: GroupNumbersLog,
    private readonly stats: GroupNumbersStats,
  ) {}

  /** The block that holds `number` now (the smallest, while a split is being applied). */
  async holderOf(number: string): Promise<Holder | undefined> {
    const rows: { block_id: string; tenant_id: string }[] = await this.tx.query(
      `SELECT block_id, tenant_id FROM numbers_blocks
        WHERE status IN ('requested', 'porting', 'active')
          AND length(first_number) = length($1) AND first_number <= $1 AND last_number >= $1
        ORDER BY size, block_id LIMIT 1`,
      [number],
    );
    const row = rows[0];
    return row ? { blockId: row.block_id, tenantId: row.tenant_id } : undefined;
  }

  /**
   * Brings the assignment of `number` in line with the configurations of `tenant`'s groups.
   * `released`: the target that has just stopped using it (unassigned if it holds the number and
   * no configuration still uses it for that target). `takenBy`: the group that started using it.
   */
  async reconcile(
    number: string,
    tenant: string,
    released?: AssignmentTarget,
    takenBy?: string,
    holder?: Holder,
  ): Promise<void> {
    const block = holder ?? (await this.holderOf(number));
    if (!block) return;
    if (block.tenantId !== tenant) {
      if (takenBy !== undefined) {
        this.stats.otherTenant += 1;
        this.log.warn(
          `group ${takenBy} of tenant ${tenant} uses ${number}, which is in block ${block.blockId} of tenant ${block.tenantId}: not assigned`,
        );
      }
      return;
    }
    const rows: { group_name: string; owner: string }[] = await this.tx.query(
      `SELECT group_name, owner FROM numbers_group_numbers
        WHERE number = $1 AND tenant_id = $2 ORDER BY group_name, owner`,
      [number, tenant],
    );
    const wanted = rows.map((r) => targetOf(r.group_name, r.owner));
    const isWanted = (t: AssignmentTarget): boolean => wanted.some((w) => sameTarget(w, t));
    try {
      if (released) {
        await this.write(block.blockId, number, (current) =>
          current && sameTarget(current, released) && !isWanted(current)
            ? { type: 'UnassignNumber', number }
            : undefined,
        );
      }
      await this.write(block.blockId, number, (current) => {
        const target = wanted[0];
        if (!target) return undefined;
        if (!current) return { type: 'AssignNumber', number, target };
        if (!isWanted(current)) {
          this.log.warn(
            `${number} is used by ${describeTarget(target)} but assigned to ${describeTarget(current)} in block ${block.blockId}: left as it is`,
          );
        }
        return undefined;
      });
    } catch (error) {
      // A refusal (the number is not the block's, the block cannot take assignments) cannot
      // change by retrying; anything else (the store unreachable, lasting races) is redelivered.
      if (!(error instanceof NumbersError)) throw error;
      this.log.warn(`${number} in block ${block.blockId}: ${error.message}`);
    }
  }

  /** A block that can now take assignments gets the numbers its tenant's groups use. */
  async blockActivated(blockId: string): Promise<void> {
    const loaded = await this.blocks.load(blockId);
    if (loaded.state.status !== 'active') return;
    const { firstNumber, size, tenantId } = loaded.state.block;
    const rows: { number: string }[] = await this.tx.query(
      `SELECT DISTINCT number FROM numbers_group_numbers
        WHERE tenant_id = $1 AND length(number) = length($2) AND number >= $2 AND number <= $3
        ORDER BY number`,
      [tenantId, firstNumber, lastNumber({ firstNumber, size })],
    );
    for (const { number } of rows) {
      await this.reconcile(number, tenantId, undefined, undefined, { blockId, tenantId });
    }
  }

  /**
   * Decides on the block as it is now and appends with the version read; a lost race reloads
   * and decides again. Only an active block takes assignments: any other is left alone.
   */
  private async write(
    blockId: string,
    number: string,
    choose: (current: AssignmentTarget | undefined) => NumberBlockCommand | undefined,
  ): Promise<void> {
    await retryOnConflict(5, async () => {
      const loaded = await this.blocks.load(blockId);
      if (loaded.state.status !== 'active') return;
      const command = choose(loaded.state.assignments.get(number));
      if (!command) return;
      const events = this.blocks.decide(command, loaded.state);
      if (events.length === 0) return;
      const tenant = loaded.state.block.tenantId;
      await this.store.append(
        blockId,
        events.map((event) => ({ ...numberBlockEventCodec.encode(event), tenant })),
        loaded.version,
      );
    });
  }
}
