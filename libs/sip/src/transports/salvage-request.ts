import { randomToken } from '../messages/build-response';
import { SIP_VERSION, SipHeaders, type SipResponse } from '../messages/sip-message';

/** The raw header values a stateless answer needs (RFC 3261 8.2.6.2), as the client sent them. */
export interface SalvagedHeaders {
  /** Every Via field value, in order. */
  readonly vias: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly callId: string;
  readonly cseq: string;
}

/** Never look further than this into a broken message; a head is far shorter in practice. */
const SCAN_LIMIT = 65536;
const MAX_VALUE_LENGTH = 8192;
const MAX_VIAS = 64;
const TAG_PARAM = /;\s*tag\s*=/i;
const ACK_CSEQ = /\sACK\s*$/;

type Slot = 'via' | 'from' | 'to' | 'callId' | 'cseq';

/** Long and compact header names (RFC 3261 7.3.3), lower-cased. */
const SLOTS: ReadonlyMap<string, Slot> = new Map<string, Slot>([
  ['via', 'via'],
  ['v', 'via'],
  ['from', 'from'],
  ['f', 'from'],
  ['to', 'to'],
  ['t', 'to'],
  ['call-id', 'callId'],
  ['i', 'callId'],
  ['cseq', 'cseq'],
]);

/** Tabs are allowed; any other control character makes a value unusable in an answer. */
function isCleanValue(v: string): boolean {
  if (v.length === 0 || v.length > MAX_VALUE_LENGTH) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return false;
  }
  return true;
}

/**
 * Extracts Via, From, To, Call-ID and CSeq from a request that failed to parse, tolerating
 * everything else (bad start line, broken headers, no empty line). Returns null when the message
 * is a response (RFC 3261 18.1.2: never answered), an ACK (never answered, RFC 3261 17.1.1.3), or
 * lacks any of those headers: then there is nothing to answer to, and the message is dropped.
 */
export function salvageRequestHeaders(data: Buffer): SalvagedHeaders | null {
  let start = 0;
  while (start < data.length && (data[start] === 13 || data[start] === 10)) start++;
  if (start >= data.length) return null;
  const text = data.toString('utf8', start, Math.min(data.length, start + SCAN_LIMIT));
  let nl = text.indexOf('\n');
  if (nl === -1) nl = text.length;
  const startLine = text.slice(0, nl);
  if (/^SIP\//i.test(startLine) || /^ACK\s/.test(startLine)) return null;

  const vias: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  let callId: string | undefined;
  let cseq: string | undefined;
  let slot: Slot | undefined;
  let value = '';
  const commit = (): void => {
    const v = value.trim();
    if (slot === undefined || !isCleanValue(v)) return;
    if (slot === 'via') {
      if (vias.length < MAX_VIAS) vias.push(v);
    } else if (slot === 'from') from ??= v;
    else if (slot === 'to') to ??= v;
    else if (slot === 'callId') callId ??= v;
    else cseq ??= v;
  };

  let pos = nl + 1;
  while (pos < text.length) {
    let e = text.indexOf('\n', pos);
    if (e === -1) e = text.length;
    const line = text.charCodeAt(e - 1) === 13 ? text.slice(pos, e - 1) : text.slice(pos, e);
    pos = e + 1;
    if (line.length === 0) break;
    const first = line.charCodeAt(0);
    if (first === 32 || first === 9) {
      // RFC 3261 7.3.1 folding: the continuation belongs to the header above.
      if (slot !== undefined && value.length <= MAX_VALUE_LENGTH) value += ` ${line.trim()}`;
      continue;
    }
    commit();
    const colon = line.indexOf(':');
    slot = colon <= 0 ? undefined : SLOTS.get(line.slice(0, colon).trim().toLowerCase());
    value = slot === undefined ? '' : line.slice(colon + 1);
  }
  commit();
  if (vias.length === 0 || from === undefined || to === undefined) return null;
  if (callId === undefined || cseq === undefined || ACK_CSEQ.test(cseq)) return null;
  return { vias, from, to, callId, cseq };
}

/** Reason phrases come from parse errors; keep them one short, printable line. */
function cleanReason(reason: string): string {
  // eslint-disable-next-line no-control-regex
  const r = reason.replace(/[\x00-\x1f\x7f]/g, ' ');
  return r.length > 200 ? r.slice(0, 200) : r;
}

/**
 * A stateless final answer built from salvaged headers (RFC 3261 8.2.6): Vias, From, To (with a
 * tag when it had none), Call-ID and CSeq echoed as received.
 */
export function buildSalvagedResponse(
  headers: SalvagedHeaders,
  status: number,
  reason: string,
): SipResponse {
  const h = new SipHeaders();
  for (const v of headers.vias) h.append('Via', v);
  h.append('From', headers.from);
  h.append('To', TAG_PARAM.test(headers.to) ? headers.to : `${headers.to};tag=${randomToken()}`);
  h.append('Call-ID', headers.callId);
  h.append('CSeq', headers.cseq);
  return {
    kind: 'response',
    version: SIP_VERSION,
    status,
    reason: cleanReason(reason),
    headers: h,
    body: Buffer.alloc(0),
  };
}
