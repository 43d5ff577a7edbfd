import { isSipUri, parseUri, type SipUri } from '../grammar/uri';

/**
 * The fields of a REGISTER datagram in the plain shape phones send over UDP, read straight from
 * the bytes (see scanUdpRegister). Texts are as received, except `domain`, which is lowercased.
 */
export interface RegisterScan {
  /** The Request-URI, e.g. `sip:example.com`. */
  readonly requestUri: string;
  /** Its host, lowercased: the registrar's domain. */
  readonly domain: string;
  /** The Via value and its parts. */
  readonly via: string;
  readonly viaHost: string;
  readonly viaPort: number | null;
  readonly branch: string;
  readonly rport: boolean;
  readonly fromTag: string;
  /** The To URI (`sip:user@host`, no tag on To). */
  readonly to: SipUri;
  readonly callId: string;
  readonly seq: number;
  /** The Contact URI as written between `<` and `>`, and the URI it parses to. */
  readonly contactText: string;
  readonly contact: SipUri;
  /** The Contact's expires parameter, the Expires header: null when absent. */
  readonly contactExpires: number | null;
  readonly expires: number | null;
  readonly authorization: string | null;
  readonly userAgent: string | null;
  /**
   * Via, From, To, Call-ID and CSeq as `Name: value` lines in the order received: what a
   * response copies (RFC 3261 8.2.6.2).
   */
  readonly copied: readonly string[];
}

const REQUEST_LINE = /^REGISTER (sip:([A-Za-z0-9.-]+)(?::[0-9]{1,5})?) SIP\/2\.0$/;
const TOKEN = "[A-Za-z0-9.!%*_+`'~-]+";
const VIA = new RegExp(
  `^SIP/2\\.0/UDP ([a-z0-9.-]+)(?::([0-9]{1,5}))?((?:;${TOKEN}(?:=${TOKEN})?)+)$`,
);
const NAME_ADDR = /^(?:"[^"\\\r\n]*" ?|[A-Za-z0-9.!%*_+`'~ -]*)<([^<>"\s]+)>(.*)$/;
const TAG = new RegExp(`^;tag=(${TOKEN})$`);
const WORD = '[A-Za-z0-9.!%*_+`\'~()<>:\\\\"/\\[\\]?{}-]+';
const CALL_ID = new RegExp(`^${WORD}(?:@${WORD})?$`);
const CSEQ = /^([0-9]{1,10}) REGISTER$/;
const DIGITS = /^[0-9]{1,10}$/;
const CONTACT = /^<([^<>"\s]+)>(?:;expires=([0-9]{1,10}))?$/;
const NOT_PLAIN = /[^\x20-\x7e\r\n]|\r(?!\n)|(?<!\r)\n/;
const MAX_SEQ = 2 ** 31 - 1;

/**
 * The header names taken, as written, and their slots. The first COPIED_SLOTS are the fields a
 * response copies; Allow, Supported and Allow-Events are only checked to appear once.
 */
const HEADER_SLOTS: ReadonlyMap<string, number> = new Map(
  [
    'Via',
    'From',
    'To',
    'Call-ID',
    'CSeq',
    'Contact',
    'Max-Forwards',
    'Expires',
    'Authorization',
    'User-Agent',
    'Content-Length',
    'Allow',
    'Supported',
    'Allow-Events',
  ].map((name, slot) => [name, slot]),
);
const COPIED_SLOTS = 5;
const MAX_EXPIRES = 2 ** 32 - 1;

/**
 * Reads a REGISTER datagram without the general parser, or returns null: null for anything but
 * the plain shape (then the general parser and the transaction layer take the datagram, and
 * answer it as they always did). The plain shape: ASCII only; the header names Via, From, To,
 * Call-ID, CSeq, Contact, Max-Forwards, Expires, Authorization, User-Agent, Allow, Supported,
 * Allow-Events and Content-Length written so, each at most once, without folding; one UDP Via
 * with a magic-cookie branch and at most rport; a From tag and no To tag; one Contact `<uri>`
 * with at most an expires parameter; Max-Forwards 1 to 255; no body. A message the general
 * parser would refuse is never in that shape.
 */
export function scanUdpRegister(data: Buffer): RegisterScan | null {
  if (data.length < 9) return null;
  // "REGISTER " before anything else: other requests never pay more than this.
  if (data[0] !== 0x52 || data[8] !== 0x20 || data.toString('latin1', 0, 9) !== 'REGISTER ')
    return null;
  const text = data.toString('latin1');
  // Printable ASCII in CRLF-ended lines: no tab, control character, bare CR or LF, or 8-bit byte.
  if (NOT_PLAIN.test(text)) return null;
  let end = text.indexOf('\r\n');
  const line = end < 0 ? null : REQUEST_LINE.exec(text.slice(0, end));
  if (line === null) return null;

  // One slot per header name taken, each filled at most once.
  const values: (string | undefined)[] = new Array<string | undefined>(HEADER_SLOTS.size);
  const copied: string[] = [];
  let pos = end + 2;
  for (;;) {
    end = text.indexOf('\r\n', pos);
    if (end < 0) return null;
    if (end === pos) break;
    const colon = text.indexOf(': ', pos);
    if (colon < 0 || colon > end) return null;
    const slot = HEADER_SLOTS.get(text.slice(pos, colon));
    if (slot === undefined || values[slot] !== undefined) return null;
    const value = text.slice(colon + 2, end);
    // Folding, empty or padded values: the general parser's business.
    if (
      value.length === 0 ||
      value.charCodeAt(0) === 32 ||
      value.charCodeAt(value.length - 1) === 32
    )
      return null;
    values[slot] = value;
    if (slot < COPIED_SLOTS) copied.push(text.slice(pos, end));
    pos = end + 2;
  }
  const [via, from, to, callId, cseq, contact, maxForwards, expires, authorization, userAgent] =
    values;
  const contentLength = values[HEADER_SLOTS.get('Content-Length') as number];
  // No body: the blank line ends the datagram.
  if (end + 2 !== text.length) return null;
  if (contentLength !== undefined && contentLength !== '0') return null;
  if (
    via === undefined ||
    from === undefined ||
    to === undefined ||
    callId === undefined ||
    cseq === undefined ||
    contact === undefined ||
    maxForwards === undefined
  )
    return null;
  if (!DIGITS.test(maxForwards) || Number(maxForwards) < 1 || Number(maxForwards) > 255)
    return null;

  const viaParts = VIA.exec(via);
  if (viaParts === null) return null;
  const viaPort = viaParts[2] === undefined ? null : Number(viaParts[2]);
  if (viaPort !== null && (viaPort < 1 || viaPort > 65535)) return null;
  let branch: string | undefined;
  let rport = false;
  for (const param of viaParts[3].slice(1).split(';')) {
    if (param === 'rport' && !rport) rport = true;
    else if (param.startsWith('branch=z9hG4bK') && branch === undefined) branch = param.slice(7);
    else return null;
  }
  if (branch === undefined || branch.length <= 7) return null;

  const fromParts = NAME_ADDR.exec(from);
  const fromTag = fromParts === null ? null : TAG.exec(fromParts[2]);
  if (fromParts === null || fromTag === null || sipUriOf(fromParts[1]) === null) return null;
  const toParts = NAME_ADDR.exec(to);
  if (toParts === null || toParts[2] !== '') return null;
  const toUri = sipUriOf(toParts[1]);
  if (toUri === null || toUri.user === null) return null;

  if (!CALL_ID.test(callId)) return null;
  const seqParts = CSEQ.exec(cseq);
  if (seqParts === null) return null;
  const seq = Number(seqParts[1]);
  if (seq > MAX_SEQ) return null;

  const contactParts = CONTACT.exec(contact);
  if (contactParts === null) return null;
  const contactUri = sipUriOf(contactParts[1]);
  if (contactUri === null) return null;
  const contactExpires = contactParts[2] === undefined ? null : Number(contactParts[2]);
  let expiresValue: number | null = null;
  if (expires !== undefined) {
    if (!DIGITS.test(expires)) return null;
    expiresValue = Number(expires);
  }
  if ((contactExpires ?? 0) > MAX_EXPIRES || (expiresValue ?? 0) > MAX_EXPIRES) return null;

  return {
    requestUri: line[1],
    domain: line[2].toLowerCase(),
    via,
    viaHost: viaParts[1],
    viaPort,
    branch,
    rport,
    fromTag: fromTag[1],
    to: toUri,
    callId,
    seq,
    contactText: contactParts[1],
    contact: contactUri,
    contactExpires,
    expires: expiresValue,
    authorization: authorization ?? null,
    userAgent: userAgent ?? null,
    copied,
  };
}

function sipUriOf(text: string): SipUri | null {
  if (!text.startsWith('sip:')) return null;
  const result = parseUri(text);
  return result.ok && isSipUri(result.value) && result.value.scheme === 'sip' ? result.value : null;
}
