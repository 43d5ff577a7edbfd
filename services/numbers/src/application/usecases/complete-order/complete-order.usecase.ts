import { Inject, Injectable } from '@nestjs/common';
import { BlockWorkflow } from '../../block-workflow';
import { isExisting } from '../../number-block-repository';
import { toBlockView, type NumberBlockView } from '../../number-block-view';
import { CompleteOrderCommand } from './complete-order.command';

/** Activates a new order; schedules (or activates, from its date on) a port-in. */
@Injectable()
export class CompleteOrderUseCase {
  constructor(@Inject(BlockWorkflow) private readonly workflow: BlockWorkflow) {}

  async execute(command: CompleteOrderCommand): Promise<NumberBlockView> {
    const { after } = await this.workflow.blocks.change(
      command.blockId,
      { type: 'CompleteOrder', portingDate: command.portingDate },
      { expectedVersion: command.expectedVersion },
    );
    if (!isExisting(after)) throw new TypeError('block vanished');
    return toBlockView(after);
  }
}
