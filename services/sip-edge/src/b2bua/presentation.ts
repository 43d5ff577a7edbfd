import { quoteDisplayName as sipQuoteDisplayName } from '@pbx/sip';
import type { CallerPresentation } from '@pbx/telephony';

/**
 * A display name as a quoted-string for headers the edge writes: control characters (which
 * cannot travel in a quoted-string, RFC 3261 25.1) are dropped rather than the call refused.
 */
export function quoteDisplayName(name: string): string {
  let clean = '';
  for (const c of name) {
    const code = c.charCodeAt(0);
    if (code === 9 || (code >= 32 && code !== 127)) clean += c;
  }
  return sipQuoteDisplayName(clean);
}

export interface PresentedFrom {
  /** The From value without tag. */
  readonly from: string;
  /** Extra headers: `Privacy: id` when restricted, P-Asserted-Identity inside the trust domain. */
  readonly headers: readonly (readonly [string, string])[];
}

/**
 * How the callee's leg shows the caller (U2): the number in From's user part and the name as
 * display name; a restricted caller becomes the RFC 3323 anonymous URI with `Privacy: id`, the
 * real identity kept only in P-Asserted-Identity (RFC 3325) for a trusted trunk.
 */
export function presentFrom(
  presentation: CallerPresentation,
  host: string,
  options: { readonly trusted: boolean },
): PresentedFrom {
  if (presentation.restricted) {
    const headers: [string, string][] = [['Privacy', 'id']];
    if (options.trusted && presentation.number !== undefined) {
      headers.push(['P-Asserted-Identity', `<sip:${presentation.number}@${host}>`]);
    }
    return { from: '"Anonymous" <sip:anonymous@anonymous.invalid>', headers };
  }
  const user = presentation.number ?? 'unknown';
  const uri = `<sip:${escapeUser(user)}@${host}>`;
  const from =
    presentation.displayName !== undefined && presentation.displayName !== ''
      ? `${quoteDisplayName(presentation.displayName)} ${uri}`
      : uri;
  const headers: [string, string][] = [];
  if (options.trusted && presentation.number !== undefined) {
    headers.push(['P-Asserted-Identity', uri]);
  }
  return { from, headers };
}

/** Escapes what a SIP user part may not hold as is (RFC 3261 25.1 `user`). */
export function escapeUser(user: string): string {
  return user.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g, (c) =>
    Buffer.from(c, 'utf8').toString('hex').replace(/(..)/g, '%$1').toUpperCase(),
  );
}
