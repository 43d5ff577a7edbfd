import type { GenericParam } from '../grammar/parameters';
import type { Via } from '../grammar/via';
import type { ParsedMessage } from '../messages/parse-message';
import { hostForUri, sameHost } from './peer-address';

interface ParamSpan {
  /** Offset of the ";" that opens the parameter. */
  readonly start: number;
  /** Offset just past the parameter (at the next ";", the ",", or the end). */
  readonly end: number;
  readonly name: string;
  readonly hasValue: boolean;
}

/** Parameters of the first via-parm of a Via field value, and where that via-parm ends. */
function scanFirstViaParm(value: string): { params: ParamSpan[]; end: number } {
  const params: ParamSpan[] = [];
  let quoted = false;
  let current = -1;
  let nameEnd = -1;
  let hasValue = false;
  let i = 0;
  const close = (end: number): void => {
    if (current === -1) return;
    const raw = value.slice(current + 1, nameEnd === -1 ? end : nameEnd).trim();
    params.push({ start: current, end, name: raw.toLowerCase(), hasValue });
  };
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (quoted) {
      if (c === 92) i++;
      else if (c === 34) quoted = false;
      continue;
    }
    if (c === 34) quoted = true;
    else if (c === 44) break;
    else if (c === 59) {
      close(i);
      current = i;
      nameEnd = -1;
      hasValue = false;
    } else if (c === 61 && current !== -1 && nameEnd === -1) {
      nameEnd = i;
      hasValue = true;
    }
  }
  let end = i;
  while (end > 0 && (value.charCodeAt(end - 1) === 32 || value.charCodeAt(end - 1) === 9)) end--;
  close(end);
  return { params, end };
}

/**
 * Rewrites the first via-parm of a Via field value: every `rport` parameter gets `rport` (when not
 * null) and every `received` is replaced by one `received=<received>` at the end (when not null).
 * Other via-parms in the same field and the rest of the text are kept byte for byte.
 */
export function stampViaValue(
  value: string,
  received: string | null,
  rport: number | null,
): string {
  const { params, end } = scanFirstViaParm(value);
  let out = '';
  let from = 0;
  for (const p of params) {
    if (received !== null && p.name === 'received') {
      out += value.slice(from, p.start);
      from = p.end;
    } else if (rport !== null && p.name === 'rport') {
      out += `${value.slice(from, p.start)};rport=${rport}`;
      from = p.end;
    }
  }
  out += value.slice(from, end);
  if (received !== null) out += `;received=${received}`;
  return out + value.slice(end);
}

function stampParams(
  params: readonly GenericParam[],
  received: string | null,
  rport: number | null,
): GenericParam[] {
  const out: GenericParam[] = [];
  for (const p of params) {
    if (received !== null && p.name === 'received') continue;
    out.push(rport !== null && p.name === 'rport' ? { name: 'rport', value: String(rport) } : p);
  }
  if (received !== null) out.push({ name: 'received', value: received });
  return out;
}

/**
 * RFC 3261 18.2.1 and RFC 3581 4 for a request received from address:port: the top Via gets
 * `received=<address>` when its sent-by host differs from the address or it asks for rport, and a
 * present rport gets the source port. A received or rport value the client wrote itself is
 * overwritten, so that responses never go where the packet did not come from. Both the header
 * field (echoed in responses) and `parsed.via[0]` are updated; returns whether anything changed.
 */
export function stampTopVia(parsed: ParsedMessage, address: string, port: number): boolean {
  const top: Via = parsed.via[0];
  const stamp = viaStamp(top.host, top.received, top.rport, address, port);
  if (stamp === null) return false;
  const { received, rport } = stamp;
  const fields = parsed.message.headers.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.key !== 'via') continue;
    fields[i] = { name: f.name, key: f.key, value: stampViaValue(f.value, received, rport) };
    break;
  }
  parsed.via[0] = {
    ...top,
    received: received ?? top.received,
    rport: rport ?? top.rport,
    params: stampParams(top.params, received, rport),
  };
  return true;
}

/**
 * stampTopVia for a Via value read without the parser (a DatagramScreen's), one that has no
 * received parameter and at most an rport without value: the value to echo in responses.
 */
export function stampViaText(
  value: string,
  host: string,
  rport: boolean,
  address: string,
  port: number,
): string {
  const stamp = viaStamp(host, null, rport ? true : null, address, port);
  return stamp === null ? value : stampViaValue(value, stamp.received, stamp.rport);
}

/**
 * The received and rport values RFC 3261 18.2.1 and RFC 3581 4 give a top Via (null: leave it as
 * it is; a null value inside: that parameter stays).
 */
function viaStamp(
  host: string,
  received: string | null,
  rport: number | true | null,
  address: string,
  port: number,
): { readonly received: string | null; readonly rport: number | null } | null {
  const receivedOk = received !== null && sameHost(received, address);
  const setReceived =
    !receivedOk && (rport !== null || received !== null || !sameHost(host, address));
  const setRport = rport !== null && rport !== port;
  if (!setReceived && !setRport) return null;
  return { received: setReceived ? hostForUri(address) : null, rport: setRport ? port : null };
}
