import { z } from 'zod';
import { parseInput } from '../../validation';

export const PORT_BLOCK_BODY = z.strictObject({
  /** The tenant the numbers move to; by default the block's own. */
  tenantId: z.string().trim().min(1).max(100).optional(),
  /** Schedules the port at once (YYYY-MM-DD); else complete the new order later. */
  portingDate: z.string().max(20).optional(),
  orderReference: z.string().max(100).optional(),
  /** 088 only: by default the block's letter. */
  assignmentLetter: z.string().max(100).optional(),
});

/** `POST /number-blocks/{id}/port`, optionally with If-Match. */
export class PortBlockCommand {
  private constructor(
    readonly blockId: string,
    readonly tenantId: string | undefined,
    readonly portingDate: string | undefined,
    readonly orderReference: string | undefined,
    readonly assignmentLetter: string | undefined,
    readonly expectedVersion: number | undefined,
  ) {}

  static create(blockId: string, input: unknown, expectedVersion?: number): PortBlockCommand {
    const data = parseInput(PORT_BLOCK_BODY, input);
    return new PortBlockCommand(
      blockId,
      data.tenantId,
      data.portingDate,
      data.orderReference,
      data.assignmentLetter,
      expectedVersion,
    );
  }
}
