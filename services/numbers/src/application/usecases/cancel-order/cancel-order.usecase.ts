import { Inject, Injectable } from '@nestjs/common';
import { BlockWorkflow } from '../../block-workflow';
import { isExisting } from '../../number-block-repository';
import { toBlockView, type NumberBlockView } from '../../number-block-view';
import { CancelOrderCommand } from './cancel-order.command';

/**
 * Cancels a block's order and gives its numbers back to the inventory. The cancellation is the
 * commit point; the release follows from it (here, and from the reactor should this request not
 * get that far), once per cancellation. Repeating the cancel repeats only the release.
 */
@Injectable()
export class CancelOrderUseCase {
  constructor(@Inject(BlockWorkflow) private readonly workflow: BlockWorkflow) {}

  async execute(command: CancelOrderCommand): Promise<NumberBlockView> {
    const { after } = await this.workflow.blocks.change(
      command.blockId,
      { type: 'CancelOrder' },
      { expectedVersion: command.expectedVersion },
    );
    if (!isExisting(after)) throw new TypeError('block vanished');
    if (after.state.status === 'cancelled' && after.last) {
      await this.workflow.releaseCancelled(after.state.block, after.last.id);
    }
    return toBlockView(after);
  }
}
