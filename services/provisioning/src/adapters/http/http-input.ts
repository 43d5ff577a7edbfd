import type { z } from 'zod';
import { ProvisioningError, ProvisioningErrorCode } from '../../domain/provisioning.error';
import { invalidRequest } from '../../application/usecases/create-tenant/create-tenant.command';

/** A request body or query checked against its schema; every problem named in one 400. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidRequest(parsed.error);
  return parsed.data;
}

/** `If-Match: "3"` → 3; the ETag is the stream version. Absent → no precondition. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) {
    throw new ProvisioningError(
      ProvisioningErrorCode.InvalidRequest,
      'If-Match must be an ETag such as "3"',
    );
  }
  return Number(match[1]);
}

export function noSuchUser(group: string, extension: string): ProvisioningError {
  return new ProvisioningError(
    ProvisioningErrorCode.UserNotFound,
    `group ${group} has no user ${extension.slice(0, 10)}`,
  );
}
