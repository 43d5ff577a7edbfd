import { z } from 'zod';
import type { OrderKind } from '../../../domain/block-rules';
import { numberBlockStreamId } from '../../../domain/number-block/number-block';
import { classifyNumber, parseE164 } from '../../../domain/number-kind';
import { NumbersError, NumbersErrorCode } from '../../../domain/numbers.error';
import { parseInput } from '../../validation';

export const ORDER_BLOCK_BODY = z.strictObject({
  tenantId: z.string().trim().min(1).max(100),
  kind: z.enum(['new', 'port-in']),
  first: z.string().min(1).max(40),
  size: z.number().int().min(1).max(10_000),
  /** Optional: the country follows from the number (ISO 3166-1 alpha-2 when given). */
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "NL"')
    .optional(),
  assignmentLetter: z.string().max(100).optional(),
  orderReference: z.string().max(100).optional(),
});

/**
 * `POST /number-blocks`: the shape is checked here, the number written as E.164 and its country
 * found; the block rules (sizes, alignment, capabilities, the 088 letter) are the decider's.
 */
export class OrderBlockCommand {
  private constructor(
    readonly tenantId: string,
    readonly orderKind: OrderKind,
    readonly firstNumber: string,
    readonly size: number,
    readonly country: string,
    readonly assignmentLetter: string | undefined,
    readonly orderReference: string | undefined,
  ) {}

  static create(input: unknown): OrderBlockCommand {
    const data = parseInput(ORDER_BLOCK_BODY, input);
    const firstNumber = parseE164(data.first);
    const country = data.country?.toUpperCase() ?? classifyNumber(firstNumber)?.country;
    if (!country) {
      throw new NumbersError(
        NumbersErrorCode.InvalidNumber,
        `${firstNumber} is not a valid number in any country's numbering plan; check the digits`,
      );
    }
    return new OrderBlockCommand(
      data.tenantId,
      data.kind,
      firstNumber,
      data.size,
      country,
      data.assignmentLetter,
      data.orderReference,
    );
  }

  /** The block's stream: `numberblock-<first number without +>-<size>`. */
  get blockId(): string {
    return numberBlockStreamId(this.firstNumber, this.size);
  }
}
