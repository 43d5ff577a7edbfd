import { randomBytes, randomInt } from 'node:crypto';
import { eventually, type PlatformProcess } from '@pbx/testing';
import { startSipPlatform, type SipPlatform } from './sip-platform';
import { headerOf } from './torture/sip-answer';
import {
  healthOptions,
  sendAndAwaitFinals,
  sendAndListen,
  ANSWER_TIMEOUT_MS,
} from './torture/sip-exchange';
import {
  openProbe,
  openTcpProbe,
  openUdpProbe,
  type ProbeTransport,
  type SipProbe,
} from './torture/sip-probe';
import {
  describeOutcome,
  outcomeFor,
  TORTURE_CASES,
  type TortureCase,
} from './torture/torture-cases';
import { prepareRequest } from './torture/torture-rewrite';

// Issue 5's "done when": the RFC 4475 torture messages that apply to a registrar/B2BUA get
// correct answers over UDP and TCP, and no peer can stop the edge from serving the others.
const TOKEN = 'e2e-operator-token-sip-torture-0123456789abcdef0123';
const TRANSPORTS: readonly ProbeTransport[] = ['udp', 'tcp'];

/** The Call-ID a request carries (first one, long or compact name), to match its answer. */
function callIdOf(data: Buffer): string | undefined {
  const head = data.toString('latin1', 0, Math.max(0, data.indexOf('\r\n\r\n')));
  return /^(?:call-id|i)[ \t]*:[ \t]*(.*?)[ \t]*\r?$/im.exec(head)?.[1];
}

describe('RFC 4475 torture messages at the SIP edge', () => {
  let sip: SipPlatform;
  let platform: PlatformProcess;
  let sipPort: number;
  let sent = 0;

  /** A fresh probe per exchange: late retransmissions of one answer never reach the next test. */
  async function withProbe<T>(
    transport: ProbeTransport,
    use: (probe: SipProbe) => Promise<T>,
  ): Promise<T> {
    const probe = await openProbe(transport, sipPort);
    try {
      return await use(probe);
    } finally {
      await probe.close();
    }
  }

  async function expectServing(transport: ProbeTransport): Promise<void> {
    await withProbe(transport, async (probe) => {
      const { finals } = await sendAndAwaitFinals(
        probe,
        healthOptions(transport, probe.localPort),
        1,
      );
      expect(finals[0].status).toBe(200);
    });
  }

  beforeAll(async () => {
    sip = await startSipPlatform({ token: TOKEN });
    platform = sip.platform;
    sipPort = sip.sipPort;
    // The edge's directory follows provisioning's events: acme.example is served once a
    // REGISTER for it is challenged (401) instead of refused (404).
    let attempt = 0;
    const register = (): Buffer =>
      Buffer.from(
        [
          'REGISTER sip:acme.example SIP/2.0',
          `Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKready${++attempt};rport`,
          'Max-Forwards: 70',
          'From: <sip:alice@acme.example>;tag=ready',
          'To: <sip:alice@acme.example>',
          `Call-ID: ready${attempt}@127.0.0.1`,
          'CSeq: 1 REGISTER',
          'Contact: <sip:alice@127.0.0.1:5999>',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    await eventually(
      () =>
        withProbe('udp', async (probe) => {
          const { finals } = await sendAndAwaitFinals(probe, register(), 1);
          return finals[0].status === 401 ? true : undefined;
        }),
      20_000,
      'acme.example served by the registrar',
    );
  }, 90_000);

  afterAll(async () => {
    await sip?.stop();
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    const table = TORTURE_CASES.map((c): [string, string, TortureCase] => [
      c.name,
      describeOutcome(outcomeFor(c, transport)),
      c,
    ]);

    it.each(table)('%s → %s', async (_name, _label, c) => {
      const outcome = outcomeFor(c, transport);
      await withProbe(transport, async (probe) => {
        const data =
          c.send === 'request'
            ? prepareRequest(c.data, transport, `${transport}${++sent}`)
            : c.data;
        if (typeof outcome === 'string') {
          expect(await sendAndListen(probe, data)).toBeNull();
          if (outcome === 'wait') expect(probe.closedByPeer).toBe(false);
          return;
        }
        const { provisionals, finals } = await sendAndAwaitFinals(probe, data, outcome.length);
        expect(finals.map((a) => a.status).sort()).toEqual([...outcome].sort());
        // Only 100 Trying may precede a final answer here: no call gets anywhere.
        for (const p of provisionals) expect(p.status).toBe(100);
        // The answer is to this very request (RFC 3261 8.2.6.2: Call-ID copied).
        const callId = callIdOf(data);
        if (callId !== undefined && outcome.length === 1)
          expect(headerOf(finals[0], 'Call-ID')).toBe(callId);
        c.check?.(finals);
      });
      // Whatever the message did, the edge still serves others on the same transport.
      if (typeof outcome === 'string') await expectServing(transport);
    });
  });

  it('answers every well-formed torture request pipelined on one TCP connection', async () => {
    // Framing errors close a stream, so only requests that frame cleanly share the connection
    // (not inv2543). dblreq is two pipelined requests already, and its INVITE, which
    // prepareRequest leaves as is, still belongs to the INVITE server transaction of the dblreq
    // test (Timer H): the edge would rightly absorb it as a retransmission.
    const cases = TORTURE_CASES.filter(
      (c) =>
        c.send === 'request' && Array.isArray(c.tcp) && !['inv2543', 'dblreq'].includes(c.name),
    );
    const data = Buffer.concat(cases.map((c) => prepareRequest(c.data, 'tcp', `pipe${++sent}`)));
    const expected = cases.flatMap((c) => outcomeFor(c, 'tcp') as readonly number[]);
    await withProbe('tcp', async (probe) => {
      const { finals } = await sendAndAwaitFinals(probe, data, expected.length);
      expect(finals.map((a) => a.status).sort()).toEqual([...expected].sort());
    });
  });

  it('keeps serving while slow-loris TCP connections each hold half a message', async () => {
    const slow = await Promise.all(Array.from({ length: 20 }, () => openTcpProbe(sipPort)));
    try {
      const halves = slow.map((probe) => {
        const whole = healthOptions('tcp', probe.localPort);
        return [whole.subarray(0, 60), whole.subarray(60)] as const;
      });
      await Promise.all(slow.map((probe, i) => probe.send(halves[i][0])));
      await expectServing('udp');
      await expectServing('tcp');
      // The edge kept the partial message (its idle limit is 30 s): finishing it gets the 200.
      const { finals } = await sendAndAwaitFinals(slow[0], halves[0][1], 1);
      expect(finals[0].status).toBe(200);
    } finally {
      await Promise.all(slow.map((probe) => probe.close()));
    }
  });

  /** Malformed UDP messages the edge counted (answered or not), from its Prometheus metrics. */
  async function malformedUdp(): Promise<number> {
    const { status, body } = await platform.get('/metrics');
    expect(status).toBe(200);
    return String(body)
      .split('\n')
      .filter((line) => line.startsWith('pbx_sip_malformed_total{') && /protocol="udp"/.test(line))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }

  it('keeps serving after a flood of 1,000 garbage datagrams', async () => {
    const before = await malformedUdp();
    const flood = await openUdpProbe(sipPort);
    const samples = TORTURE_CASES.map((c) => c.data);
    try {
      for (let i = 0; i < 1000; i++) {
        let datagram: Buffer;
        if (i % 2 === 0) {
          datagram = randomBytes(randomInt(1, 1400));
        } else {
          // A torture message with a few bytes changed: garbage that looks like SIP.
          datagram = Buffer.from(samples[i % samples.length]);
          for (let k = 0; k < 4; k++) datagram[randomInt(0, datagram.length)] = randomInt(0, 256);
        }
        await flood.send(datagram);
      }
    } finally {
      await flood.close();
    }
    await expectServing('udp');
    await expectServing('tcp');
    // The garbage did reach the edge's parser (loopback may drop some of a burst).
    const counted = (await malformedUdp()) - before;
    expect(counted).toBeGreaterThanOrEqual(400);
  });

  it('answers 413 at once to a stream message announced above 64 KiB, then closes', async () => {
    await withProbe('tcp', async (probe) => {
      const head = healthOptions('tcp', probe.localPort)
        .toString()
        .replace('Content-Length: 0', 'Content-Type: text/plain\r\nContent-Length: 70000');
      const { finals } = await sendAndAwaitFinals(probe, Buffer.from(head), 1);
      expect(finals[0].status).toBe(413);
      await eventually(async () => (probe.closedByPeer ? true : undefined), 3000, 'close');
    });
    await expectServing('tcp');
  });

  it('refuses a header section that grows past 64 KiB without an end', async () => {
    await withProbe('tcp', async (probe) => {
      const start = healthOptions('tcp', probe.localPort).toString().split('Content-Length')[0];
      await probe.send(Buffer.from(start));
      const pad = `X-Pad: ${'a'.repeat(1000)}\r\n`;
      // The edge may close mid-way: a write after that fails, which is the point.
      for (let i = 0; i < 70 && !probe.closedByPeer; i++)
        await probe.send(Buffer.from(pad)).catch(() => undefined);
      const answer = await probe.next(ANSWER_TIMEOUT_MS);
      expect(answer?.status).toBe(413);
      await eventually(async () => (probe.closedByPeer ? true : undefined), 3000, 'close');
    });
    await expectServing('tcp');
  });

  it('serves a datagram of nearly 64 KiB', async () => {
    await withProbe('udp', async (probe) => {
      const body = 'x'.repeat(64_000);
      const data = healthOptions('udp', probe.localPort)
        .toString()
        .replace('Content-Length: 0', `Content-Type: text/plain\r\nContent-Length: ${body.length}`);
      const { finals } = await sendAndAwaitFinals(probe, Buffer.from(data + body), 1);
      expect(finals[0].status).toBe(200);
    });
  });

  it('came through all of it running, without an error logged', () => {
    expect(platform.child.exitCode).toBeNull();
    const errors = platform
      .logs()
      .filter((l) => l.level === 'error' || l.level === 'fatal')
      .map((l) => l.msg);
    expect(errors).toEqual([]);
  });
});
