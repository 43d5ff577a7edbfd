import type { z } from 'zod';
import { NumbersError, NumbersErrorCode } from '../domain/numbers.error';

/** A body or query that does not have the shape the API takes: one message per problem. */
export function invalidRequest(error: z.ZodError): NumbersError {
  const problems = error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`,
  );
  return new NumbersError(NumbersErrorCode.InvalidRequest, problems.join('; '), { problems });
}

export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw invalidRequest(parsed.error);
  return parsed.data;
}
