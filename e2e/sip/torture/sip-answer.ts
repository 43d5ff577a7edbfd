/**
 * A response from the edge, read leniently: answers to torture messages echo the torture
 * message's own To, From and Via (RFC 3261 8.2.6.2), which a strict parser would refuse.
 */
export interface SipAnswer {
  readonly status: number;
  readonly reason: string;
  /** Header fields in order, names lower-cased and compact forms expanded, values unfolded. */
  readonly headers: readonly (readonly [string, string])[];
}

const COMPACT: Readonly<Record<string, string>> = {
  i: 'call-id',
  v: 'via',
  f: 'from',
  t: 'to',
  l: 'content-length',
  c: 'content-type',
  m: 'contact',
  k: 'supported',
};

const STATUS_LINE = /^SIP\/2\.0 (\d{3}) ?(.*)$/;

/** The first value of a header (case-insensitive, compact names allowed), or undefined. */
export function headerOf(answer: SipAnswer, name: string): string | undefined {
  const key = COMPACT[name.toLowerCase()] ?? name.toLowerCase();
  return answer.headers.find(([n]) => n === key)?.[1];
}

/** Parses a status line and header section; null when `data` is not a SIP/2.0 response. */
export function readAnswer(data: Buffer): SipAnswer | null {
  const text = data.toString('utf8');
  const headEnd = text.search(/\r?\n\r?\n/);
  const lines = (headEnd === -1 ? text : text.slice(0, headEnd)).split(/\r?\n/);
  const start = STATUS_LINE.exec(lines[0] ?? '');
  if (start === null) return null;
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.push([COMPACT[name] ?? name, line.slice(colon + 1).trim()]);
  }
  return { status: Number(start[1]), reason: start[2], headers };
}
