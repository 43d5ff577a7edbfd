/**
 * SIP message parser benchmark: @pbx/sip parseMessage against SIP.js 0.21's Parser.parseMessage
 * (the named reference, CONVENTIONS.md "Code"). No I/O, no Jest.
 *
 *   npm run build && node dist/bench/sip-parser.bench.js [--seconds N]
 *
 * Each case runs for --seconds (default 3) three times per parser; the median messages/s is
 * reported. SIP.js parses strings, so it gets the message already decoded (in its favour); ours
 * gets the Buffer as a UDP socket delivers it. stdout: a table and a `BENCH_RESULT {...}` line.
 */
import { performance } from 'node:perf_hooks';
import { parseMessage } from '@pbx/sip';

interface SipJsParser {
  parseMessage(data: string, logger: unknown): unknown;
}

const CRLF = '\r\n';
const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49172 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join(CRLF);

function message(lines: string[], body = ''): string {
  return (
    lines.join(CRLF) + CRLF + `Content-Length: ${Buffer.byteLength(body)}` + CRLF + CRLF + body
  );
}

const CASES: Record<string, string> = {
  REGISTER: message([
    'REGISTER sip:pbx.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;rport',
    'Max-Forwards: 70',
    'To: "Bob" <sip:1001@pbx.example.com>',
    'From: "Bob" <sip:1001@pbx.example.com>;tag=456248',
    'Call-ID: 843817637684230@998sdasdh09',
    'CSeq: 1826 REGISTER',
    'Contact: <sip:1001@192.0.2.4:5060;transport=udp>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"',
    'User-Agent: Yealink SIP-T46U 108.86.0.45',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, REFER, INFO, UPDATE',
    'Supported: path, gruu, outbound',
    'Expires: 3600',
  ]),
  'INVITE+SDP': message(
    [
      'INVITE sip:1002@pbx.example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776asdhds;rport',
      'Max-Forwards: 70',
      'To: <sip:1002@pbx.example.com>',
      'From: "Alice" <sip:1001@pbx.example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.example.com',
      'CSeq: 314159 INVITE',
      'Contact: <sip:1001@192.0.2.101:5060>',
      'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, REFER, UPDATE',
      'Supported: replaces, timer',
      'Session-Expires: 1800',
      'User-Agent: Yealink SIP-T46U 108.86.0.45',
      'Content-Type: application/sdp',
    ],
    SDP,
  ),
  '200 OK': message([
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776asdhds;rport=5060;received=198.51.100.7',
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa1b2c3',
    'Record-Route: <sip:pbx.example.com;lr>',
    'To: <sip:1002@pbx.example.com>;tag=a6c85cf',
    'From: "Alice" <sip:1001@pbx.example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:1002@192.0.2.102:5060>',
    'Server: pbx-edge',
  ]),
};

function parseArgs(argv: string[]): { seconds: number } {
  let seconds = 3;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seconds') seconds = Number(argv[++i]);
    else if (argv[i].startsWith('--seconds=')) seconds = Number(argv[i].slice(10));
  }
  if (!(seconds > 0)) {
    process.stderr.write('usage: sip-parser.bench.js [--seconds N]\n');
    process.exit(2);
  }
  return { seconds };
}

/** Runs fn in batches for `seconds`; returns calls per second. */
function measure(fn: () => unknown, seconds: number): number {
  const batch = 1000;
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const t0 = performance.now();
  let now = t0;
  while (now < end) {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    now = performance.now();
  }
  return n / ((now - t0) / 1000);
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function main(): void {
  const { seconds } = parseArgs(process.argv.slice(2));
  // sip.js 0.21 is an ES module; Node >= 20.19 loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Parser } = require('sip.js/lib/core/messages/parser.js') as { Parser: SipJsParser };
  const logger = {
    warn: () => undefined,
    error: () => undefined,
    log: () => undefined,
    debug: () => undefined,
  };
  const rows: { case: string; ours: number; sipjs: number; ratio: number }[] = [];
  for (const [name, text] of Object.entries(CASES)) {
    const buf = Buffer.from(text);
    const check = parseMessage(buf);
    if (check.kind !== 'message')
      throw new Error(`bench message ${name} does not parse: ${JSON.stringify(check)}`);
    if (Parser.parseMessage(text, logger) === undefined) throw new Error(`SIP.js refuses ${name}`);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let run = 0; run < 3; run++) {
      process.stderr.write(`${name}: run ${run + 1}/3\n`);
      ours.push(measure(() => parseMessage(buf), seconds));
      theirs.push(measure(() => Parser.parseMessage(text, logger), seconds));
    }
    const o = median(ours);
    const t = median(theirs);
    rows.push({
      case: name,
      ours: Math.round(o),
      sipjs: Math.round(t),
      ratio: Number((o / t).toFixed(2)),
    });
  }
  const pad = (s: string, n: number): string => s.padStart(n);
  console.log(
    `${'case'.padEnd(12)}${pad('@pbx/sip msg/s', 16)}${pad('SIP.js msg/s', 16)}${pad('ratio', 8)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.case.padEnd(12)}${pad(r.ours.toLocaleString('en'), 16)}${pad(r.sipjs.toLocaleString('en'), 16)}${pad(`${r.ratio}x`, 8)}`,
    );
  }
  const minRatio = Math.min(...rows.map((r) => r.ratio));
  const goalMet = minRatio >= 1;
  console.log(
    goalMet
      ? 'goal met: at least as fast as SIP.js on every case'
      : 'goal NOT met: slower than SIP.js on some case',
  );
  console.log(
    `BENCH_RESULT ${JSON.stringify({ bench: 'sip-parser', seconds, node: process.version, cases: rows, minRatio, goalMet })}`,
  );
}

main();
