import type { ProbeTransport } from './sip-probe';

/**
 * The few edits a torture request needs to be answered to our own socket, and nothing more.
 * Only the header section of the first message is touched, as latin1 so that every byte (NULs,
 * UTF-8, folding) survives; bodies and Content-Length stay as RFC 4475 has them.
 *
 * 1. UDP only: `;rport` at the end of the top via-parm. The torture sent-by hosts (192.0.2.x,
 *    host5.example.com, ...) are not ours, so the edge stamps `received=127.0.0.1` (RFC 3261
 *    18.2.1) and, with rport (RFC 3581 4), answers to our source port instead of the sent-by
 *    port (5060). Over TCP the answer goes back on the connection (18.2.2), so no edit.
 * 2. Always: the request is made a transaction of its own. RFC 3261 17.2.3 keys a server
 *    transaction on top-Via branch, sent-by and method, and RFC 4475 reuses z9hG4bKkdjuw with
 *    the same sent-by (cparam01/cparam02) and every message is sent twice (UDP, then TCP): the
 *    edge would rightly absorb the repeat as a retransmission. So a magic-cookie branch gets a
 *    unique suffix; the bare cookie of badbranch (its torture aspect) keeps its value and a
 *    unique sent-by port is set instead; with no cookie (RFC 2543 matching on Call-ID, From tag,
 *    Request-URI, CSeq and Via), the Call-ID gets the suffix.
 */
export function prepareRequest(data: Buffer, transport: ProbeTransport, unique: string): Buffer {
  const headEnd = findHeadEnd(data);
  let head = data.toString('latin1', 0, headEnd);
  const via = topViaParm(head);
  if (via === null) throw new Error('torture request without a Via: nothing to rewrite');
  let parm = head.slice(via.start, via.end);
  const branch = /(branch[ \t\r\n]*=[ \t\r\n]*)([^\s;,]+)/i.exec(parm);
  let callIdSuffix = false;
  if (branch !== null && branch[2].startsWith('z9hG4bK') && branch[2] !== 'z9hG4bK') {
    parm = parm.replace(branch[0], `${branch[0]}.${unique}`);
  } else if (branch !== null && branch[2] === 'z9hG4bK') {
    parm = withUniqueSentByPort(parm, unique);
  } else {
    callIdSuffix = true;
  }
  if (transport === 'udp') parm = `${parm};rport`;
  head = head.slice(0, via.start) + parm + head.slice(via.end);
  if (callIdSuffix) head = head.replace(/^((?:call-id|i)[ \t]*:.*?)(\r?)$/gim, `$1.${unique}$2`);
  return Buffer.concat([Buffer.from(head, 'latin1'), data.subarray(headEnd)]);
}

/** Replaces `what` by `by` in the header section only (never in the body). */
export function replaceInHead(data: Buffer, what: string, by: string): Buffer {
  const headEnd = findHeadEnd(data);
  const head = data.toString('latin1', 0, headEnd);
  if (!head.includes(what)) throw new Error(`"${what}" is not in the header section`);
  return Buffer.concat([Buffer.from(head.split(what).join(by), 'latin1'), data.subarray(headEnd)]);
}

function findHeadEnd(data: Buffer): number {
  const crlf = data.indexOf('\r\n\r\n');
  if (crlf !== -1) return crlf;
  const lf = data.indexOf('\n\n');
  return lf === -1 ? data.length : lf;
}

/**
 * Offsets of the first via-parm of the first Via header field (long or compact name, folded or
 * not): from just after the colon to the first comma outside quotes, or the end of the field,
 * trailing whitespace excluded.
 */
function topViaParm(head: string): { start: number; end: number } | null {
  const name = /(?:^|\n)(?:via|v)[ \t]*:/gi.exec(head);
  if (name === null) return null;
  const start = name.index + name[0].length;
  let end = start;
  let quoted = false;
  for (; end < head.length; end++) {
    const c = head[end];
    if (quoted) {
      if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') break;
    // A line end ends the field unless the next line is a continuation (RFC 3261 7.3.1).
    else if (c === '\n' && head[end + 1] !== ' ' && head[end + 1] !== '\t') break;
  }
  while (end > start && /\s/.test(head[end - 1])) end--;
  return { start, end };
}

/** `SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK` → `SIP/2.0/UDP 192.0.2.1:<port>;branch=z9hG4bK`. */
function withUniqueSentByPort(parm: string, unique: string): string {
  let hash = 0;
  for (const ch of unique) hash = (hash * 31 + ch.charCodeAt(0)) % 50_000;
  return parm.replace(/^(\s*SIP\s*\/\s*2\.0\s*\/\s*\S+\s+[^\s;:]+)(:\d+)?/i, `$1:${10_000 + hash}`);
}
