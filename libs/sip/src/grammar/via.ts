import { skipLws, scanToken, isLws, parseDigits } from './char-classes';
import { fail, GrammarErrorCode, ok, type GrammarResult } from './grammar-result';
import { findParam, parseParams, type GenericParam } from './parameters';
import { parseHostPort } from './uri';

/** One via-parm (RFC 3261 section 20.42, with RFC 3581 rport). */
export interface Via {
  readonly protocol: string;
  readonly version: string;
  /** Upper-cased transport (UDP, TCP, TLS, SCTP, WS, WSS, or an extension). */
  readonly transport: string;
  readonly host: string;
  readonly port: number | null;
  readonly branch: string | null;
  readonly received: string | null;
  /** true for a bare ";rport" (a request asking for it), the number once filled in. */
  readonly rport: number | true | null;
  readonly maddr: string | null;
  readonly ttl: number | null;
  readonly params: GenericParam[];
}

function expectSlash(s: string, i: number, end: number): number {
  i = skipLws(s, i, end);
  if (i >= end || s.charCodeAt(i) !== 47) return -1;
  return skipLws(s, i + 1, end);
}

/** Parses a Via header value: one or more via-parms separated by ",". */
export function parseVia(s: string): GrammarResult<Via[]> {
  const end = s.length;
  const out: Via[] = [];
  let i = 0;
  while (true) {
    i = skipLws(s, i, end);
    const nameEnd = scanToken(s, i, end);
    if (nameEnd === i) return fail(GrammarErrorCode.BadVia, 'missing protocol name', i);
    const protocol = s.slice(i, nameEnd).toUpperCase();
    i = expectSlash(s, nameEnd, end);
    if (i < 0) return fail(GrammarErrorCode.BadVia, 'expected "/" after protocol name', nameEnd);
    const verEnd = scanToken(s, i, end);
    if (verEnd === i) return fail(GrammarErrorCode.BadVia, 'missing protocol version', i);
    const version = s.slice(i, verEnd);
    i = expectSlash(s, verEnd, end);
    if (i < 0) return fail(GrammarErrorCode.BadVia, 'expected "/" after protocol version', verEnd);
    const trEnd = scanToken(s, i, end);
    if (trEnd === i) return fail(GrammarErrorCode.BadVia, 'missing transport', i);
    const transport = s.slice(i, trEnd).toUpperCase();
    if (trEnd >= end || !isLws(s.charCodeAt(trEnd)))
      return fail(GrammarErrorCode.BadVia, 'expected LWS before sent-by', trEnd);
    i = skipLws(s, trEnd, end);
    const hostStart = i;
    let hostEnd = i;
    // COLON = SWS ":" SWS, so "host : 5060" is allowed; parse host then the optional port.
    const hp = parseHostPort(s, hostStart, end);
    if (!hp.ok)
      return fail(GrammarErrorCode.BadVia, `bad sent-by: ${hp.error.message}`, hp.error.offset);
    hostEnd = hp.value.end;
    let port = hp.value.port;
    let j = skipLws(s, hostEnd, end);
    if (port === null && j < end && s.charCodeAt(j) === 58) {
      const ps = skipLws(s, j + 1, end);
      let pe = ps;
      while (pe < end && s.charCodeAt(pe) >= 48 && s.charCodeAt(pe) <= 57) pe++;
      port = parseDigits(s, ps, pe, 5);
      if (port < 0 || port > 65535) return fail(GrammarErrorCode.BadPort, 'bad sent-by port', ps);
      j = pe;
    }
    const pr = parseParams(s, j, end);
    if (!pr.ok) return fail(GrammarErrorCode.BadVia, pr.error.message, pr.error.offset);
    const params = pr.value.params;
    let ttl: number | null = null;
    let rport: number | true | null = null;
    const ttlP = findParam(params, 'ttl');
    if (ttlP !== undefined) {
      ttl = ttlP.value === null ? -1 : parseDigits(ttlP.value, 0, ttlP.value.length, 3);
      if (ttl < 0 || ttl > 255) return fail(GrammarErrorCode.OutOfRange, 'bad ttl', j);
    }
    const rp = findParam(params, 'rport');
    if (rp !== undefined) {
      if (rp.value === null) rport = true;
      else {
        const n = parseDigits(rp.value, 0, rp.value.length, 5);
        if (n < 0 || n > 65535) return fail(GrammarErrorCode.BadPort, 'bad rport', j);
        rport = n;
      }
    }
    const branch = findParam(params, 'branch');
    const received = findParam(params, 'received');
    const maddr = findParam(params, 'maddr');
    if (branch !== undefined && branch.value === null)
      return fail(GrammarErrorCode.BadParameter, 'branch needs a value', j);
    out.push({
      protocol,
      version,
      transport,
      host: hp.value.host,
      port,
      branch: branch === undefined ? null : branch.value,
      received: received === undefined ? null : received.value,
      rport,
      maddr: maddr === undefined ? null : maddr.value,
      ttl,
      params,
    });
    i = pr.value.end;
    if (i >= end) return ok(out);
    i++; // the ","
  }
}
