/**
 * Message pieces every part of a B2BUA call uses: the methods the edge allows inside a call
 * (RFC 3261 20.5), the Reason of a fork answered elsewhere (RFC 3326) and SDP bodies in and out
 * (RFC 3261 20.15, RFC 3264).
 */
import type { ParsedMessage, SipResponse } from '@pbx/sip';

/** Allow of the edge's calls (RFC 3261 20.5). */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE';

/** Reason of a CANCEL or BYE to a fork another fork's answer made useless (RFC 3326). */
export const COMPLETED_ELSEWHERE: readonly (readonly [string, string])[] = [
  ['Reason', 'SIP;cause=200;text="Call completed elsewhere"'],
];

/** The SDP a message carries, or undefined when it has no body or another kind of body. */
export function bodyOf(parsed: ParsedMessage): string | undefined {
  const m = parsed.message;
  const type = m.headers.get('Content-Type');
  if (m.body.length === 0 || type === undefined) return undefined;
  return type.split(';')[0].trim().toLowerCase() === 'application/sdp'
    ? m.body.toString('utf8')
    : undefined;
}

/** `response` carrying `sdp` as its body, or unchanged when there is none. */
export function withSdp(response: SipResponse, sdp: string | undefined): SipResponse {
  if (sdp === undefined) return response;
  response.headers.set('Content-Type', 'application/sdp');
  return { ...response, body: Buffer.from(sdp) };
}
