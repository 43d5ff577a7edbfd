import { isToken } from '../grammar/char-classes';
import { parseContact, type ContactAddress, type ContactValue } from '../grammar/contact';
import type { GrammarError } from '../grammar/grammar-result';
import { parseNameAddr, type NameAddr } from '../grammar/name-addr';
import {
  parseCallId,
  parseContentLength,
  parseCSeq,
  parseMaxForwards,
  parseSipDate,
  type CSeq,
} from '../grammar/scalar-headers';
import { isSipUri, parseUri, type Uri } from '../grammar/uri';
import { parseVia, type Via } from '../grammar/via';
import { lookupWireHeaderName } from './header-names';
import {
  MessageParseErrorCode as Code,
  parseError,
  type MessageParseError,
} from './message-parse-error';
import { SIP_VERSION, SipHeaders, type HeaderField, type SipMessage } from './sip-message';

export interface ParseOptions {
  /** Largest accepted message (RFC 3261 18.1.1 path MTU aside, 64 KiB is the UDP maximum). */
  readonly maxMessageBytes?: number;
  readonly maxHeaders?: number;
  /** Longest header field after unfolding, in characters. */
  readonly maxHeaderLineLength?: number;
  /** Longest Request-URI before answering 414. */
  readonly maxRequestUriLength?: number;
  /** Streams (TCP/TLS) need Content-Length (RFC 3261 18.3); datagrams may omit it. */
  readonly requireContentLength?: boolean;
}

export const DEFAULT_PARSE_LIMITS = {
  maxMessageBytes: 65536,
  maxHeaders: 200,
  maxHeaderLineLength: 8192,
  maxRequestUriLength: 4096,
} as const;

/** A parsed message with the headers every transaction and dialog needs, already validated. */
export interface ParsedMessage {
  readonly kind: 'message';
  readonly message: SipMessage;
  /** Parsed Request-URI; null for a response. */
  readonly requestUri: Uri | null;
  readonly via: Via[];
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly callId: string;
  readonly cseq: CSeq;
  /** null when absent (tolerated for RFC 2543 peers, see notes). */
  readonly maxForwards: number | null;
  /** Contact fields combined; null when there is none. */
  readonly contact: ContactValue | null;
  /** Tolerated deviations worth a debug log ("missing Max-Forwards"). */
  readonly notes: readonly string[];
}

export type ParseResult =
  | ParsedMessage
  /** A datagram holding only CRLFs: an RFC 5626 keep-alive, not an error. */
  | { readonly kind: 'keep-alive' }
  | { readonly kind: 'error'; readonly error: MessageParseError };

const NO_NOTES: readonly string[] = Object.freeze([]);

function error(code: Code, detail: string, header?: string): ParseResult {
  return { kind: 'error', error: parseError(code, detail, header) };
}

function grammarError(header: string, e: GrammarError): ParseResult {
  return error(Code.BadHeader, `bad ${header}: ${e.message}`, header);
}

const VERSION_RE = /^SIP\/\d{1,3}\.\d{1,3}$/i;

/** Finds the empty line; returns [end of the last header line, start of body] or null. */
function findHeadEnd(buf: Buffer, start: number): [number, number] | null {
  let pos = start;
  const len = buf.length;
  while (pos < len) {
    const nl = buf.indexOf(10, pos);
    if (nl === -1) return null;
    const next = buf[nl + 1];
    if (next === 10) return [nl, nl + 2];
    if (next === 13 && buf[nl + 2] === 10) return [nl, nl + 3];
    pos = nl + 1;
  }
  return null;
}

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Parses one SIP message from a datagram (RFC 3261 section 7 and 18.3). Never throws; the body is
 * a view into `buffer` (no copy), so the caller must not reuse the buffer while the message lives.
 */
export function parseMessage(buffer: Buffer, options: ParseOptions = {}): ParseResult {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_PARSE_LIMITS.maxMessageBytes;
  const maxHeaders = options.maxHeaders ?? DEFAULT_PARSE_LIMITS.maxHeaders;
  const maxLine = options.maxHeaderLineLength ?? DEFAULT_PARSE_LIMITS.maxHeaderLineLength;
  const maxUri = options.maxRequestUriLength ?? DEFAULT_PARSE_LIMITS.maxRequestUriLength;
  const len = buffer.length;
  if (len > maxBytes) return error(Code.MessageTooLarge, `message exceeds ${maxBytes} bytes`);

  // RFC 3261 7.5: CRLFs before the start line are ignored.
  let start = 0;
  while (start < len && (buffer[start] === 13 || buffer[start] === 10)) start++;
  if (start === len)
    return len > 0 ? { kind: 'keep-alive' } : error(Code.Incomplete, 'empty message');

  const bounds = findHeadEnd(buffer, start);
  if (bounds === null) return error(Code.Incomplete, 'no empty line after the headers');
  const [headEnd, bodyStart] = bounds;
  const head = buffer.toString('utf8', start, headEnd);
  const hlen = head.length;

  // ---- start line --------------------------------------------------------------------------
  let nl = head.indexOf('\n');
  if (nl === -1) nl = hlen;
  let lineEnd = nl > 0 && head.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  let method = '';
  let requestUriText = '';
  let requestUri: Uri | null = null;
  let status = 0;
  let reason = '';
  let version: string;
  let notes: string[] | null = null;
  const isResponse =
    lineEnd >= 4 &&
    (head.charCodeAt(0) | 32) === 115 &&
    (head.charCodeAt(1) | 32) === 105 &&
    (head.charCodeAt(2) | 32) === 112 &&
    head.charCodeAt(3) === 47;
  if (isResponse) {
    const sp1 = head.indexOf(' ', 0);
    if (sp1 === -1 || sp1 > lineEnd) return error(Code.BadStartLine, 'malformed status line');
    version = head.slice(0, sp1);
    if (!VERSION_RE.test(version)) return error(Code.BadStartLine, 'malformed SIP version');
    if (version.toUpperCase() !== SIP_VERSION)
      return error(Code.UnsupportedVersion, `unsupported version ${version}`);
    const codeEnd = sp1 + 4;
    for (let i = sp1 + 1; i < codeEnd; i++) {
      const c = head.charCodeAt(i);
      if (i >= lineEnd || c < 48 || c > 57)
        return error(Code.BadStartLine, 'malformed status code');
    }
    if (codeEnd < lineEnd && head.charCodeAt(codeEnd) !== 32)
      return error(Code.BadStartLine, 'malformed status code');
    status = +head.slice(sp1 + 1, codeEnd);
    if (status < 100 || status > 699) return error(Code.BadStartLine, 'status code out of range');
    if (codeEnd >= lineEnd) {
      // RFC 4475 noreason keeps the SP before an empty reason; without the SP it is tolerated.
      if (codeEnd === lineEnd) (notes ??= []).push('status line without SP before the reason');
    }
    reason = codeEnd + 1 <= lineEnd ? head.slice(codeEnd + 1, lineEnd) : '';
    version = SIP_VERSION;
  } else {
    const sp1 = head.indexOf(' ');
    if (sp1 <= 0 || sp1 >= lineEnd) return error(Code.BadStartLine, 'malformed request line');
    const sp2 = head.indexOf(' ', sp1 + 1);
    if (sp2 === -1 || sp2 >= lineEnd || sp2 === sp1 + 1)
      return error(Code.BadStartLine, 'malformed request line');
    const sp3 = head.indexOf(' ', sp2 + 1);
    // RFC 4475 lwsstart, lwsruri and trws: exactly one SP between and none after the elements.
    if (sp3 !== -1 && sp3 < lineEnd)
      return error(Code.BadStartLine, 'extra whitespace in request line');
    for (let i = 0; i < sp1; i++) {
      if (!isToken(head.charCodeAt(i))) return error(Code.BadStartLine, 'method is not a token');
    }
    method = head.slice(0, sp1);
    version = head.slice(sp2 + 1, lineEnd);
    if (!VERSION_RE.test(version)) return error(Code.BadStartLine, 'malformed SIP version');
    if (version.toUpperCase() !== SIP_VERSION)
      return error(Code.UnsupportedVersion, `unsupported version ${version}`);
    version = SIP_VERSION;
    if (sp2 - sp1 - 1 > maxUri) return error(Code.RequestUriTooLong, 'Request-URI too long');
    requestUriText = head.slice(sp1 + 1, sp2);
    const u = parseUri(requestUriText);
    if (!u.ok) return error(Code.BadRequestUri, `bad Request-URI: ${u.error.message}`);
    requestUri = u.value;
    if (!isSipUri(requestUri) && requestUri.scheme !== 'tel') {
      return error(Code.UnsupportedUriScheme, `unsupported scheme ${requestUri.scheme}`);
    }
    // RFC 3261 19.1.1 (table 1): headers are not allowed in a Request-URI (RFC 4475 escruri).
    if (isSipUri(requestUri) && requestUri.headers.length > 0) {
      return error(Code.BadRequestUri, 'headers not allowed in Request-URI');
    }
  }

  // ---- header fields -----------------------------------------------------------------------
  const fields: HeaderField[] = [];
  const vias: string[] = [];
  const contacts: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  let callId: string | undefined;
  let cseq: string | undefined;
  let maxForwards: string | undefined;
  let contentLength: string | undefined;
  let date: string | undefined;
  let duplicate: string | undefined;

  let pos = nl + 1;
  let name = '';
  let key = '';
  let value: string | null = null;

  const commit = (): ParseResult | null => {
    if (value === null) return null;
    let v = value;
    let e = v.length;
    while (e > 0 && isWs(v.charCodeAt(e - 1))) e--;
    if (e !== v.length) v = v.slice(0, e);
    if (v.length > maxLine) return error(Code.HeaderLineTooLong, `${name} too long`, name);
    if (fields.length >= maxHeaders)
      return error(Code.TooManyHeaders, `more than ${maxHeaders} headers`);
    fields.push({ name, key, value: v });
    switch (key) {
      case 'via':
        vias.push(v);
        break;
      case 'contact':
        contacts.push(v);
        break;
      case 'from':
        if (from !== undefined) duplicate ??= name;
        from = v;
        break;
      case 'to':
        if (to !== undefined) duplicate ??= name;
        to = v;
        break;
      case 'call-id':
        if (callId !== undefined) duplicate ??= name;
        callId = v;
        break;
      case 'cseq':
        if (cseq !== undefined) duplicate ??= name;
        cseq = v;
        break;
      case 'max-forwards':
        if (maxForwards !== undefined) duplicate ??= name;
        maxForwards = v;
        break;
      case 'content-length':
        if (contentLength !== undefined) duplicate ??= name;
        contentLength = v;
        break;
      case 'date':
        date = v;
        break;
    }
    value = null;
    return null;
  };

  while (pos < hlen) {
    let e = head.indexOf('\n', pos);
    if (e === -1) e = hlen;
    lineEnd = e > pos && head.charCodeAt(e - 1) === 13 ? e - 1 : e;
    if (lineEnd - pos > maxLine) return error(Code.HeaderLineTooLong, 'header line too long');
    const first = head.charCodeAt(pos);
    if (isWs(first)) {
      // RFC 3261 7.3.1: a continuation line; the fold counts as a single SP.
      if (value === null) return error(Code.BadHeader, 'continuation line without a header');
      let s = pos;
      while (s < lineEnd && isWs(head.charCodeAt(s))) s++;
      if (s < lineEnd)
        value = value.length === 0 ? head.slice(s, lineEnd) : `${value} ${head.slice(s, lineEnd)}`;
      if (value.length > maxLine) return error(Code.HeaderLineTooLong, `${name} too long`, name);
    } else {
      const r = commit();
      if (r !== null) return r;
      const colon = head.indexOf(':', pos);
      if (colon === -1 || colon >= lineEnd) return error(Code.BadHeader, 'header line without ":"');
      let ne = colon;
      while (ne > pos && isWs(head.charCodeAt(ne - 1))) ne--;
      if (ne === pos) return error(Code.BadHeader, 'empty header name');
      for (let i = pos; i < ne; i++) {
        if (!isToken(head.charCodeAt(i)))
          return error(Code.BadHeader, 'header name is not a token');
      }
      const raw = head.slice(pos, ne);
      const info = lookupWireHeaderName(raw);
      if (info === undefined) {
        name = raw;
        key = raw.toLowerCase();
      } else {
        name = info.name;
        key = info.key;
      }
      let vs = colon + 1;
      while (vs < lineEnd && isWs(head.charCodeAt(vs))) vs++;
      value = head.slice(vs, lineEnd);
    }
    pos = e + 1;
  }
  const last = commit();
  if (last !== null) return last;

  // ---- mandatory headers (RFC 3261 8.1.1 and 8.2.2) ----------------------------------------
  if (duplicate !== undefined)
    return error(Code.DuplicateHeader, `more than one ${duplicate}`, duplicate);
  if (to === undefined) return error(Code.MissingHeader, 'missing To', 'To');
  if (from === undefined) return error(Code.MissingHeader, 'missing From', 'From');
  if (callId === undefined) return error(Code.MissingHeader, 'missing Call-ID', 'Call-ID');
  if (cseq === undefined) return error(Code.MissingHeader, 'missing CSeq', 'CSeq');
  if (vias.length === 0) return error(Code.MissingHeader, 'missing Via', 'Via');

  const toR = parseNameAddr(to);
  if (!toR.ok) return grammarError('To', toR.error);
  const fromR = parseNameAddr(from);
  if (!fromR.ok) return grammarError('From', fromR.error);
  const callIdR = parseCallId(callId);
  if (!callIdR.ok) return grammarError('Call-ID', callIdR.error);
  const cseqR = parseCSeq(cseq);
  if (!cseqR.ok) return grammarError('CSeq', cseqR.error);
  if (!isResponse && cseqR.value.method !== method) {
    return error(Code.CSeqMismatch, 'CSeq method does not match the request method', 'CSeq');
  }
  let via: Via[];
  if (vias.length === 1) {
    const r = parseVia(vias[0]);
    if (!r.ok) return grammarError('Via', r.error);
    via = r.value;
  } else {
    via = [];
    for (const v of vias) {
      const r = parseVia(v);
      if (!r.ok) return grammarError('Via', r.error);
      for (const x of r.value) via.push(x);
    }
  }
  let mf: number | null = null;
  if (maxForwards !== undefined) {
    const r = parseMaxForwards(maxForwards);
    if (!r.ok) return grammarError('Max-Forwards', r.error);
    mf = r.value;
  } else if (!isResponse) {
    (notes ??= []).push('missing Max-Forwards (RFC 2543 peer?)');
  }
  let contact: ContactValue | null = null;
  if (contacts.length > 0) {
    const all: ContactAddress[] = [];
    for (const c of contacts) {
      const r = parseContact(c);
      if (!r.ok) return grammarError('Contact', r.error);
      if (r.value.wildcard) {
        if (contacts.length > 1)
          return error(Code.BadHeader, 'Contact "*" must stand alone', 'Contact');
        contact = r.value;
      } else {
        for (const a of r.value.contacts) all.push(a);
      }
    }
    contact ??= { wildcard: false, contacts: all };
  }
  if (date !== undefined) {
    // RFC 4475 baddate: an element that ignores Date could accept it; we refuse, as the RFC
    // suggests for elements that look at the header, because registrars echo and log it.
    const r = parseSipDate(date);
    if (!r.ok) return grammarError('Date', r.error);
  }

  // ---- body (RFC 3261 18.3) -----------------------------------------------------------------
  let body: Buffer;
  if (contentLength !== undefined) {
    const r = parseContentLength(contentLength, maxBytes);
    if (!r.ok)
      return error(
        Code.BadContentLength,
        `bad Content-Length: ${r.error.message}`,
        'Content-Length',
      );
    const available = len - bodyStart;
    if (r.value > available)
      return error(Code.TruncatedBody, 'body shorter than Content-Length', 'Content-Length');
    // Bytes beyond Content-Length in a datagram are discarded (RFC 4475 dblreq).
    body = buffer.subarray(bodyStart, bodyStart + r.value);
  } else if (options.requireContentLength === true) {
    return error(Code.MissingHeader, 'missing Content-Length on a stream', 'Content-Length');
  } else {
    body = buffer.subarray(bodyStart, len);
  }

  const headers = new SipHeaders(fields);
  const message: SipMessage = isResponse
    ? { kind: 'response', version, status, reason, headers, body }
    : { kind: 'request', method, requestUri: requestUriText, version, headers, body };
  return {
    kind: 'message',
    message,
    requestUri,
    via,
    from: fromR.value,
    to: toR.value,
    callId: callIdR.value,
    cseq: cseqR.value,
    maxForwards: mf,
    contact,
    notes: notes ?? NO_NOTES,
  };
}
