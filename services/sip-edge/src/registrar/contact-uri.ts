import { isSipUri, parseUri, splitHeaderValues, type SipHeaders, type SipUri } from '@pbx/sip';

/**
 * A SIP URI reduced to what RFC 3261 section 19.1.4 compares: scheme, user (case-sensitive),
 * host (case-insensitive), port, parameters and headers by lowercased name and value in name
 * order. Two URIs that differ only in case of host or in parameter order get the same text.
 */
export function canonicalSipUri(uri: SipUri): string {
  const params = uri.params
    .map((p) => (p.value === null ? p.name : `${p.name}=${p.value.toLowerCase()}`))
    .sort();
  const headers = uri.headers.map((h) => `${h.name.toLowerCase()}=${h.value}`).sort();
  const user = uri.user === null ? '' : `${uri.user}@`;
  const port = uri.port === null ? '' : `:${uri.port}`;
  return (
    `${uri.scheme}:${user}${uri.host.toLowerCase()}${port}` +
    params.map((p) => `;${p}`).join('') +
    (headers.length > 0 ? `?${headers.join('&')}` : '')
  );
}

/**
 * RFC 7616 section 3.4.6: the `uri` of the credentials must name the request's Request-URI, or
 * a captured response could be replayed against another target.
 */
export function sameRequestUri(credentialsUri: string, requestUri: string): boolean {
  if (credentialsUri === requestUri) return true;
  const a = parseUri(credentialsUri);
  const b = parseUri(requestUri);
  if (!a.ok || !b.ok || !isSipUri(a.value) || !isSipUri(b.value)) return false;
  return canonicalSipUri(a.value) === canonicalSipUri(b.value);
}

/**
 * The Contact URIs exactly as written, in the order parseContact lists them: between `<` and
 * `>`, or for an addr-spec up to the first `;` (RFC 3261 section 20.10: what follows is a header
 * parameter). The registrar stores and returns what the device sent, not a re-serialization.
 */
export function contactUriTexts(headers: SipHeaders): string[] {
  const out: string[] = [];
  for (const value of headers.getAll('Contact')) {
    for (const element of splitHeaderValues(value)) {
      const open = element.indexOf('<');
      if (open >= 0) {
        const close = element.indexOf('>', open);
        out.push(element.slice(open + 1, close < 0 ? undefined : close).trim());
      } else {
        const semicolon = element.indexOf(';');
        out.push((semicolon < 0 ? element : element.slice(0, semicolon)).trim());
      }
    }
  }
  return out;
}
