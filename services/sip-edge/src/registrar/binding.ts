import type { Peer } from '@pbx/sip';

/**
 * One contact bound to an address of record (RFC 3261 section 10.3), with what a call to it
 * needs: the flow the REGISTER came over, so that a call to a phone behind NAT goes to the
 * address and port it was seen from, over the same TCP/TLS/WebSocket connection (RFC 5626).
 * Plain JSON data: the Redis store keeps it as it is.
 */
export interface Binding {
  /** Identity within the AOR: see bindingKeyOf. */
  readonly key: string;
  /** The Contact URI as the device sent it. */
  readonly contact: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** The q parameter in thousandths (q=0.5 → 500); null when absent. */
  readonly q: number | null;
  readonly callId: string;
  readonly cseq: number;
  /** Where the REGISTER came from: the `received` flow. */
  readonly source: Peer;
  /** RFC 5626 `+sip.instance` (e.g. `<urn:uuid:...>`), when given. */
  readonly instanceId?: string;
  /** RFC 5626 reg-id, when given with an instance id. */
  readonly regId?: number;
  /** True when the binding is an RFC 5626 flow (reg-id and instance over a stream). */
  readonly outbound: boolean;
  readonly userAgent?: string;
  readonly tenantId: string;
  readonly groupId: string;
  readonly deviceId: string;
  readonly username: string;
  readonly domain: string;
  /** When the device last registered it; the least recently refreshed goes first at the limit. */
  readonly updatedAt: number;
}

/** A binding that expired, with its AOR, as the sweep returns it. */
export interface ExpiredBinding {
  readonly aor: string;
  readonly binding: Binding;
}

/**
 * RFC 5626 section 6: a REGISTER with the same instance id and reg-id replaces the flow, even
 * from a new contact address; otherwise bindings are told apart by their contact URI.
 */
export function bindingKeyOf(
  canonicalContact: string,
  outbound: { readonly instanceId: string; readonly regId: number } | undefined,
): string {
  return outbound === undefined
    ? `uri ${canonicalContact}`
    : `outbound ${outbound.instanceId} ${outbound.regId}`;
}

/** Seconds left, rounded up so that a live binding never reports 0. */
export function remainingSeconds(binding: Binding, now: number): number {
  return Math.max(1, Math.ceil((binding.expiresAt - now) / 1000));
}

/** Highest q first (absent counts as 1.0, RFC 3261 section 16.6), then the newest. */
export function byPreference(a: Binding, b: Binding): number {
  return (b.q ?? 1000) - (a.q ?? 1000) || b.updatedAt - a.updatedAt;
}
