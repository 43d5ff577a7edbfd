import { createConnection, createServer, type Server, type Socket } from 'node:net';
import {
  createTestDatabase,
  eventually,
  freePort,
  kafkaMockEnvironment,
  startKafkaMock,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';

const TOKEN = 'e2e-operator-token-0123456789abcdef0123456789';

/** A TCP forwarder to PostgreSQL that can be started late, to play a database that comes up. */
function forwardTo(port: number, target: URL): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function readyz(
  p: PlatformProcess,
): Promise<{ status: number; body: { checks: Record<string, boolean> } }> {
  return (await p.get('/readyz')) as { status: number; body: { checks: Record<string, boolean> } };
}

describe('distributed shape: services as separate processes', () => {
  const processes: PlatformProcess[] = [];
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await Promise.all(databases.splice(0).map((d) => d.drop()));
  });

  it('waits for a database that is down at start, says why, and becomes ready when it is reachable', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const port = await freePort();
    const url = new URL(database.url);
    const proxied = new URL(database.url);
    proxied.port = String(port);
    const service = await startPlatformProcess('provisioning', {
      DATABASE_URL: proxied.toString(),
      PBX_OPERATOR_TOKEN: TOKEN,
      PBX_DB_RETRY_MAX_MS: '500',
    });
    processes.push(service);
    await eventually(
      async () =>
        (await service.get('/healthz').catch(() => undefined))?.status === 200 ? true : undefined,
      20_000,
      'healthz',
    );
    const notReady = await readyz(service);
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.database).toBe(false);
    expect((await service.get('/api/v1/tenants', TOKEN)).status).toBe(503);
    await eventually(
      async () =>
        service.output().includes('database unreachable at postgres://pbx_test:***@')
          ? true
          : undefined,
      10_000,
      'the retry log line',
    );
    expect(service.output()).not.toContain(`pbx_test:${url.password}@`);

    const proxy = await forwardTo(port, url);
    try {
      await service.waitForReady(20_000);
      expect((await service.get('/api/v1/tenants', TOKEN)).status).toBe(200);
    } finally {
      await service.stop();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('carries an event from provisioning to events-gateway over Kafka, and holds it while the broker is down', async () => {
    const t0 = Date.now();
    const mark = (what: string): void =>
      void process.stderr.write(`[distributed] ${what} after ${Date.now() - t0} ms\n`);
    const kafka = await startKafkaMock();
    try {
      const [dbA, dbB] = await Promise.all([createTestDatabase(), createTestDatabase()]);
      databases.push(dbA, dbB);
      const common = { ...kafkaMockEnvironment(kafka), PBX_OPERATOR_TOKEN: TOKEN };
      // Separate databases: the only way from one service to the other is the bus.
      const provisioning = await startPlatformProcess('provisioning', {
        ...common,
        DATABASE_URL: dbA.url,
      });
      const gateway = await startPlatformProcess('events-gateway', {
        ...common,
        DATABASE_URL: dbB.url,
      });
      processes.push(provisioning, gateway);
      await Promise.all([provisioning.waitForReady(60_000), gateway.waitForReady(60_000)]);

      const audit = async (tenant: string): Promise<string[] | undefined> => {
        const r = await gateway.get(`/api/v1/audit-log?tenant=${tenant}`, TOKEN);
        const items = (r.body as { items: { type: string; source: string }[] }).items;
        return items.length > 0 ? items.map((i) => `${i.source} ${i.type}`) : undefined;
      };

      const first = await provisioning.post(
        '/api/v1/tenants',
        { name: 'Acme', architecture: 'group', domain: 'acme.example' },
        TOKEN,
      );
      expect(first.status).toBe(201);
      const acme = (first.body as { id: string }).id;
      expect(await eventually(() => audit(acme), 30_000, 'the event at events-gateway')).toEqual([
        '/pbx/provisioning pbx.provisioning.v1.TenantCreated',
      ]);

      mark('first event crossed');
      await kafka.down();
      await eventually(
        async () => ((await readyz(provisioning)).status === 503 ? true : undefined),
        15_000,
        'provisioning not ready',
      );
      const down = await readyz(provisioning);
      expect(down.body.checks).toMatchObject({ database: true, bus: false });
      // The store still takes commands; the relay keeps the events until the bus is back.
      const second = await provisioning.post(
        '/api/v1/tenants',
        { name: 'Initech', architecture: 'group', domain: 'initech.example' },
        TOKEN,
      );
      expect(second.status).toBe(201);
      const initech = (second.body as { id: string }).id;

      mark('second tenant created while down');
      await kafka.up();
      await provisioning.waitForReady(30_000);
      await gateway.waitForReady(30_000);
      mark('ready again');
      expect(
        await eventually(() => audit(initech), 60_000, 'the held event after the broker returned'),
      ).toEqual(['/pbx/provisioning pbx.provisioning.v1.TenantCreated']);
      expect(await audit(acme)).toHaveLength(1);
      mark('held event crossed');
      const exits = await Promise.all(processes.splice(0).map((p) => p.stop()));
      mark(`stopped ${JSON.stringify(exits)}`);
      expect(exits).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
    } finally {
      await Promise.all(processes.splice(0).map((p) => p.stop()));
      await kafka.stop();
      mark('broker stopped');
    }
  }, 180_000);
});
