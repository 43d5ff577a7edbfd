import { randomUUID } from 'node:crypto';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import type { DataSource } from 'typeorm';
import { PROTOBUF_CONTENT_TYPE, type EventEnvelope } from '@pbx/events';
import {
  DeviceAddedSchema,
  DeviceChangedSchema,
  DeviceCredentialsChangedSchema,
  DeviceRemovedSchema,
  GroupCreatedSchema,
  GroupDeletedSchema,
  GroupSettingsChangedSchema,
} from '@pbx/proto';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import { deviceDirectoryProjection, type DirectoryTouched } from './device-directory.projection';
import { SipEdgeDeviceDirectory1764028800700 } from './device-directory.migration';
import { DeviceDirectorySync } from './device-directory-sync';
import { PostgresDeviceDirectory } from './postgres-device-directory';

const MD5 = '0123456789abcdef0123456789abcdef';
const SHA = 'f'.repeat(64);
const MD5_NEW = 'fedcba9876543210fedcba9876543210';

function envelope<D extends DescMessage>(schema: D, init: MessageInitShape<D>): EventEnvelope {
  return {
    id: randomUUID(),
    source: '/pbx/provisioning',
    type: schema.typeName,
    subject: 'group-acme',
    time: new Date(),
    tenant: 'tenant-1',
    dataContentType: PROTOBUF_CONTENT_TYPE,
    data: toBinary(schema, create(schema, init)),
  };
}

describe('the SIP edge device directory on PostgreSQL', () => {
  let database: TestDatabase;
  let db: DataSource;
  let directory: PostgresDeviceDirectory;
  let dropped: string[];
  let pending: Promise<void>[];
  let queries: number;
  const projection = deviceDirectoryProjection({
    onCommitted: (touched: DirectoryTouched) => {
      pending.push(sync.handle(touched));
    },
  });
  let sync: DeviceDirectorySync;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openTestDataSource(database.url, [SipEdgeDeviceDirectory1764028800700], 4);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });
  beforeEach(async () => {
    dropped = [];
    pending = [];
    queries = 0;
    directory = new PostgresDeviceDirectory({
      query: (sql, params) => {
        queries += 1;
        return db.query(sql, params);
      },
    });
    sync = new DeviceDirectorySync(
      directory,
      { dropDevice: async (u, d) => (dropped.push(`${u}@${d}`), 0) },
      {
        error: (m) => {
          throw new Error(m);
        },
      },
    );
    await db.transaction((tx) => projection.reset(tx));
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(pending.splice(0));
    dropped = [];
  });

  async function apply(...events: EventEnvelope[]): Promise<void> {
    for (const event of events) await db.transaction((tx) => projection.apply(event, tx));
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(pending.splice(0));
  }

  const acme = () =>
    envelope(GroupCreatedSchema, { groupId: 'acme', tenantId: 'tenant-1', domain: 'Acme.Example' });
  const alice = (groupId = 'acme') =>
    envelope(DeviceAddedSchema, {
      groupId,
      username: 'alice',
      ownerExtension: '201',
      credentials: { ha1Md5: MD5, ha1Sha256: SHA },
    });

  it('finds a provisioned device, and answers the next lookups from memory', async () => {
    await apply(acme(), alice());
    await expect(directory.hasDomain('acme.example')).resolves.toBe(true);
    const before = queries;
    const device = await directory.find('alice', 'ACME.example');
    expect(device).toEqual({
      tenantId: 'tenant-1',
      groupId: 'acme',
      deviceId: 'acme:alice',
      username: 'alice',
      domain: 'acme.example',
      ownerExtension: '201',
      realm: 'acme.example',
      ha1: { md5: MD5, sha256: SHA },
    });
    for (let i = 0; i < 100; i += 1) await directory.find('alice', 'acme.example');
    expect(queries - before).toBe(1);
    await expect(directory.find('bob', 'acme.example')).resolves.toBeUndefined();
  });

  it('serves a new password and owner as soon as the change commits', async () => {
    await apply(acme(), alice());
    await directory.find('alice', 'acme.example');
    await apply(
      envelope(DeviceCredentialsChangedSchema, {
        groupId: 'acme',
        username: 'alice',
        credentials: { ha1Md5: MD5_NEW },
      }),
      envelope(DeviceChangedSchema, { groupId: 'acme', username: 'alice', ownerExtension: '202' }),
    );
    await expect(directory.find('alice', 'acme.example')).resolves.toMatchObject({
      ownerExtension: '202',
      ha1: { md5: MD5_NEW },
    });
    expect(dropped).toEqual([]);
  });

  it('drops the registrations of a removed device, and of a group’s devices when it goes', async () => {
    await apply(
      acme(),
      alice(),
      envelope(DeviceAddedSchema, { groupId: 'acme', username: 'bob', ownerExtension: '202' }),
    );
    await directory.find('alice', 'acme.example');
    await apply(envelope(DeviceRemovedSchema, { groupId: 'acme', username: 'alice' }));
    expect(dropped).toEqual(['alice@acme.example']);
    await expect(directory.find('alice', 'acme.example')).resolves.toBeUndefined();
    await expect(directory.hasDomain('acme.example')).resolves.toBe(true);
    await apply(envelope(GroupDeletedSchema, { groupId: 'acme' }));
    expect(dropped).toEqual(['alice@acme.example', 'bob@acme.example']);
    await expect(directory.hasDomain('acme.example')).resolves.toBe(false);
  });

  it('moves the devices with their group’s domain and drops the old registrations', async () => {
    await apply(acme(), alice());
    await expect(directory.hasDomain('new.example')).resolves.toBe(false);
    await apply(envelope(GroupSettingsChangedSchema, { groupId: 'acme', domain: 'new.example' }));
    expect(dropped).toEqual(['alice@acme.example']);
    await expect(directory.hasDomain('new.example')).resolves.toBe(true);
    // Until DeviceCredentialsChanged follows, the HA1s are for the old realm.
    await expect(directory.find('alice', 'new.example')).resolves.toMatchObject({
      realm: 'acme.example',
    });
    await apply(
      envelope(DeviceCredentialsChangedSchema, {
        groupId: 'acme',
        username: 'alice',
        credentials: { ha1Md5: MD5_NEW },
      }),
    );
    await expect(directory.find('alice', 'new.example')).resolves.toMatchObject({
      realm: 'new.example',
    });
  });

  it('lets a sibling group take over a name whose removal arrives late, and keeps it', async () => {
    const sibling = envelope(GroupCreatedSchema, {
      groupId: 'acme-east',
      tenantId: 'tenant-1',
      domain: 'acme.example',
    });
    await apply(acme(), sibling, alice('acme'));
    await apply(alice('acme-east'));
    await apply(envelope(DeviceRemovedSchema, { groupId: 'acme', username: 'alice' }));
    await expect(directory.find('alice', 'acme.example')).resolves.toMatchObject({
      groupId: 'acme-east',
    });
    expect(dropped).toEqual([]);
  });

  it('does nothing outside PostgreSQL when the transaction rolls back', async () => {
    await apply(acme(), alice());
    await expect(
      db.transaction(async (tx) => {
        await projection.apply(
          envelope(DeviceRemovedSchema, { groupId: 'acme', username: 'alice' }),
          tx,
        );
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toEqual([]);
    await expect(directory.find('alice', 'acme.example')).resolves.toBeDefined();
  });

  describe('reads devices together', () => {
    const someone = (username: string) =>
      envelope(DeviceAddedSchema, {
        groupId: 'acme',
        username,
        ownerExtension: username,
        credentials: { ha1Md5: MD5 },
      });
    const names = ['201', '202', '203', '204', '205'];

    /** A directory on its own clock, counting its queries. */
    function clocked(options: { reloadGatherMs?: number } = {}) {
      const clock = { now: 0, queries: 0, fail: false };
      const own = new PostgresDeviceDirectory(
        {
          query: (sql, params) => {
            clock.queries += 1;
            return clock.fail ? Promise.reject(new Error('database gone')) : db.query(sql, params);
          },
        },
        { ttlMs: 1_000, staleMs: 60_000, now: () => clock.now, ...options },
      );
      return { own, clock };
    }

    it('reads the devices asked for in one turn with one query', async () => {
      await apply(acme(), ...names.map(someone));
      const { own, clock } = clocked();
      const found = await Promise.all([
        ...names.map((n) => own.find(n, n === '203' ? 'ACME.example' : 'acme.example')),
        own.find('nobody', 'acme.example'),
        own.find('201', 'other.example'),
      ]);
      expect(found.map((d) => d?.ownerExtension)).toEqual([...names, undefined, undefined]);
      expect(found[0]).toMatchObject({ deviceId: 'acme:201', domain: 'acme.example' });
      expect(clock.queries).toBe(1);
    });

    it('serves stale entries at once and reloads them together after a gathering wait', async () => {
      await apply(acme(), ...names.map(someone));
      const { own, clock } = clocked({ reloadGatherMs: 50 });
      await Promise.all(names.map((n) => own.find(n, 'acme.example')));
      expect(clock.queries).toBe(1);
      await db.query(`UPDATE sip_edge_devices SET owner_extension = '299' WHERE username = '202'`);

      clock.now = 1_500;
      const started = Date.now();
      // Past the TTL: served from memory (not a promise), one reload each goes into the gathering.
      for (const n of names) expect(own.find(n, 'acme.example')).toMatchObject({ username: n });
      expect(clock.queries).toBe(1);
      const deadline = Date.now() + 2_000;
      while (
        Date.now() < deadline &&
        (own.find('202', 'acme.example') as { ownerExtension: string }).ownerExtension !== '299'
      ) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      expect(clock.queries).toBe(2);
      expect(own.find('202', 'acme.example')).toMatchObject({ ownerExtension: '299' });
    });

    it('sends the gathered reloads at once when a load somebody waits for joins them', async () => {
      await apply(acme(), ...names.map(someone));
      const { own, clock } = clocked({ reloadGatherMs: 60_000 });
      await Promise.all(names.slice(0, 3).map((n) => own.find(n, 'acme.example')));
      clock.now = 1_500;
      for (const n of names.slice(0, 3)) own.find(n, 'acme.example');
      const waited = await own.find('204', 'acme.example');
      expect(waited).toMatchObject({ username: '204' });
      expect(clock.queries).toBe(2);
    });

    it('fails every waiting load when the query fails, and reads them again next time', async () => {
      await apply(acme(), ...names.map(someone));
      const { own, clock } = clocked();
      clock.fail = true;
      const results = await Promise.allSettled(names.map((n) => own.find(n, 'acme.example')));
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect(clock.queries).toBe(1);
      clock.fail = false;
      await expect(own.find('201', 'acme.example')).resolves.toMatchObject({ username: '201' });
    });
  });
});
