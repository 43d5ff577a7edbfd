import { z } from 'zod';
import { ProvisioningError, ProvisioningErrorCode } from '../../../domain/provisioning.error';

export const CREATE_TENANT_BODY = z.strictObject({
  name: z.string(),
  architecture: z.string(),
  domain: z.string().optional(),
});

/** Shape checks at the boundary; the tenant decider owns the business rules. */
export class CreateTenantCommand {
  private constructor(
    readonly name: string,
    readonly architecture: string,
    readonly domain: string | undefined,
  ) {}

  static create(input: unknown): CreateTenantCommand {
    const parsed = CREATE_TENANT_BODY.safeParse(input);
    if (!parsed.success) throw invalidRequest(parsed.error);
    return new CreateTenantCommand(parsed.data.name, parsed.data.architecture, parsed.data.domain);
  }
}

export function invalidRequest(error: z.ZodError): ProvisioningError {
  const problems = error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`,
  );
  return new ProvisioningError(ProvisioningErrorCode.InvalidRequest, problems.join('; '), {
    problems,
  });
}
