import { Client } from 'pg';
import {
  eventually,
  freeUdpPort,
  sippMediaPort,
  sippAvailable,
  startSipp,
  type SippOptions,
  type SippResult,
} from '@pbx/testing';
import {
  scenario,
  sippAuth as auth,
  sippCall,
  startSipPlatform,
  ACME,
  type SipPlatform,
} from './sip-platform';

// Issue 5's "done when": real phones (sipp) register with digest, call each other with RTP
// anchored in the platform, fork to every device, and reach and come from a carrier trunk.
const TOKEN = 'e2e-operator-token-sip-calls-0123456789abcdef012345';
const PASSWORDS: Record<string, string> = {
  alice: 's3cret-Alice',
  bob: 's3cret-Bob',
  'bob-mobile': 's3cret-Bob2',
  carol: 's3cret-Carol',
};

const suite = sippAvailable() ? describe : describe.skip;

suite('SIP edge with sipp phones and a sipp carrier', () => {
  let sip: SipPlatform;
  let carrierPort: number;
  let carrierRegistrar: Promise<SippResult>;
  const remote = (): string => sip.remote;

  const sipp = (options: Omit<SippOptions, 'timeoutS'> & { timeoutS?: number }) =>
    startSipp({ timeoutS: 20, ...options });

  const register = (user: string, contactPort: number): Promise<SippResult> =>
    sip.register(user, PASSWORDS[user], contactPort);

  /** A phone that registers, then answers (or rings and is cancelled) on its contact port. */
  async function phone(
    user: string,
    answer: 'uas-answer.xml' | 'uas-ring-cancelled.xml',
    ringMs = 0,
  ): Promise<{ readonly done: Promise<SippResult> }> {
    const port = await freeUdpPort();
    const registered = await register(user, port);
    expect(registered.code).toBe(0);
    // Wrapped: an async function returning the promise itself would wait for the phone to end.
    const running = sipp({
      scenario: scenario(answer),
      localPort: port,
      mediaPort: await sippMediaPort(),
      calls: 1,
      pauseMs: ringMs,
    });
    // Give sipp a moment to bind its port, as a real phone listens before it registers.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { done: running.done };
  }

  async function call(from: string, dialed: string, talkMs = 1500): Promise<SippResult> {
    return sippCall({ remote: remote(), from, password: PASSWORDS[from], dialed, talkMs });
  }

  beforeAll(async () => {
    carrierPort = await freeUdpPort();
    const trunk = {
      apiVersion: 'pbx/v1',
      kind: 'Trunk',
      metadata: { name: 'carrier' },
      spec: { host: '127.0.0.1', port: carrierPort, transport: 'udp' },
    };
    // A second carrier wants the platform registered with it (issue 5: "optional registration
    // to the carrier"): its registrar challenges and checks the trunk's credentials.
    const registrarPort = await freeUdpPort();
    carrierRegistrar = startSipp({
      scenario: scenario('carrier-registrar.xml'),
      localPort: registrarPort,
      calls: 1,
      timeoutS: 60,
    }).done;
    const registering = {
      apiVersion: 'pbx/v1',
      kind: 'Trunk',
      metadata: { name: 'registering-carrier' },
      spec: {
        host: '127.0.0.1',
        port: registrarPort,
        transport: 'udp',
        username: 'pbx-trunk',
        password: 'trunk-secret-1',
        register: true,
      },
    };
    // sipp answers only the first challenge and knows MD5 only.
    sip = await startSipPlatform({
      token: TOKEN,
      documents: [ACME, trunk, registering],
      digestAlgorithms: 'MD5,SHA-256',
    });
    // The edge's device directory follows provisioning's events: wait until alice can register.
    await eventually(
      async () => ((await register('alice', await freeUdpPort())).code === 0 ? true : undefined),
      20_000,
      'alice registering',
    );
  }, 120_000);

  afterAll(async () => {
    await sip?.stop();
  });

  it('registers with digest and refuses a wrong password', async () => {
    expect((await register('carol', await freeUdpPort())).code).toBe(0);
    const wrong = await sipp({
      scenario: scenario('register-wrong-password.xml'),
      remote: remote(),
      localPort: await freeUdpPort(),
      rows: [['carol', 'acme.example', auth('carol', 'not-her-password'), '5999']],
      calls: 1,
      extraArgs: ['-auth_uri', 'acme.example'],
    }).done;
    expect(wrong.code).toBe(0);
  });

  it('connects a call between two registered phones with RTP both ways through the platform', async () => {
    const carol = await phone('carol', 'uas-answer.xml');
    const alice = await call('alice', '203', 2_000);
    expect(alice.errors).toBe('');
    expect(alice.code).toBe(0);
    expect((await carol.done).code).toBe(0);
    const ended = await eventually(
      () => Promise.resolve(sip.endedCalls().at(-1)),
      5_000,
      'the call-ended log line',
    );
    expect(ended).toMatchObject({ answered: true });
    expect(ended.rtpFromCaller).toBeGreaterThan(20);
    expect(ended.rtpFromCallee).toBeGreaterThan(20);
  });

  it('rings both devices of a user and cancels the one that did not answer', async () => {
    const desk = await phone('bob', 'uas-answer.xml', 700);
    const mobile = await phone('bob-mobile', 'uas-ring-cancelled.xml');
    const alice = await call('alice', '202', 500);
    expect(alice.code).toBe(0);
    expect((await desk.done).code).toBe(0);
    // The mobile's scenario checks the CANCEL carries Reason: SIP;cause=200.
    const cancelled = await mobile.done;
    expect(cancelled.errors).toBe('');
    expect(cancelled.code).toBe(0);
  });

  it('sends a call to an outside number out through the carrier trunk', async () => {
    const carrier = sipp({
      scenario: scenario('carrier-answer.xml'),
      localPort: carrierPort,
      mediaPort: await sippMediaPort(),
      calls: 1,
    }).done;
    // National dialing: 06... in the Netherlands is +316...; the carrier checks both numbers.
    const alice = await call('alice', '0612345678', 500);
    expect(alice.code).toBe(0);
    const answered = await carrier;
    expect(answered.errors).toBe('');
    expect(answered.code).toBe(0);
  });

  it('delivers a call from the carrier to the user its DID belongs to', async () => {
    const alice = await phone('alice', 'uas-answer.xml');
    const carrier = await sipp({
      scenario: scenario('carrier-call.xml'),
      remote: remote(),
      localPort: carrierPort,
      mediaPort: await sippMediaPort(),
      rows: [['+31201234501', '+31612345678']],
      calls: 1,
      pauseMs: 500,
    }).done;
    expect(carrier.code).toBe(0);
    expect((await alice.done).code).toBe(0);
  });

  it('registers a trunk with its carrier, answering the challenge with its credentials', async () => {
    const registrar = await carrierRegistrar;
    expect(registrar.errors).toBe('');
    expect(registrar.code).toBe(0);
    const registered = await eventually(
      () =>
        Promise.resolve(
          sip.platform.logs().find((l) => l.msg === 'registered to the carrier') ?? undefined,
        ),
      5_000,
      'the trunk registration',
    );
    expect(registered).toMatchObject({ trunk: 'registering-carrier', expires: 60 });
  });

  it('keeps the calls as events in the store and as records in the API', async () => {
    const items = await eventually(
      async () => {
        const calls = await sip.platform.get('/api/v1/groups/acme/calls?limit=50', TOKEN);
        const list = (calls.body as { items?: Record<string, unknown>[] }).items ?? [];
        // Answered and ended: the CallEnded of the last call may still be on its way.
        const done = list.filter((c) => typeof c.answeredAt === 'string' && c.state === 'ended');
        return done.length >= 4 ? list : undefined;
      },
      10_000,
      'four answered calls in the call records',
    );
    const answered = items.filter((c) => typeof c.answeredAt === 'string');
    expect(items.map((c) => c.direction)).toEqual(
      expect.arrayContaining(['internal', 'outbound', 'inbound']),
    );
    for (const c of answered) expect(c).toMatchObject({ cause: 'normal', state: 'ended' });
    const client = new Client({ connectionString: sip.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ type: string; n: string }>(
        `SELECT type, count(*) AS n FROM pbx_events WHERE type LIKE 'pbx.calls.v1.%' GROUP BY type`,
      );
      const byType = Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
      expect(byType['pbx.calls.v1.CallStarted']).toBeGreaterThanOrEqual(4);
      expect(byType['pbx.calls.v1.CallAnswered']).toBeGreaterThanOrEqual(4);
      expect(byType['pbx.calls.v1.CallEnded']).toBeGreaterThanOrEqual(4);
    } finally {
      await client.end();
    }
  });
});
