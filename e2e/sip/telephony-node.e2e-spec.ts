import {
  createTestDatabase,
  eventually,
  freePort,
  freeUdpPort,
  kafkaMockEnvironment,
  sippAvailable,
  startKafkaMock,
  startPlatformProcess,
  type KafkaMock,
  type PlatformProcess,
  type SippResult,
  type TestDatabase,
} from '@pbx/testing';
import {
  ACME,
  acmeDevicesKnown,
  sipNodeEnvironment,
  sippCall,
  sippRegister,
  sippAnsweringPhone,
} from './sip-platform';

// The distributed shape of issue 5: provisioning on its own database, the telephony node
// (sip-edge + routing + media) on another, Kafka between them. A call only works if the node
// learnt the company's devices and dial plan from provisioning's events over the bus.
const TOKEN = 'e2e-operator-token-telephony-node-0123456789abcdef0';
const suite = sippAvailable() ? describe : describe.skip;

suite('distributed shape: a telephony node fed by provisioning over Kafka', () => {
  let kafka: KafkaMock;
  const databases: TestDatabase[] = [];
  const processes: PlatformProcess[] = [];
  let telephony: PlatformProcess;
  let sipPort: number;

  const register = (user: string, password: string, contactPort: number): Promise<SippResult> =>
    sippRegister(`127.0.0.1:${sipPort}`, user, password, contactPort);

  beforeAll(async () => {
    kafka = await startKafkaMock();
    const [provisioningDb, telephonyDb] = await Promise.all([
      createTestDatabase(),
      createTestDatabase(),
    ]);
    databases.push(provisioningDb, telephonyDb);
    const common = { ...kafkaMockEnvironment(kafka), PBX_OPERATOR_TOKEN: TOKEN };
    const provisioning = await startPlatformProcess('provisioning', {
      ...common,
      DATABASE_URL: provisioningDb.url,
    });
    processes.push(provisioning);
    sipPort = await freePort();
    telephony = await startPlatformProcess('telephony', {
      ...common,
      DATABASE_URL: telephonyDb.url,
      ...sipNodeEnvironment(sipPort),
      PBX_SIP_DIGEST_ALGORITHMS: 'MD5,SHA-256',
    });
    processes.push(telephony);
    await Promise.all([provisioning.waitForReady(60_000), telephony.waitForReady(60_000)]);
    const applied = await provisioning.post('/api/v1/apply', { documents: [ACME] }, TOKEN);
    expect(applied.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await Promise.all(databases.splice(0).map((d) => d.drop()));
    await kafka?.stop();
  });

  it('registers phones and connects a call with the configuration it got over the bus', async () => {
    // Devices reach the node's directories through Kafka (after a rebalance).
    await acmeDevicesKnown(databases[1].url, { routing: true, timeoutMs: 60_000 });
    expect((await register('alice', 's3cret-Alice', await freeUdpPort())).code).toBe(0);
    const carolPort = await freeUdpPort();
    expect((await register('carol', 's3cret-Carol', carolPort)).code).toBe(0);
    const carol = await sippAnsweringPhone(carolPort);
    const alice = await sippCall({
      remote: `127.0.0.1:${sipPort}`,
      from: 'alice',
      password: 's3cret-Alice',
      dialed: '203',
      talkMs: 1_000,
    });
    expect(alice.errors).toBe('');
    expect(alice.code).toBe(0);
    expect((await carol.done).code).toBe(0);
    // The node's own call records (routing runs in it) show the answered call.
    const records = await eventually(
      async () => {
        const r = await telephony.get('/api/v1/groups/acme/calls', TOKEN);
        const items = (r.body as { items?: { answeredAt?: string; cause?: string }[] }).items;
        return items !== undefined &&
          items.some((c) => typeof c.answeredAt === 'string' && typeof c.cause === 'string')
          ? items
          : undefined;
      },
      10_000,
      'the call record at the telephony node',
    );
    expect(records[0]).toMatchObject({ cause: 'normal', direction: 'internal' });
  }, 120_000);
});
