import { Inject, Injectable } from '@nestjs/common';
import { BlockWorkflow } from '../../block-workflow';
import { isExisting } from '../../number-block-repository';
import { toBlockView, type NumberBlockView } from '../../number-block-view';
import { OrderBlockCommand } from './order-block.command';

/**
 * Orders a block: the block's decider checks the order, the inventory of the calling code
 * reserves its numbers (the commit point), then the order is written to the block's stream.
 * A lost race on the inventory decides everything again, so an order that overlaps the winner's
 * numbers is then refused as an overlap.
 */
@Injectable()
export class OrderBlockUseCase {
  constructor(@Inject(BlockWorkflow) private readonly workflow: BlockWorkflow) {}

  async execute(command: OrderBlockCommand): Promise<NumberBlockView> {
    const { blocks } = this.workflow;
    await this.workflow.retryInventory(async () => {
      const block = await blocks.load(command.blockId);
      const [order] = blocks.decide(
        {
          type: 'OrderBlock',
          orderKind: command.orderKind,
          tenantId: command.tenantId,
          firstNumber: command.firstNumber,
          size: command.size,
          country: command.country,
          assignmentLetter: command.assignmentLetter,
          orderReference: command.orderReference,
        },
        block.state,
      );
      if (order?.type !== 'NumberBlockOrdered') throw new TypeError('an order decided no order');
      await this.workflow.reserveAndWrite(order, block.version);
    });
    const ordered = await blocks.load(command.blockId);
    if (!isExisting(ordered))
      throw new TypeError(`block ${command.blockId} missing after its order`);
    return toBlockView(ordered);
  }
}
