import { scanToken } from '../grammar/char-classes';
import { parseNameAddr, type NameAddr } from '../grammar/name-addr';
import { DialogError, DialogErrorCode } from './dialog.error';

/** Offset after the quoted-string starting at s[i] (a DQUOTE), or -1 when unterminated. */
function skipQuoted(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return -1;
}

/**
 * An address header value (name-addr or addr-spec, RFC 3261 20.10), validated, with the URI as
 * written: the text inside "<>", or the addr-spec up to its header parameters. Keeping the text
 * (rather than re-serializing the parsed URI) keeps the URI byte for byte, as 12.1 asks for the
 * remote target and the route set.
 */
export function readAddress(value: string, what: string): { address: NameAddr; uri: string } {
  const parsed = parseNameAddr(value);
  if (!parsed.ok) {
    throw new DialogError(
      DialogErrorCode.InvalidDialogMessage,
      `bad ${what}: ${parsed.error.message}`,
      { value },
    );
  }
  let i = 0;
  while (i < value.length && (value.charCodeAt(i) === 32 || value.charCodeAt(i) === 9)) i++;
  const quoted = value.charCodeAt(i) === 34;
  const from = quoted ? skipQuoted(value, i) : i;
  // As in parseNameAddrAt: a token followed by ":" starts an addr-spec, anything else a name-addr.
  const token = scanToken(value, from, value.length);
  const addrSpec = !quoted && token > from && value.charCodeAt(token) === 58;
  let uri: string;
  if (!addrSpec) {
    const open = value.indexOf('<', from);
    uri = value.slice(open + 1, value.indexOf('>', open));
  } else {
    let end = from;
    while (end < value.length) {
      const c = value.charCodeAt(end);
      if (c === 59 || c === 44 || c === 32 || c === 9) break;
      end++;
    }
    uri = value.slice(from, end);
  }
  return { address: parsed.value, uri };
}
