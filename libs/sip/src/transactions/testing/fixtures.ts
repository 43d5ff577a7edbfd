import { buildRequest } from '../../messages/build-request';
import { buildResponse } from '../../messages/build-response';
import type { ParsedMessage } from '../../messages/parse-message';
import type { SipRequest, SipResponse } from '../../messages/sip-message';
import type { Peer } from '../../transports/sip-transport';
import type { ClientTransactionListener } from '../client-transaction';

export const PHONE_UDP: Peer = { protocol: 'udp', address: '198.51.100.7', port: 40000 };
export const PHONE_TCP: Peer = {
  protocol: 'tcp',
  address: '198.51.100.7',
  port: 51000,
  connectionId: 42,
};
export const TRUNK_UDP: Peer = { protocol: 'udp', address: '203.0.113.5', port: 5060 };

export interface InboundRequestOptions {
  readonly method?: string;
  readonly branch?: string | null;
  readonly sentBy?: string;
  readonly transport?: string;
  readonly rport?: boolean;
  readonly callId?: string;
  readonly cseq?: number;
  readonly cseqMethod?: string;
  readonly toTag?: string;
  readonly fromTag?: string;
  readonly requestUri?: string;
  readonly headers?: readonly string[];
}

/** A request as a phone would send it, in wire form. */
export function inboundRequest(o: InboundRequestOptions = {}): string {
  const method = o.method ?? 'INVITE';
  const branch = o.branch === undefined ? 'z9hG4bKphone1' : o.branch;
  const via =
    `SIP/2.0/${o.transport ?? 'UDP'} ${o.sentBy ?? '10.0.0.7:5062'}` +
    (branch === null ? '' : `;branch=${branch}`) +
    (o.rport === false ? '' : ';rport');
  return [
    `${method} ${o.requestUri ?? 'sip:200@pbx.example'} SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    `From: "Alice" <sip:100@pbx.example>;tag=${o.fromTag ?? 'ft1'}`,
    `To: <sip:200@pbx.example>${o.toTag === undefined ? '' : `;tag=${o.toTag}`}`,
    `Call-ID: ${o.callId ?? 'call-1@10.0.0.7'}`,
    `CSeq: ${o.cseq ?? 1} ${o.cseqMethod ?? method}`,
    'Contact: <sip:100@10.0.0.7:5062>',
    ...(o.headers ?? []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** An out-of-dialog request of ours. */
export function outboundRequest(method = 'INVITE', extra: [string, string][] = []): SipRequest {
  return buildRequest({
    method,
    requestUri: 'sip:300@203.0.113.5',
    from: { uri: 'sip:pbx@192.0.2.1', displayName: 'PBX', tag: 'ourtag' },
    to: { uri: 'sip:300@203.0.113.5' },
    callId: 'out-call-1',
    cseq: 7,
    contact: 'sip:pbx@192.0.2.1:5060',
    headers: [['Route', '<sip:edge.example;lr>'], ...extra],
  });
}

/** The response a peer would send to a request we sent (as it arrived at the peer). */
export function answer(
  sent: ParsedMessage,
  status: number,
  options: { toTag?: string; headers?: [string, string][] } = {},
): SipResponse {
  if (sent.message.kind !== 'request') throw new Error('not a request');
  return buildResponse(sent.message, status, {
    toTag: options.toTag ?? 'remote1',
    headers: options.headers,
  });
}

export interface RecordingListener extends Required<ClientTransactionListener> {
  readonly events: string[];
  readonly finals: ParsedMessage[];
}

/** A client transaction listener that records what it hears. */
export function recordingListener(): RecordingListener {
  const events: string[] = [];
  const finals: ParsedMessage[] = [];
  const status = (r: ParsedMessage): number =>
    r.message.kind === 'response' ? r.message.status : 0;
  return {
    events,
    finals,
    onProvisional: (r) => events.push(`provisional ${status(r)}`),
    onFinal: (r) => {
      finals.push(r);
      events.push(`final ${status(r)}`);
    },
    on2xxRetransmission: (r) => events.push(`2xx-again ${status(r)}`),
    onTimeout: () => events.push('timeout'),
    onTransportError: (e) => events.push(`transport-error ${e.message}`),
  };
}

/** Status (responses) or method (requests) of each sent message. */
export function kinds(sent: readonly { parsed: ParsedMessage }[]): (number | string)[] {
  return sent.map((s) =>
    s.parsed.message.kind === 'response' ? s.parsed.message.status : s.parsed.message.method,
  );
}
