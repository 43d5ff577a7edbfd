import { assertNever } from '../tenant/tenant';

/**
 * An Enterprise (T2): a set of enterprise groups administered together. Each group stays its own
 * Group aggregate (own domain, licences, invoice split); the enterprise holds what they share: the
 * tenant, so that an enterprise admin reaches every group, and the domains its groups share (T4).
 */
export type EnterpriseEvent =
  | {
      readonly type: 'EnterpriseCreated';
      readonly enterpriseName: string;
      readonly tenantId: string;
      readonly displayName?: string;
    }
  | {
      readonly type: 'EnterpriseChanged';
      readonly enterpriseName: string;
      readonly displayName?: string;
    }
  | { readonly type: 'EnterpriseDeleted'; readonly enterpriseName: string };

export type EnterpriseEventType = EnterpriseEvent['type'];

export interface ActiveEnterpriseState {
  readonly status: 'active';
  readonly name: string;
  readonly tenantId: string;
  readonly displayName?: string;
}

export type EnterpriseState =
  | { readonly status: 'absent' }
  | ActiveEnterpriseState
  | { readonly status: 'deleted'; readonly name: string; readonly tenantId: string };

export const initialEnterpriseState: EnterpriseState = { status: 'absent' };

export function enterpriseStreamId(name: string): string {
  return `enterprise-${name}`;
}

/** The tenant's name (admin screens, invoices): the display name, or else the resource name. */
export function enterpriseTenantName(name: string, displayName: string | undefined): string {
  return displayName ?? name;
}

export function evolveEnterprise(state: EnterpriseState, event: EnterpriseEvent): EnterpriseState {
  switch (event.type) {
    case 'EnterpriseCreated':
      return {
        status: 'active',
        name: event.enterpriseName,
        tenantId: event.tenantId,
        ...(event.displayName !== undefined && { displayName: event.displayName }),
      };
    case 'EnterpriseChanged':
      if (state.status !== 'active') return state;
      return {
        status: 'active',
        name: state.name,
        tenantId: state.tenantId,
        ...(event.displayName !== undefined && { displayName: event.displayName }),
      };
    case 'EnterpriseDeleted':
      return state.status === 'active'
        ? { status: 'deleted', name: state.name, tenantId: state.tenantId }
        : state;
    default:
      return assertNever(event);
  }
}
