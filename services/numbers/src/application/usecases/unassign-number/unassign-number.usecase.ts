import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@pbx/platform';
import { BlockWorkflow } from '../../block-workflow';
import { guardAssignments } from '../assign-number/assign-number.usecase';
import { UnassignNumberCommand } from './unassign-number.command';

/** Frees a number; freeing a free number changes nothing. */
@Injectable()
export class UnassignNumberUseCase {
  constructor(@Inject(BlockWorkflow) private readonly workflow: BlockWorkflow) {}

  async execute(
    principal: Principal,
    command: UnassignNumberCommand,
  ): Promise<{ version: number }> {
    const { after } = await this.workflow.blocks.change(
      command.blockId,
      { type: 'UnassignNumber', number: command.number },
      {
        expectedVersion: command.expectedVersion,
        guard: (block) => {
          const holder =
            block.state.status === 'active'
              ? block.state.assignments.get(command.number)
              : undefined;
          guardAssignments(principal, block, holder?.groupId);
        },
      },
    );
    return { version: after.version };
  }
}
