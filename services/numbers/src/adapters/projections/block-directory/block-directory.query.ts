import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@pbx/platform';
import type { NumberKind } from '../../../domain/number-kind';
import type { NumberBlockView } from '../../../application/number-block-view';
import type { BlockOrigin } from '../../../application/number-block-repository';
import type { NumberBlockStatus } from '../../../domain/number-block/number-block';

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface BlockListFilter {
  /** Undefined: every tenant (the operator only). */
  readonly tenantId?: string;
  readonly state?: Exclude<NumberBlockStatus, 'absent'>;
}

export interface NumberHolder {
  readonly number: string;
  readonly block: NumberBlockView;
  /** Absent when the number is free. */
  readonly assignedTo?: { readonly type: string; readonly groupId: string; readonly id?: string };
}

interface BlockRow {
  block_id: string;
  tenant_id: string;
  status: Exclude<NumberBlockStatus, 'absent'>;
  order_kind: BlockOrigin;
  number_kind: NumberKind;
  country: string;
  first_number: string;
  last_number: string;
  size: number;
  assignment_letter: string;
  order_reference: string;
  parent_block_id: string | null;
  porting_date: string | null;
  parts: string[] | null;
  assignments: number;
  version: number;
}

const COLUMNS = `b.block_id, b.tenant_id, b.status, b.order_kind, b.number_kind, b.country,
  b.first_number, b.last_number, b.size, b.assignment_letter, b.order_reference, b.parent_block_id,
  b.porting_date, b.parts, b.assignments, b.version`;

function toView(row: BlockRow): NumberBlockView {
  return {
    id: row.block_id,
    tenantId: row.tenant_id,
    range: { first: row.first_number, last: row.last_number, size: row.size },
    numberKind: row.number_kind,
    country: row.country,
    orderKind: row.order_kind,
    state: row.status,
    orderReference: row.order_reference,
    ...(row.assignment_letter ? { assignmentLetter: row.assignment_letter } : {}),
    ...(row.porting_date ? { portingDate: row.porting_date } : {}),
    ...(row.parent_block_id ? { parentBlockId: row.parent_block_id } : {}),
    ...(row.parts ? { parts: row.parts } : {}),
    assignments: row.assignments,
    version: row.version,
  };
}

/** Reads of the block directory; keyset pagination on the block id. */
@Injectable()
export class BlockDirectoryQuery {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  async list(
    filter: BlockListFilter,
    limit: number,
    after: string | undefined,
  ): Promise<Page<NumberBlockView>> {
    const rows: BlockRow[] = await this.database.query(
      `SELECT ${COLUMNS} FROM numbers_blocks b
        WHERE ($2::text IS NULL OR b.tenant_id = $2) AND ($3::text IS NULL OR b.status = $3)
          AND ($4::text IS NULL OR b.block_id > $4)
        ORDER BY b.block_id LIMIT $1`,
      [limit + 1, filter.tenantId ?? null, filter.state ?? null, after ?? null],
    );
    const items = rows.slice(0, limit).map(toView);
    const last = items.at(-1);
    return rows.length > limit && last
      ? { items, nextCursor: Buffer.from(last.id).toString('base64url') }
      : { items };
  }

  /**
   * The block that holds a number now (ordered, porting or active) and its holder. While a split
   * is being applied the parent and a part may both match for a moment: the smaller block wins.
   */
  async holderOf(number: string): Promise<NumberHolder | undefined> {
    const rows: (BlockRow & {
      target_type: string | null;
      group_id: string | null;
      target_id: string | null;
    })[] = await this.database.query(
      `SELECT ${COLUMNS}, a.target_type, a.group_id, a.target_id FROM numbers_blocks b
         LEFT JOIN numbers_assignments a ON a.block_id = b.block_id AND a.number = $1
        WHERE b.status IN ('requested', 'porting', 'active')
          AND length(b.first_number) = length($1) AND b.first_number <= $1 AND b.last_number >= $1
        ORDER BY b.size, b.block_id LIMIT 1`,
      [number],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      number,
      block: toView(row),
      ...(row.target_type && row.group_id
        ? {
            assignedTo: {
              type: row.target_type,
              groupId: row.group_id,
              ...(row.target_id ? { id: row.target_id } : {}),
            },
          }
        : {}),
    };
  }
}
