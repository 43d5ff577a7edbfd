/**
 * Splits a header value at the commas that separate list elements, never inside a quoted
 * string or "<...>" (RFC 3261 7.3.1). Elements are trimmed; empty elements are kept out.
 */
export function splitHeaderValues(s: string): string[] {
  const out: string[] = [];
  let inQuote = false;
  let inAngle = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60) inAngle = true;
    else if (c === 62) inAngle = false;
    else if (c === 44 && !inAngle) {
      const part = s.slice(start, i).trim();
      if (part.length > 0) out.push(part);
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last.length > 0) out.push(last);
  return out;
}
