import { buildResponse, type ParsedMessage, type SipRequest, type SipResponse } from '@pbx/sip';

/** What the edge answers for in OPTIONS (RFC 3261 section 11.2); the lead's B2BUA may widen it. */
export const DEFAULT_ALLOW = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER'] as const;

/**
 * 200 OK to an OPTIONS addressed to the edge itself: phones and SBCs send them as keep-alives
 * and health checks (RFC 3261 section 11.2; RFC 5626 keeps flows alive with CRLF, which the
 * transport answers). Lists what the edge accepts.
 */
export function handleOptions(
  parsed: ParsedMessage,
  allow: readonly string[] = DEFAULT_ALLOW,
): SipResponse {
  return buildResponse(parsed.message as SipRequest, 200, {
    headers: [
      ['Allow', allow.join(', ')],
      ['Accept', 'application/sdp'],
      ['Accept-Language', 'en'],
      ['Supported', 'outbound'],
    ],
  });
}
