import { buildResponse, type SipRequest, type SipResponse } from '@pbx/sip';
import { byPreference, remainingSeconds, type Binding } from './binding';

/**
 * The 200 OK of a REGISTER (RFC 3261 section 10.3 step 8): every current binding of the AOR
 * with the seconds it has left, and a Date. RFC 5626 section 6: when the request made a flow,
 * `Require: outbound` tells the device that the registrar keeps it.
 */
export function registerOk(
  request: SipRequest,
  bindings: readonly Binding[],
  now: number,
  options: { readonly outbound: boolean },
): SipResponse {
  return buildResponse(request, 200, { headers: registerOkFields(bindings, now, options) });
}

/** The header fields of registerOk's 200, after those copied from the request. */
export function registerOkFields(
  bindings: readonly Binding[],
  now: number,
  options: { readonly outbound: boolean },
): [string, string][] {
  const headers: [string, string][] = [...bindings]
    .sort(byPreference)
    .map((b) => ['Contact', contactValue(b, now)]);
  if (options.outbound) headers.push(['Require', 'outbound']);
  headers.push(['Supported', 'outbound'], ['Date', new Date(now).toUTCString()]);
  return headers;
}

function contactValue(binding: Binding, now: number): string {
  let value = `<${binding.contact}>;expires=${remainingSeconds(binding, now)}`;
  if (binding.q !== null) value += `;q=${binding.q / 1000}`;
  if (binding.instanceId !== undefined) {
    value += `;+sip.instance="${binding.instanceId.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }
  if (binding.regId !== undefined) value += `;reg-id=${binding.regId}`;
  return value;
}
