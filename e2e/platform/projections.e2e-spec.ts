import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { create, toBinary } from '@bufbuild/protobuf';
import { PostgresEventStore } from '@pbx/events';
import { TenantArchitecture, TenantCreatedSchema } from '@pbx/proto';
import {
  createTestDatabase,
  eventually,
  openTestDataSource,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';

const run = promisify(execFile);
const TOKEN = 'e2e-operator-token-projections-0123456789abcdef';
const CLI = join(
  __dirname,
  '..',
  '..',
  'dist',
  'services',
  'standalone',
  'src',
  'cli',
  'projections.js',
);

async function readModels(
  url: string,
): Promise<{ tenants: unknown[]; groups: unknown[]; audit: unknown[] }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tenants = await client.query('SELECT * FROM provisioning_tenants ORDER BY tenant_id');
    const groups = await client.query('SELECT * FROM provisioning_groups ORDER BY name');
    // Positions are left out: a rebuilt audit log numbers its entries above every position given
    // out before, so that event streams resuming from an old position miss nothing.
    const audit = await client.query(
      'SELECT event_id, tenant, type, subject, source, time, data FROM events_gateway_audit_log ORDER BY event_id',
    );
    return { tenants: tenants.rows, groups: groups.rows, audit: audit.rows };
  } finally {
    await client.end();
  }
}

async function eventCount(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM pbx_events')).rows[0].n);
  } finally {
    await client.end();
  }
}

describe('read models', () => {
  let database: TestDatabase;
  let platform: PlatformProcess | undefined;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
    await database.drop();
  });

  const start = async (): Promise<PlatformProcess> => {
    platform = await startPlatformProcess('standalone', {
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: TOKEN,
    });
    await platform.waitForReady(60_000);
    return platform;
  };

  it('rebuilds from the log, by command, into exactly the read model the live consumers built', async () => {
    const p = await start();
    const ids: string[] = [];
    for (const name of ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli']) {
      const r = await p.post(
        '/api/v1/tenants',
        { name, architecture: 'group', domain: `${name.toLowerCase()}.example` },
        TOKEN,
      );
      ids.push((r.body as { id: string }).id);
    }
    const patched = await fetch(`${p.url}/api/v1/tenants/${ids[0]}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'if-match': '"1"',
      },
      body: JSON.stringify({ name: 'Acme Holding' }),
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    const acme = parse(readFileSync(join(__dirname, '..', '..', 'examples', 'acme.yaml'), 'utf8'));
    expect((await p.post('/api/v1/apply', { documents: [acme] }, TOKEN)).status).toBe(200);
    const logged = await eventCount(database.url);
    const live = await eventually(
      async () => {
        const models = await readModels(database.url);
        return models.audit.length === logged && models.groups.length === 1 ? models : undefined;
      },
      10_000,
      'the live read models',
    );
    expect(live.tenants).toHaveLength(6);

    // Damage both read models; the rebuild must restore them from the log alone.
    const client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE provisioning_tenants SET name = 'garbage'");
    await client.query('DELETE FROM provisioning_groups');
    await client.query(
      'DELETE FROM events_gateway_audit_log WHERE event_id IN (SELECT event_id FROM events_gateway_audit_log LIMIT 3)',
    );
    await client.end();

    const env = { ...process.env, PBX_API_URL: p.url, PBX_OPERATOR_TOKEN: TOKEN };
    const tenants = await run(process.execPath, [CLI, 'rebuild', 'provisioning.tenant-directory'], {
      env,
    });
    expect(tenants.stdout).toContain('rebuilt provisioning.tenant-directory from the log');
    const groups = await run(process.execPath, [CLI, 'rebuild', 'provisioning.group-directory'], {
      env,
    });
    expect(groups.stdout).toContain('rebuilt provisioning.group-directory from the log');
    const audit = await run(process.execPath, [CLI, 'rebuild', 'events-gateway.audit-log'], {
      env,
    });
    expect(audit.stdout).toContain(`${logged} events applied`);

    expect(await readModels(database.url)).toEqual(live);

    const unknown = await run(process.execPath, [CLI, 'rebuild', 'nope'], { env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(unknown).toMatchObject({ code: 1 });
    expect((unknown as { stderr: string }).stderr).toContain('unknown projection "nope"');
  });

  it('relays, after a restart, events that were committed but not yet published when the process went away', async () => {
    // The process is down; these commits are what a crash between commit and publish leaves behind.
    const db = await openTestDataSource(database.url, []);
    const store = new PostgresEventStore(db, '/pbx/provisioning');
    const p0 = await start();
    await p0.stop();
    const tenantId = '3f0d8a4e-5b2c-4c1a-9d7e-0a1b2c3d4e5f';
    await store.append(
      `tenant-${tenantId}`,
      [
        {
          type: TenantCreatedSchema.typeName,
          tenant: tenantId,
          data: toBinary(
            TenantCreatedSchema,
            create(TenantCreatedSchema, {
              tenantId,
              name: 'Stranded',
              architecture: TenantArchitecture.GROUP,
              domain: 'stranded.example',
            }),
          ),
        },
      ],
      'no_stream',
    );
    await db.destroy();

    const p = await start();
    const listed = await eventually(
      async () => {
        const r = await p.get('/api/v1/tenants', TOKEN);
        const items = (r.body as { items: { name: string }[] }).items;
        return items.some((i) => i.name === 'Stranded') ? items : undefined;
      },
      15_000,
      'the stranded event to reach the tenant directory',
    );
    expect(listed.map((i) => i.name)).toEqual(['Stranded']);
    // The audit log is its own projection: it reaches the event on its own schedule.
    const audited = await eventually(
      async () => {
        const log = await p.get(`/api/v1/audit-log?tenant=${tenantId}`, TOKEN);
        const items = (log.body as { items: unknown[] }).items;
        return items.length > 0 ? items : undefined;
      },
      15_000,
      'the stranded event to reach the audit log',
    );
    expect(audited).toHaveLength(1);
  });
});
