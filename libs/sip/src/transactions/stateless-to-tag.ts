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
  return statelessToTagOf({
    callId: request.callId,
    fromTag: tagOf(request.from) ?? '',
    seq: request.cseq.seq,
    method: request.cseq.method,
    branch: via?.branch ?? '',
    viaHost: via?.host ?? '',
    viaPort: via?.port ?? null,
  });
}

/** statelessToTag from the request's parts, for a request read without the parser. */
export function statelessToTagOf(parts: {
  readonly callId: string;
  readonly fromTag: string;
  readonly seq: number;
  readonly method: string;
  readonly branch: string;
  readonly viaHost: string;
  readonly viaPort: number | null;
}): string {
  const key = `${parts.callId}\n${parts.fromTag}\n${parts.seq} ${parts.method}\n${parts.branch}\n${parts.viaHost}:${parts.viaPort ?? ''}`;
  return hash('sha1', key, 'hex').slice(0, 16);
}
