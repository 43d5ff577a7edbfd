import { z } from 'zod';
import { parseInput } from '../../validation';

export const SPLIT_BLOCK_BODY = z.strictObject({
  /** 10 or a multiple of 10 that divides the block's size (the decider checks). */
  parts: z.number().int().min(2).max(10_000),
  /** One per part; by default the parent's reference with "/1", "/2"... */
  orderReferences: z.array(z.string().max(100)).max(10_000).optional(),
});

/** `POST /number-blocks/{id}/split`, optionally with If-Match. */
export class SplitBlockCommand {
  private constructor(
    readonly blockId: string,
    readonly parts: number,
    readonly orderReferences: readonly string[] | undefined,
    readonly expectedVersion: number | undefined,
  ) {}

  static create(blockId: string, input: unknown, expectedVersion?: number): SplitBlockCommand {
    const data = parseInput(SPLIT_BLOCK_BODY, input);
    return new SplitBlockCommand(blockId, data.parts, data.orderReferences, expectedVersion);
  }
}
