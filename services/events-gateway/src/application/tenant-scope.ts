import { EventsGatewayError, EventsGatewayErrorCode } from '../domain/events-gateway.error';
import { invalidRequest, TENANT_ID } from './webhooks/webhook-commands';

/** Who asks: the operator (every tenant) or an administrator of one tenant. */
export type Caller =
  { readonly operator: true } | { readonly operator: false; readonly tenant: string };

/**
 * The tenant a request acts on, the same way for webhooks and event streams. An administrator
 * acts on their own tenant; naming another is answered as if it did not exist. The operator must
 * name one, and it must be known (`known`: it has events); an unknown one is 404, so a mistyped
 * tenant is not mistaken for a quiet one.
 */
export async function tenantInScope(
  caller: Caller,
  asked: string | undefined,
  known: (tenant: string) => Promise<boolean>,
): Promise<string> {
  if (!caller.operator) {
    if (asked !== undefined && asked !== caller.tenant) {
      throw new EventsGatewayError(
        EventsGatewayErrorCode.TenantNotFound,
        `tenant ${asked.slice(0, 100)} does not exist`,
      );
    }
    return caller.tenant;
  }
  if (asked === undefined) throw invalidRequest(['tenant: the operator names the tenant']);
  if (!TENANT_ID.test(asked) || !(await known(asked))) {
    throw new EventsGatewayError(
      EventsGatewayErrorCode.TenantNotFound,
      `tenant ${asked.slice(0, 100)} does not exist (it has no events)`,
    );
  }
  return asked;
}
