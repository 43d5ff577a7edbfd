import { z } from 'zod';
import { invalidRequest } from '../create-tenant/create-tenant.command';

export const UPDATE_TENANT_BODY = z.strictObject({
  name: z.string().optional(),
  architecture: z.string().optional(),
});

export class UpdateTenantCommand {
  private constructor(
    readonly tenantId: string,
    readonly name: string | undefined,
    readonly architecture: string | undefined,
    /** The version the caller saw (If-Match); undefined means "whatever is current". */
    readonly expectedVersion: number | undefined,
  ) {}

  static create(tenantId: string, input: unknown, expectedVersion?: number): UpdateTenantCommand {
    const parsed = UPDATE_TENANT_BODY.safeParse(input);
    if (!parsed.success) throw invalidRequest(parsed.error);
    return new UpdateTenantCommand(
      tenantId,
      parsed.data.name,
      parsed.data.architecture,
      expectedVersion,
    );
  }
}
