import {
  findParam,
  isSipUri,
  listsOptionTag,
  parseExpires,
  type ContactAddress,
  type ParsedMessage,
  type Peer,
} from '@pbx/sip';
import { bindingKeyOf } from './binding';
import { canonicalSipUri, contactUriTexts } from './contact-uri';
import type { RegistrarPolicy } from './registrar-policy';

/** One Contact of a REGISTER, checked and with its expiry decided. */
export interface ContactPlan {
  readonly key: string;
  readonly contact: string;
  /** Seconds granted; 0 removes the binding. */
  readonly expires: number;
  readonly q: number | null;
  readonly instanceId?: string;
  readonly regId?: number;
  readonly outbound: boolean;
}

export type RegisterPlan =
  /** No Contact: list the bindings (RFC 3261 section 10.2.3). */
  | { readonly kind: 'query' }
  /** `Contact: *` with `Expires: 0` (section 10.2.2). */
  | { readonly kind: 'remove-all' }
  | { readonly kind: 'update'; readonly contacts: readonly ContactPlan[] }
  | {
      readonly kind: 'reject';
      readonly status: number;
      readonly reason?: string;
      readonly headers?: readonly (readonly [string, string])[];
    };

const STREAMS = new Set(['tcp', 'tls', 'ws', 'wss']);
const MAX_REG_ID = 2 ** 31 - 1;

/**
 * RFC 3261 section 10.3 step 6 and the expiry rules of step 7: what the REGISTER asks of the
 * bindings, or why it is refused. The whole request is refused if any contact is (423 for a
 * too brief one), since a REGISTER is applied all or nothing.
 */
export function planRegister(
  parsed: ParsedMessage,
  source: Peer,
  policy: RegistrarPolicy,
): RegisterPlan {
  const headers = parsed.message.headers;
  const expiresHeader = headers.get('Expires');
  let headerExpires: number | undefined;
  if (expiresHeader !== undefined) {
    const result = parseExpires(expiresHeader);
    // A malformed Expires means the default (section 10.3 step 7 says so for the parameter).
    if (result.ok) headerExpires = result.value;
  }
  const contact = parsed.contact;
  if (contact === null) return { kind: 'query' };
  if (contact.wildcard) {
    if (headers.count('Contact') > 1) return bad('Contact: * Must Stand Alone');
    if (headerExpires !== 0) return bad('Contact: * Requires Expires: 0');
    return { kind: 'remove-all' };
  }

  const texts = contactUriTexts(headers);
  if (texts.length !== contact.contacts.length) return bad('Malformed Contact');
  const outboundAsked = listsOptionTag(headers.getAll('Supported'), 'outbound');
  const byKey = new Map<string, ContactPlan>();
  let tooBrief = false;
  for (const [i, address] of contact.contacts.entries()) {
    if (!isSipUri(address.uri)) return bad('Contact Must Be A SIP URI');
    const expires = address.expires ?? headerExpires ?? policy.defaultExpires;
    if (expires > 0 && expires < policy.minExpires) tooBrief = true;
    const identity = flowIdentityOf(address);
    // RFC 5626 section 6: an instance id with a reg-id, from a device that supports outbound,
    // over a connection we can send back on, makes the binding a flow keyed by (instance,
    // reg-id). Over UDP it would need STUN keep-alives, which this edge does not answer, so it
    // stays a plain binding there.
    const flow =
      outboundAsked && STREAMS.has(source.protocol) && identity.regId !== undefined
        ? { instanceId: identity.instanceId as string, regId: identity.regId }
        : undefined;
    const key = bindingKeyOf(canonicalSipUri(address.uri), flow);
    // The same contact twice: the last one counts.
    byKey.delete(key);
    byKey.set(key, {
      key,
      contact: texts[i],
      expires: Math.min(expires, policy.maxExpires),
      q: address.q,
      ...identity,
      outbound: flow !== undefined,
    });
  }
  if (tooBrief) {
    return {
      kind: 'reject',
      status: 423,
      headers: [['Min-Expires', String(policy.minExpires)]],
    };
  }
  const contacts = [...byKey.values()];
  if (contacts.filter((c) => c.expires > 0).length > policy.maxContacts) {
    return { kind: 'reject', status: 403, reason: 'Too Many Contacts' };
  }
  return { kind: 'update', contacts };
}

function bad(reason: string): RegisterPlan {
  return { kind: 'reject', status: 400, reason };
}

/** `+sip.instance` and, with it, a valid reg-id (1 to 2^31-1, RFC 5626 section 4.2). */
function flowIdentityOf(address: ContactAddress): { instanceId?: string; regId?: number } {
  const instanceId = findParam(address.params, '+sip.instance')?.value;
  if (!instanceId) return {};
  const regIdText = findParam(address.params, 'reg-id')?.value;
  if (!regIdText || !/^[0-9]{1,10}$/.test(regIdText)) return { instanceId };
  const regId = Number(regIdText);
  return regId >= 1 && regId <= MAX_REG_ID ? { instanceId, regId } : { instanceId };
}
