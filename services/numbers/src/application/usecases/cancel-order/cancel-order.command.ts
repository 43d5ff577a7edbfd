import { z } from 'zod';
import { parseInput } from '../../validation';

export const CANCEL_ORDER_BODY = z.strictObject({});

/** `POST /number-blocks/{id}/cancel`: no body (or `{}`), optionally If-Match. */
export class CancelOrderCommand {
  private constructor(
    readonly blockId: string,
    readonly expectedVersion: number | undefined,
  ) {}

  static create(blockId: string, input: unknown, expectedVersion?: number): CancelOrderCommand {
    parseInput(CANCEL_ORDER_BODY, input);
    return new CancelOrderCommand(blockId, expectedVersion);
  }
}
