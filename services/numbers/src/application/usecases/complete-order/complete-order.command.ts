import { z } from 'zod';
import { parseInput } from '../../validation';

export const COMPLETE_ORDER_BODY = z.strictObject({
  /** A port-in's porting date (YYYY-MM-DD, Dutch civil date); the decider checks it. */
  portingDate: z.string().max(20).optional(),
});

/** `POST /number-blocks/{id}/complete`, optionally with If-Match. */
export class CompleteOrderCommand {
  private constructor(
    readonly blockId: string,
    readonly portingDate: string | undefined,
    readonly expectedVersion: number | undefined,
  ) {}

  static create(blockId: string, input: unknown, expectedVersion?: number): CompleteOrderCommand {
    return new CompleteOrderCommand(
      blockId,
      parseInput(COMPLETE_ORDER_BODY, input).portingDate,
      expectedVersion,
    );
  }
}
