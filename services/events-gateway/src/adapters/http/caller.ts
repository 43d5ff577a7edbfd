import type { Principal } from '@pbx/platform';
import type { Caller } from '../../application/webhooks/webhook-admin';

/**
 * The operator acts for every tenant; an enterprise or group admin for their tenant, as the audit
 * log allows (events carry the tenant, not the group). Users have no partner access.
 */
export function callerOf(principal: Principal): Caller {
  switch (principal.role) {
    case 'operator':
      return { operator: true };
    case 'enterprise-admin':
    case 'group-admin':
    case 'user':
      return { operator: false, tenant: principal.tenantId };
  }
}
