import { fromBinary } from '@bufbuild/protobuf';
import { Client } from 'pg';
import { DeviceRegisteredSchema, type DeviceRegistered } from '@pbx/proto';
import { eventually, freePort, freeUdpPort, sippAvailable, type SippResult } from '@pbx/testing';
import { sippCall, startSipPlatform, type SipPlatform, sippAnsweringPhone } from './sip-platform';
import { baresipAvailable, startBaresip, type BaresipPhone } from './baresip/baresip-phone';

// Issue 5's "done when": a real softphone, baresip, registers with the platform and calls a
// (sipp) phone through it, with RTP both ways anchored in the platform.
const TOKEN = 'e2e-operator-token-sip-baresip-0123456789abcdef01234';

/** baresip RTP windows, above the platform's and sipp's ports (sippMediaPort). */
const baresipRtpPort = (): number => 56_000 + 20 * Math.floor(Math.random() * 150);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const suite = baresipAvailable() && sippAvailable() ? describe : describe.skip;

suite('SIP edge with a baresip softphone', () => {
  let sip: SipPlatform;
  let bob: BaresipPhone | undefined;
  let bobSipPort: number;
  const remote = (): string => sip.remote;
  const register = (user: string, password: string, contactPort: number): Promise<SippResult> =>
    sip.register(user, password, contactPort);

  async function registeredBindings(username: string): Promise<DeviceRegistered[]> {
    const client = new Client({ connectionString: sip.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ data: Buffer }>(
        `SELECT data FROM pbx_events WHERE type = 'pbx.registrations.v1.DeviceRegistered'
         ORDER BY global_position`,
      );
      return rows
        .map((r) => fromBinary(DeviceRegisteredSchema, r.data))
        .filter((e) => e.username === username);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    sip = await startSipPlatform({
      token: TOKEN,
      // baresip 1.0.0 (libre 1.1.0) fails the whole request with ENOSYS as soon as any
      // WWW-Authenticate in the 401 names an algorithm other than MD5, whatever the order:
      // offering SHA-256 at all (RFC 8760) makes it unable to register.
      digestAlgorithms: 'MD5',
    });
    // The edge's device directory follows provisioning's events: wait until alice can register
    // (alice only places calls here, so her binding to a port nobody listens on does no harm).
    await eventually(
      async () =>
        (await register('alice', 's3cret-Alice', await freeUdpPort())).code === 0
          ? true
          : undefined,
      20_000,
      'alice registering',
    );
  }, 90_000);

  afterAll(async () => {
    await bob?.stop();
    await sip?.stop();
  });

  it('registers with MD5 digest: the platform records the binding baresip asked for', async () => {
    bobSipPort = await freeUdpPort();
    bob = await startBaresip(
      {
        username: 'bob',
        password: 's3cret-Bob',
        domain: 'acme.example',
        edge: remote(),
        answerMode: 'auto',
      },
      { sip: bobSipPort, control: await freePort(), rtp: baresipRtpPort() },
    );
    const phone = bob;
    const [binding] = await eventually(
      async () => {
        const bindings = await registeredBindings('bob');
        return bindings.length > 0 ? bindings : undefined;
      },
      10_000,
      "bob's DeviceRegistered event",
    ).catch((error: unknown) => {
      // baresip's own account of the REGISTER exchange (-s trace) says why.
      throw new Error(`${String(error)}\nbaresip output:\n${phone.output().slice(-4000)}`);
    });
    expect(binding.userAgent).toMatch(/^baresip /);
    expect(binding.contact).toMatch(new RegExp(`@127\\.0\\.0\\.1:${bobSipPort}$`));
    expect(binding.sourcePort).toBe(bobSipPort);
    // baresip asks for its own regint (600 s); within the edge's bounds it gets it.
    expect(binding.expires).toBe(600);
  });

  it('rings baresip on its extension, and it answers', async () => {
    if (!bob) throw new Error('baresip did not start');
    const seen = bob.events().length;
    const alice = await sippCall({
      remote: remote(),
      from: 'alice',
      password: 's3cret-Alice',
      dialed: '202',
      talkMs: 1_500,
      timeoutS: 15,
    });
    expect(alice.errors).toBe('');
    expect(alice.code).toBe(0);
    const established = await bob.waitForEvent('CALL_ESTABLISHED', 1_000, seen);
    expect(established.direction).toBe('incoming');
    await bob.waitForEvent('CALL_CLOSED', 5_000, seen);
  });

  it('calls a sipp phone through the platform with RTP both ways, and hangs up', async () => {
    if (!bob) throw new Error('baresip did not start');
    const carolPort = await freeUdpPort();
    expect((await register('carol', 's3cret-Carol', carolPort)).code).toBe(0);
    const carol = await sippAnsweringPhone(carolPort);
    const endedBefore = sip.endedCalls().length;
    const seen = bob.events().length;
    expect(await bob.command('dial', '203')).toMatchObject({ ok: true });
    const established = await bob.waitForEvent('CALL_ESTABLISHED', 10_000, seen);
    expect(established).toMatchObject({ direction: 'outgoing', peeruri: 'sip:203@acme.example' });
    // The platform's RTP (carol's pcap, relayed) reached baresip.
    await bob.waitForEvent('CALL_RTPESTAB', 5_000, seen);
    await sleep(2_500);
    expect(await bob.command('hangup')).toMatchObject({ ok: true });
    await bob.waitForEvent('CALL_CLOSED', 5_000, seen);

    const answered = await carol.done;
    expect(answered.errors).toBe('');
    expect(answered.code).toBe(0);
    const ended = await eventually(
      () => Promise.resolve(sip.endedCalls().slice(endedBefore).at(-1)),
      5_000,
      'the call-ended log line',
    );
    expect(ended).toMatchObject({ answered: true, sipCallId: established.id });
    // About 50 packets a second each way for 2.5 s: baresip's tone, carol's pcap.
    expect(ended.rtpFromCaller).toBeGreaterThan(50);
    expect(ended.rtpFromCallee).toBeGreaterThan(50);
  });
});
