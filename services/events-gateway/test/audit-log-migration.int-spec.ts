import { randomUUID } from 'node:crypto';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import { AuditLogPositions1764028800210 } from '../src/adapters/projections/audit-log/audit-log-positions.migration';
import { AuditLog1764028800200 } from '../src/adapters/projections/audit-log/audit-log.migration';

describe(AuditLogPositions1764028800210.name, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('numbers existing entries per tenant in time order and redacts the HA1s projected before', async () => {
    const before = await openTestDataSource(database.url, [AuditLog1764028800200]);
    const insert = (
      tenant: string,
      second: number,
      type: string,
      data: unknown,
    ): Promise<unknown> =>
      before.query(
        `INSERT INTO events_gateway_audit_log (event_id, tenant, type, subject, source, time, data)
         VALUES ($1, $2, $3, 's', '/pbx/x', $4, $5)`,
        [
          randomUUID(),
          tenant,
          type,
          new Date(Date.UTC(2025, 0, 1, 0, 0, second)),
          JSON.stringify(data),
        ],
      );
    await insert('acme', 3, 'pbx.calls.v1.CallEnded', { callId: 'c' });
    await insert('acme', 1, 'pbx.provisioning.v1.DeviceAdded', {
      username: 'alice',
      credentials: { ha1Md5: 'a'.repeat(32), ha1Sha256: 'b'.repeat(64) },
    });
    await insert('globex', 2, 'pbx.calls.v1.CallStarted', { callId: 'g' });
    await insert('acme', 2, 'pbx.provisioning.v1.DeviceCredentialsChanged', {
      username: 'bob',
      credentials: { ha1Md5: 'c'.repeat(32) },
    });
    await before.destroy();

    const after = await openTestDataSource(database.url, [
      AuditLog1764028800200,
      AuditLogPositions1764028800210,
    ]);
    try {
      const rows: { tenant: string; position: string; type: string; data: unknown }[] =
        await after.query(
          'SELECT tenant, position, type, data FROM events_gateway_audit_log ORDER BY tenant, position',
        );
      expect(rows.map((r) => [r.tenant, Number(r.position), r.type])).toEqual([
        ['acme', 1, 'pbx.provisioning.v1.DeviceAdded'],
        ['acme', 2, 'pbx.provisioning.v1.DeviceCredentialsChanged'],
        ['acme', 3, 'pbx.calls.v1.CallEnded'],
        ['globex', 1, 'pbx.calls.v1.CallStarted'],
      ]);
      expect(JSON.stringify(rows)).not.toMatch(/aaaa|bbbb|cccc/);
      expect(rows[0].data).toEqual({
        username: 'alice',
        credentials: { ha1Md5: '[redacted]', ha1Sha256: '[redacted]' },
      });
      expect(rows[2].data).toEqual({ callId: 'c' });
      const counters: { tenant: string; position: string }[] = await after.query(
        'SELECT tenant, position FROM events_gateway_tenant_positions ORDER BY tenant',
      );
      // New entries continue after the numbered ones.
      expect(counters.map((c) => [c.tenant, Number(c.position)])).toEqual([
        ['acme', 3],
        ['globex', 1],
      ]);
    } finally {
      await after.destroy();
    }
  });
});
