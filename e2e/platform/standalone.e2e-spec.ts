import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startPlatformProcess, type PlatformProcess } from '@pbx/testing';

/** PIDs of postgres processes serving `dataDir` (their command line names the folder). */
function postgresProcessesFor(dataDir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('postgres') && line.includes(dataDir))
    .map((line) => line.trim().split(/\s+/)[0]);
}

async function createTenant(
  platform: PlatformProcess,
  token: string,
  name: string,
): Promise<string> {
  const created = await platform.post(
    '/api/v1/tenants',
    { name, architecture: 'group', domain: `${name.toLowerCase()}.example` },
    token,
  );
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

async function auditTypes(
  platform: PlatformProcess,
  token: string,
  tenant: string,
): Promise<string[]> {
  const log = await platform.get(`/api/v1/audit-log?tenant=${tenant}`, token);
  return (log.body as { items: { type: string }[] }).items.map((i) => i.type);
}

describe('standalone platform on the embedded database', () => {
  let dataDir: string;
  const running: PlatformProcess[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pbx-standalone-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    for (const pid of postgresProcessesFor(dataDir)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (): Promise<PlatformProcess> => {
    // DATABASE_URL unset on purpose: this is the embedded shape `npm start` runs.
    const platform = await startPlatformProcess('standalone', {
      PBX_DATA_DIR: dataDir,
      DATABASE_URL: undefined,
    });
    running.push(platform);
    await platform.waitForReady(90_000);
    return platform;
  };

  it('becomes ready, serves its API with the operator token it created, and stops cleanly on SIGTERM', async () => {
    const platform = await start();
    const token = readFileSync(join(dataDir, 'operator-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect((await platform.get('/healthz')).status).toBe(200);
    expect((await platform.get('/api/v1/tenants')).status).toBe(401);

    const tenant = await createTenant(platform, token, 'Acme');
    await eventually(
      async () => ((await auditTypes(platform, token, tenant)).length === 1 ? true : undefined),
      10_000,
      'the audit log entry',
    );

    const metrics = await platform.get('/metrics');
    expect(String(metrics.body)).toContain(
      'pbx_events_appended_total{topic="pbx.provisioning.v1",service="standalone"} 1',
    );
    expect(String(metrics.body)).toContain('process_cpu_user_seconds_total');
    // Secrets never reach the log.
    expect(platform.output()).not.toContain(token);

    const exit = await platform.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(platform.output()).toContain('"msg":"stopped"');
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  });

  it('recovers after kill -9: the orphaned database is taken over and the data is intact', async () => {
    const first = await start();
    const token = readFileSync(join(dataDir, 'operator-token'), 'utf8').trim();
    const tenant = await createTenant(first, token, 'Globex');
    first.child.kill('SIGKILL');
    await first.exited;
    // The postmaster outlives its killed parent, holding postmaster.pid.
    expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);

    const second = await start();
    const fetched = await second.get(`/api/v1/tenants/${tenant}`, token);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ name: 'Globex' });
    // The event reaches the read models: relayed before the kill or after the restart, once.
    const types = await eventually(
      async () => {
        const t = await auditTypes(second, token, tenant);
        return t.length > 0 ? t : undefined;
      },
      10_000,
      'the audit log entry after the restart',
    );
    expect(types).toEqual(['pbx.provisioning.v1.TenantCreated']);
    expect((await second.stop()).code).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  });
});
