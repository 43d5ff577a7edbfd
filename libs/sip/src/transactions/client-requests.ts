import { parseCSeq } from '../grammar/scalar-headers';
import type { ParsedMessage } from '../messages/parse-message';
import { SIP_VERSION, SipHeaders, type SipRequest } from '../messages/sip-message';
import { TransactionError, TransactionErrorCode } from './transaction.error';

function required(request: SipRequest, name: string): string {
  const value = request.headers.get(name);
  if (value === undefined)
    throw new TransactionError(TransactionErrorCode.InvalidRequest, `request has no ${name}`);
  return value;
}

/** The top Via value, the Route values, From, Call-ID and the CSeq number, shared by ACK/CANCEL. */
function copyCommon(request: SipRequest, method: string, to: string): SipHeaders {
  const headers = new SipHeaders();
  headers.append('Via', request.headers.getAll('Via')[0] ?? required(request, 'Via'));
  for (const route of request.headers.getAll('Route')) headers.append('Route', route);
  headers.append('Max-Forwards', '70');
  headers.append('From', required(request, 'From'));
  headers.append('To', to);
  headers.append('Call-ID', required(request, 'Call-ID'));
  const cseq = parseCSeq(required(request, 'CSeq'));
  if (!cseq.ok)
    throw new TransactionError(TransactionErrorCode.InvalidRequest, 'request has a bad CSeq');
  headers.append('CSeq', `${cseq.value.seq} ${method}`);
  return headers;
}

/**
 * The ACK for a non-2xx final response to an INVITE, built by the client transaction (RFC 3261
 * 17.1.1.3): Request-URI, Call-ID, From and the CSeq number of the INVITE, To of the response,
 * one Via equal to the INVITE's top Via, and the INVITE's Route header fields.
 */
export function buildAckForFailure(invite: SipRequest, response: ParsedMessage): SipRequest {
  const to = response.message.headers.get('To') ?? required(invite, 'To');
  const headers = copyCommon(invite, 'ACK', to);
  return {
    kind: 'request',
    method: 'ACK',
    requestUri: invite.requestUri,
    version: SIP_VERSION,
    headers,
    body: Buffer.alloc(0),
  };
}

/**
 * The CANCEL of a pending request (RFC 3261 9.1): same Request-URI, Call-ID, To, From and CSeq
 * number, method CANCEL, one Via equal to the request's top Via (so that it reaches the same
 * server transaction), and the same Route header fields; `extra` appended (e.g. Reason).
 */
export function buildCancel(
  request: SipRequest,
  extra: readonly (readonly [string, string])[] = [],
): SipRequest {
  const headers = copyCommon(request, 'CANCEL', required(request, 'To'));
  for (const [name, value] of extra) headers.append(name, value);
  return {
    kind: 'request',
    method: 'CANCEL',
    requestUri: request.requestUri,
    version: SIP_VERSION,
    headers,
    body: Buffer.alloc(0),
  };
}
