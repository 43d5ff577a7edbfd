import { EventsGatewayErrorCode } from '../domain/events-gateway.error';
import { tenantInScope } from './tenant-scope';

const known = async (tenant: string): Promise<boolean> => tenant === 'acme';

describe('tenantInScope', () => {
  it("gives an administrator their own tenant, named or not, and hides any other's", async () => {
    const admin = { operator: false, tenant: 'globex' } as const;
    expect(await tenantInScope(admin, undefined, known)).toBe('globex');
    expect(await tenantInScope(admin, 'globex', known)).toBe('globex');
    await expect(tenantInScope(admin, 'acme', known)).rejects.toMatchObject({
      code: EventsGatewayErrorCode.TenantNotFound,
    });
  });

  it('makes the operator name a known tenant', async () => {
    const operator = { operator: true } as const;
    expect(await tenantInScope(operator, 'acme', known)).toBe('acme');
    await expect(tenantInScope(operator, undefined, known)).rejects.toMatchObject({
      code: EventsGatewayErrorCode.InvalidRequest,
    });
    for (const unknown of ['initech', 'not a tenant id']) {
      await expect(tenantInScope(operator, unknown, known)).rejects.toMatchObject({
        code: EventsGatewayErrorCode.TenantNotFound,
      });
    }
  });
});
