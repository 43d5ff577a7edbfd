/** A customer company (T1-T3). Architecture is chosen at creation and never changes. */
export type TenantArchitecture = 'group' | 'enterprise';
export const TENANT_ARCHITECTURES: readonly TenantArchitecture[] = ['group', 'enterprise'];

export type TenantEvent =
  | {
      readonly type: 'TenantCreated';
      readonly tenantId: string;
      readonly name: string;
      readonly architecture: TenantArchitecture;
      readonly domain: string;
    }
  | { readonly type: 'TenantRenamed'; readonly tenantId: string; readonly name: string };

export type TenantState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'active';
      readonly tenantId: string;
      readonly name: string;
      readonly architecture: TenantArchitecture;
      readonly domain: string;
    };

export const initialTenantState: TenantState = { status: 'absent' };

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantCreated':
      return {
        status: 'active',
        tenantId: event.tenantId,
        name: event.name,
        architecture: event.architecture,
        domain: event.domain,
      };
    case 'TenantRenamed':
      return state.status === 'active' ? { ...state, name: event.name } : state;
    default:
      return assertNever(event);
  }
}

export function tenantStreamId(tenantId: string): string {
  return `tenant-${tenantId}`;
}

export function assertNever(value: never): never {
  throw new TypeError(`unexpected value ${JSON.stringify(value)}`);
}
