import { Inject, Injectable } from '@nestjs/common';
import { canAccess, type Principal } from '@pbx/platform';
import { parseE164 } from '../../../domain/number-kind';
import { NumbersError, NumbersErrorCode } from '../../../domain/numbers.error';
import { BlockWorkflow } from '../../block-workflow';
import { notFound, type ExistingBlock } from '../../number-block-repository';
import { AssignNumberCommand, targetView } from './assign-number.command';

export interface AssignmentView {
  readonly blockId: string;
  readonly number: string;
  readonly target: ReturnType<typeof targetView>;
  /** The block's version after the assignment (its ETag). */
  readonly version: number;
}

/** Who may touch a block's assignments: its tenant's admins (a group admin: their group). */
export function guardAssignments(
  principal: Principal,
  block: ExistingBlock,
  groupId: string | undefined,
): void {
  const { tenantId, blockId } = block.state.block;
  if (!canAccess(principal, tenantId)) throw notFound(blockId);
  if (groupId !== undefined && !canAccess(principal, tenantId, groupId)) {
    throw new NumbersError(
      NumbersErrorCode.Forbidden,
      `a group administrator assigns numbers within their own group only, not group ${groupId}`,
    );
  }
}

/** Assigns a number of an active block to a group, department or user of its tenant. */
@Injectable()
export class AssignNumberUseCase {
  constructor(@Inject(BlockWorkflow) private readonly workflow: BlockWorkflow) {}

  async execute(principal: Principal, command: AssignNumberCommand): Promise<AssignmentView> {
    const number = parseE164(command.number);
    const { after } = await this.workflow.blocks.change(
      command.blockId,
      { type: 'AssignNumber', number, target: command.target },
      {
        expectedVersion: command.expectedVersion,
        guard: (block) => guardAssignments(principal, block, command.target.groupId),
      },
    );
    return {
      blockId: command.blockId,
      number,
      target: targetView(command.target),
      version: after.version,
    };
  }
}
