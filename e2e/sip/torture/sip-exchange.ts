import type { SipAnswer } from './sip-answer';
import type { ProbeTransport, SipProbe } from './sip-probe';

/** How long an expected answer may take (the edge answers in milliseconds). */
export const ANSWER_TIMEOUT_MS = 1000;
/** How long silence is awaited when silence is the expected outcome. */
export const SILENCE_MS = 300;

export interface Exchange {
  readonly provisionals: readonly SipAnswer[];
  readonly finals: readonly SipAnswer[];
}

/**
 * Sends `data` and reads answers until `finals` final responses came, each within
 * ANSWER_TIMEOUT_MS of the previous answer. Throws, listing what did come, when one is missing.
 */
export async function sendAndAwaitFinals(
  probe: SipProbe,
  data: Buffer,
  finals: number,
): Promise<Exchange> {
  await probe.send(data);
  const got: SipAnswer[] = [];
  const provisionals: SipAnswer[] = [];
  while (got.length < finals) {
    const answer = await probe.next(ANSWER_TIMEOUT_MS);
    if (answer === null) {
      const seen = [...provisionals, ...got].map((a) => a.status).join(', ') || 'nothing';
      throw new Error(`expected ${finals} final answer(s) over ${probe.transport}, got ${seen}`);
    }
    (answer.status >= 200 ? got : provisionals).push(answer);
  }
  return { provisionals, finals: got };
}

/** Sends `data` and returns whatever comes back within SILENCE_MS (expected: nothing). */
export async function sendAndListen(probe: SipProbe, data: Buffer): Promise<SipAnswer | null> {
  await probe.send(data);
  return probe.next(SILENCE_MS);
}

let healthCounter = 0;

/** A plain OPTIONS from `probe`, which the edge answers 200 itself when it is healthy. */
export function healthOptions(transport: ProbeTransport, localPort: number): Buffer {
  const n = `${process.pid}-${++healthCounter}`;
  return Buffer.from(
    [
      'OPTIONS sip:acme.example SIP/2.0',
      `Via: SIP/2.0/${transport.toUpperCase()} 127.0.0.1:${localPort};branch=z9hG4bK-health-${n};rport`,
      'Max-Forwards: 70',
      `From: <sip:probe@example.org>;tag=health-${n}`,
      'To: <sip:acme.example>',
      `Call-ID: health-${n}@127.0.0.1`,
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
}
