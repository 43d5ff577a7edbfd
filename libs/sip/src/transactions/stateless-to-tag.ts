import { hash } from 'node:crypto';
import { tagOf } from '../grammar/name-addr';
import type { ParsedMessage } from '../messages/parse-message';

/**
 * The To tag of a response sent without a transaction (RFC 3261 8.2.7): the same for the same
 * request, so that a retransmission answered anew looks like the first answer, and different for
 * different requests (Call-ID, From tag, CSeq and the top Via branch tell them apart).
 */
export function statelessToTag(request: ParsedMessage): string {
  const via = request.via[0];
  const key = `${request.callId}\n${tagOf(request.from) ?? ''}\n${request.cseq.seq} ${request.cseq.method}\n${via?.branch ?? ''}\n${via?.host ?? ''}:${via?.port ?? ''}`;
  return hash('sha1', key, 'hex').slice(0, 16);
}
