import { Inject, Injectable } from '@nestjs/common';
import type { NumberBlockCommand } from '../../../domain/number-block/number-block.decider';
import type { NumberBlockInfo } from '../../../domain/number-block/number-block';
import { NumbersError, NumbersErrorCode } from '../../../domain/numbers.error';
import { BlockWorkflow, callingCodeOf } from '../../block-workflow';
import { isExisting, notFound } from '../../number-block-repository';
import { toBlockView, type NumberBlockView } from '../../number-block-view';
import { PortBlockCommand } from './port-block.command';

/**
 * Ports a block internally (N4): its numbers move to a new port-in order on the same block, for
 * the same or another tenant. The old order is cancelled, then one inventory append releases its
 * numbers and reserves them for the new order, so no other order can take them in between.
 */
@Injectable()
export class PortBlockUseCase {
  constructor(@Inject(BlockWorkflow) private readonly workflow: BlockWorkflow) {}

  async execute(command: PortBlockCommand): Promise<NumberBlockView> {
    const { blocks } = this.workflow;
    const current = await blocks.load(command.blockId);
    if (!isExisting(current)) throw notFound(command.blockId);
    if (current.state.status === 'cancelled' || current.state.status === 'split') {
      throw new NumbersError(
        NumbersErrorCode.InvalidOrderState,
        current.state.status === 'split'
          ? `block ${command.blockId} was split; port its parts instead`
          : `block ${command.blockId} was cancelled; order its numbers as a port-in instead`,
      );
    }
    const info = current.state.block;
    const portIn = this.portInOrder(command, info);
    // Refuse what the new order cannot be (or its porting date) before the old one is cancelled.
    blocks.decide(portIn, { status: 'cancelled', block: info });
    if (command.portingDate !== undefined) {
      blocks.decide(
        { type: 'CompleteOrder', portingDate: command.portingDate },
        { status: 'requested', orderKind: 'port-in', block: info },
      );
    }

    const { after: cancelled } = await blocks.change(
      command.blockId,
      { type: 'CancelOrder' },
      { expectedVersion: command.expectedVersion },
    );
    const cancellation = cancelled.last;
    if (cancelled.state.status !== 'cancelled' || !cancellation) {
      throw new TypeError('a cancel did not cancel');
    }
    const callingCode = callingCodeOf(info.country);
    await this.workflow.retryInventory(async () => {
      const block = await blocks.load(command.blockId);
      if (block.version !== cancelled.version) {
        throw new NumbersError(
          NumbersErrorCode.InvalidOrderState,
          `block ${command.blockId} changed while it was ported; it is ${block.state.status} now`,
        );
      }
      const [order] = blocks.decide(portIn, block.state);
      if (order?.type !== 'NumberBlockOrdered') throw new TypeError('a port decided no order');
      await this.workflow.reserveAndWrite(order, block.version, {
        type: 'ReleaseBlock',
        callingCode,
        blockId: info.blockId,
        tenantId: info.tenantId,
        firstNumber: info.firstNumber,
        size: info.size,
        cancellationEventId: cancellation.id,
      });
    });
    if (command.portingDate !== undefined) {
      const { after } = await blocks.change(command.blockId, {
        type: 'CompleteOrder',
        portingDate: command.portingDate,
      });
      if (isExisting(after)) return toBlockView(after);
    }
    const ported = await blocks.load(command.blockId);
    if (!isExisting(ported)) throw new TypeError('block vanished');
    return toBlockView(ported);
  }

  private portInOrder(command: PortBlockCommand, info: NumberBlockInfo): NumberBlockCommand {
    return {
      type: 'OrderBlock',
      orderKind: 'port-in',
      tenantId: command.tenantId ?? info.tenantId,
      firstNumber: info.firstNumber,
      size: info.size,
      country: info.country,
      assignmentLetter:
        command.assignmentLetter ??
        (info.numberKind === 'nl-088' ? info.assignmentLetter : undefined),
      orderReference: command.orderReference,
    };
  }
}
