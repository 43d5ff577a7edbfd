import { tagOf as addressTag, type NameAddr } from '../grammar/name-addr';
import type { ParsedMessage } from '../messages/parse-message';
import { hasMagicCookie } from './branch';

/**
 * The key of the server transaction a request belongs to (RFC 3261 17.2.3). `method` is the
 * request's method, except INVITE for an ACK (it matches the INVITE) and for the lookup of the
 * INVITE a CANCEL cancels (9.2).
 *
 * With an RFC 3261 branch: branch, sent-by and method. Without one (RFC 2543 peers): the
 * Request-URI, From tag, Call-ID, CSeq number, top Via (transport, sent-by, any branch) and
 * method. The To tag of 17.2.3 is left out, so that the ACK (whose To carries our tag) and the
 * CANCEL still match their INVITE; a request retransmitted with a different To tag is not one.
 */
export function serverTransactionKey(parsed: ParsedMessage, method: string): string {
  const via = parsed.via[0];
  const sentBy = via.port === null ? via.host : `${via.host}:${via.port}`;
  if (hasMagicCookie(via.branch)) return serverTransactionKeyOf(method, via.branch, sentBy);
  const requestUri = parsed.message.kind === 'request' ? parsed.message.requestUri : '';
  return [
    'rfc2543',
    method,
    requestUri,
    tagOf(parsed.from) ?? '',
    parsed.callId,
    parsed.cseq.seq,
    via.transport,
    sentBy,
    via.branch ?? '',
  ].join(' ');
}

/** The key of a request with an RFC 3261 branch: `sentBy` is the top Via's host[:port]. */
export function serverTransactionKeyOf(method: string, branch: string, sentBy: string): string {
  return `${method} ${branch} ${sentBy}`;
}

/** Client transactions: top Via branch and CSeq method (RFC 3261 17.1.3). */
export function clientTransactionKey(branch: string, method: string): string {
  return `${method} ${branch}`;
}

/** The 2xx an ACK acknowledges (RFC 3261 13.3.1.4): Call-ID, CSeq number and To tag. */
export function successAckKey(callId: string, seq: number, toTag: string): string {
  return `${seq} ${toTag} ${callId}`;
}

export function tagOf(address: NameAddr): string | null {
  return addressTag(address) ?? null;
}
