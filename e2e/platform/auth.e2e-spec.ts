import type { DataSource } from 'typeorm';
import { ApiTokenStore } from '@pbx/platform';
import {
  createTestDatabase,
  eventually,
  openTestDataSource,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';

const OPERATOR = 'e2e-operator-token-auth-0123456789abcdef012345';

describe('API authentication and tenant isolation', () => {
  let database: TestDatabase;
  let platform: PlatformProcess;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = await startPlatformProcess('standalone', {
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: OPERATOR,
    });
    await platform.waitForReady(60_000);
    db = await openTestDataSource(database.url, []);
  });
  afterAll(async () => {
    await db?.destroy();
    await platform?.stop();
    await database?.drop();
  });

  it("lets a tenant's admin read that tenant's audit log and nothing of another tenant", async () => {
    const ids: string[] = [];
    for (const name of ['Alpha', 'Beta']) {
      const r = await platform.post(
        '/api/v1/tenants',
        { name, architecture: 'group', domain: `${name.toLowerCase()}.example` },
        OPERATOR,
      );
      ids.push((r.body as { id: string }).id);
    }
    const [alpha, beta] = ids;
    const tokens = new ApiTokenStore({
      query: (sql, params) => db.query(sql, params ? [...params] : []),
    });
    const admin = await tokens.issue(
      { role: 'group-admin', tenantId: alpha, groupId: 'main' },
      'test',
    );

    const own = await eventually(
      async () => {
        const r = await platform.get(`/api/v1/audit-log?tenant=${alpha}`, admin.token);
        return (r.body as { items?: unknown[] }).items?.length ? r : undefined;
      },
      10_000,
      "alpha's audit log",
    );
    expect(own.status).toBe(200);
    const other = await platform.get(`/api/v1/audit-log?tenant=${beta}`, admin.token);
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.body)).not.toContain('Beta');

    // Operator-only endpoints refuse the tenant admin, whatever the tenant.
    expect((await platform.get('/api/v1/tenants', admin.token)).status).toBe(403);
    expect((await platform.get(`/api/v1/tenants/${alpha}`, admin.token)).status).toBe(403);
    expect(
      (
        await platform.post(
          `/api/v1/admin/projections/events-gateway.audit-log/rebuild`,
          {},
          admin.token,
        )
      ).status,
    ).toBe(403);
  });

  it('refuses missing, unknown and revoked tokens with 401', async () => {
    const tokens = new ApiTokenStore({
      query: (sql, params) => db.query(sql, params ? [...params] : []),
    });
    const issued = await tokens.issue({ role: 'enterprise-admin', tenantId: 'x' }, 'test');
    await tokens.revoke(issued.id);
    for (const token of [undefined, 'nonsense', issued.token]) {
      const r = await platform.get('/api/v1/audit-log?tenant=x', token);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error: { code: 'HTTP_401' } });
    }
  });
});
