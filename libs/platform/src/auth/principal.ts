/**
 * Who is calling the API (T7, T8): the operator runs the platform; an enterprise admin manages
 * every group of one enterprise; a group admin one group; a user only their own settings.
 */
export type Principal =
  | { readonly role: 'operator' }
  | { readonly role: 'enterprise-admin'; readonly tenantId: string }
  | { readonly role: 'group-admin'; readonly tenantId: string; readonly groupId: string }
  | {
      readonly role: 'user';
      readonly tenantId: string;
      readonly groupId: string;
      readonly userId: string;
    };

export type Role = Principal['role'];
export const ROLES: readonly Role[] = ['operator', 'enterprise-admin', 'group-admin', 'user'];

/** Whether `principal` may see and change what belongs to `tenantId` (and `groupId`, if given). */
export function canAccess(principal: Principal, tenantId: string, groupId?: string): boolean {
  switch (principal.role) {
    case 'operator':
      return true;
    case 'enterprise-admin':
      return principal.tenantId === tenantId;
    case 'group-admin':
    case 'user':
      return (
        principal.tenantId === tenantId && (groupId === undefined || principal.groupId === groupId)
      );
    default:
      return assertNeverPrincipal(principal);
  }
}

function assertNeverPrincipal(value: never): never {
  throw new TypeError(`unknown principal ${JSON.stringify(value)}`);
}
