import type { NumberKind } from '../domain/number-kind';
import type { NumberBlockStatus } from '../domain/number-block/number-block';
import { lastNumber } from '../domain/number-range';
import type { BlockOrigin, ExistingBlock } from './number-block-repository';

/** A block as the API shows it; `version` is its ETag. */
export interface NumberBlockView {
  readonly id: string;
  readonly tenantId: string;
  readonly range: { readonly first: string; readonly last: string; readonly size: number };
  readonly numberKind: NumberKind;
  readonly country: string;
  /** How the numbers came: a new order, a port-in, or the split of a larger block. */
  readonly orderKind: BlockOrigin;
  readonly state: Exclude<NumberBlockStatus, 'absent'>;
  readonly orderReference: string;
  /** 088 blocks: the ACM assignment letter reference. */
  readonly assignmentLetter?: string;
  /** A port-in waiting for its porting date. */
  readonly portingDate?: string;
  readonly parentBlockId?: string;
  /** A split block: the blocks that now hold its numbers. */
  readonly parts?: readonly string[];
  /** How many of its numbers are assigned. */
  readonly assignments: number;
  readonly version: number;
}

export function toBlockView(block: ExistingBlock): NumberBlockView {
  const { state } = block;
  const info = state.block;
  return {
    id: info.blockId,
    tenantId: info.tenantId,
    range: { first: info.firstNumber, last: lastNumber(info), size: info.size },
    numberKind: info.numberKind,
    country: info.country,
    orderKind: block.origin ?? 'new',
    state: state.status,
    orderReference: info.orderReference,
    ...(info.assignmentLetter ? { assignmentLetter: info.assignmentLetter } : {}),
    ...(state.status === 'porting' ? { portingDate: state.portingDate } : {}),
    ...(info.parentBlockId ? { parentBlockId: info.parentBlockId } : {}),
    ...(state.status === 'split' ? { parts: state.parts } : {}),
    assignments: state.status === 'active' ? state.assignments.size : 0,
    version: block.version,
  };
}
