import { isDigit, isLws, isTokenString, parseDigits, skipLws } from './char-classes';
import { fail, GrammarErrorCode, ok, type GrammarResult } from './grammar-result';

/** RFC 3261 8.1.1.5: the sequence number MUST be less than 2**31. */
export const MAX_CSEQ = 2 ** 31 - 1;
/** delta-seconds above 2**32-1 are read as 2**32-1 (RFC 3261 section 25.1 note on Expires). */
export const MAX_DELTA_SECONDS = 2 ** 32 - 1;

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

function trimmedRange(s: string): [number, number] {
  let start = skipLws(s, 0, s.length);
  let end = s.length;
  while (end > start && isLws(s.charCodeAt(end - 1))) end--;
  if (start > end) start = end;
  return [start, end];
}

/** CSeq = 1*DIGIT LWS Method. */
export function parseCSeq(s: string): GrammarResult<CSeq> {
  const [start, end] = trimmedRange(s);
  let i = start;
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  if (i === start) return fail(GrammarErrorCode.BadNumber, 'CSeq must start with a number', start);
  const seq = parseDigits(s, start, i, 10);
  if (seq < 0 || seq > MAX_CSEQ)
    return fail(GrammarErrorCode.OutOfRange, 'CSeq number out of range', start);
  if (i >= end || !isLws(s.charCodeAt(i)))
    return fail(GrammarErrorCode.BadToken, 'CSeq needs a method', i);
  const m = skipLws(s, i, end);
  if (!isTokenString(s, m, end)) return fail(GrammarErrorCode.BadToken, 'bad CSeq method', m);
  return ok({ seq, method: s.slice(m, end) });
}

function parseBoundedNumber(
  s: string,
  what: string,
  max: number,
  maxDigits: number,
  clamp: boolean,
): GrammarResult<number> {
  const [start, end] = trimmedRange(s);
  if (start === end) return fail(GrammarErrorCode.Empty, `empty ${what}`, start);
  for (let i = start; i < end; i++) {
    if (!isDigit(s.charCodeAt(i)))
      return fail(GrammarErrorCode.BadNumber, `${what} is not a number`, i);
  }
  const n = parseDigits(s, start, end, maxDigits);
  if (n < 0 || n > max) {
    return clamp ? ok(max) : fail(GrammarErrorCode.OutOfRange, `${what} out of range`, start);
  }
  return ok(n);
}

/** Max-Forwards = 1*DIGIT, 0..255 (RFC 4475 scalar02 treats 300 as an error). */
export function parseMaxForwards(s: string): GrammarResult<number> {
  return parseBoundedNumber(s, 'Max-Forwards', 255, 3, false);
}

/** Content-Length = 1*DIGIT; anything beyond maxValue (the transport's limit) is an error. */
export function parseContentLength(s: string, maxValue = 2 ** 31 - 1): GrammarResult<number> {
  return parseBoundedNumber(s, 'Content-Length', maxValue, 10, false);
}

/** delta-seconds as in Expires, clamped to 2**32-1. */
export function parseDeltaSeconds(s: string): GrammarResult<number> {
  return parseBoundedNumber(s, 'delta-seconds', MAX_DELTA_SECONDS, 10, true);
}

/** Expires header = delta-seconds. */
export function parseExpires(s: string): GrammarResult<number> {
  return parseDeltaSeconds(s);
}

/** Call-ID = word [ "@" word ]. */
export function parseCallId(s: string): GrammarResult<string> {
  const [start, end] = trimmedRange(s);
  if (start === end) return fail(GrammarErrorCode.Empty, 'empty Call-ID', start);
  let at = -1;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 64) {
      if (at !== -1 || i === start || i === end - 1)
        return fail(GrammarErrorCode.BadToken, 'bad Call-ID', i);
      at = i;
    } else if (c <= 32 || c >= 127) {
      return fail(GrammarErrorCode.BadToken, 'bad Call-ID character', i);
    }
  }
  return ok(start === 0 && end === s.length ? s : s.slice(start, end));
}

const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** Date = rfc1123-date, which RFC 3261 20.17 restricts to "GMT" (RFC 4475 baddate). */
export function parseSipDate(s: string): GrammarResult<Date> {
  const t = s.trim();
  if (t.length > 40) return fail(GrammarErrorCode.BadDate, 'Date too long', 0);
  const m = RFC1123.exec(t);
  if (m === null) return fail(GrammarErrorCode.BadDate, 'Date must be an RFC 1123 date in GMT', 0);
  const d = new Date(`${m[1]}, ${m[2]} ${m[3]} ${m[4]} ${m[5]}:${m[6]}:${m[7]} GMT`);
  if (Number.isNaN(d.getTime())) return fail(GrammarErrorCode.BadDate, 'invalid Date', 0);
  return ok(d);
}
