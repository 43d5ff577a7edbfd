import { Inject, Injectable } from '@nestjs/common';
import { BlockWorkflow } from '../../block-workflow';
import { isExisting } from '../../number-block-repository';
import { toBlockView, type NumberBlockView } from '../../number-block-view';
import { SplitBlockCommand } from './split-block.command';

export interface SplitResult {
  readonly block: NumberBlockView;
  readonly parts: readonly NumberBlockView[];
}

/**
 * Splits an active block (N4). NumberBlockSplit on the parent commits it; each part's stream is
 * then created with CreateSplitPart (here, and by the reactor should this request stop short).
 * The parts stay inside the parent's reservation in the inventory: nothing is reserved again.
 */
@Injectable()
export class SplitBlockUseCase {
  constructor(@Inject(BlockWorkflow) private readonly workflow: BlockWorkflow) {}

  async execute(command: SplitBlockCommand): Promise<SplitResult> {
    const { blocks } = this.workflow;
    const { before, after, newEvents } = await blocks.change(
      command.blockId,
      { type: 'SplitBlock', parts: command.parts, orderReferences: command.orderReferences },
      { expectedVersion: command.expectedVersion },
    );
    const split = newEvents.find((e) => e.type === 'NumberBlockSplit');
    if (!isExisting(before) || !isExisting(after) || split?.type !== 'NumberBlockSplit') {
      throw new TypeError('a split decided no split');
    }
    await this.workflow.createSplitParts(before.state.block, split);
    const parts: NumberBlockView[] = [];
    for (const part of split.parts) {
      const loaded = await blocks.load(part.blockId);
      if (isExisting(loaded)) parts.push(toBlockView(loaded));
    }
    return { block: toBlockView(after), parts };
  }
}
