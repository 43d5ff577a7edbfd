import { NumbersError, NumbersErrorCode } from '../../domain/numbers.error';

/** `If-Match: "3"` → 3; the ETag of a block is its stream version. */
export function ifMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) {
    throw new NumbersError(NumbersErrorCode.InvalidRequest, 'If-Match must be an ETag such as "3"');
  }
  return Number(match[1]);
}

/** A number in a path: E.164 with its "+" (or %2B), or the same digits without it. */
export function numberParam(value: string): string {
  const trimmed = value.trim();
  return /^[0-9]/.test(trimmed) ? `+${trimmed}` : trimmed;
}
