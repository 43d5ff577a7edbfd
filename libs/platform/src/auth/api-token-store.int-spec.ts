import type { DataSource } from 'typeorm';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import { ApiTokens1764028800300 } from './api-token.migration';
import { ApiTokensReadOnly1764028800301 } from './api-token-read-only.migration';
import { ApiTokenStore, hashToken } from './api-token-store';

describe(ApiTokenStore.name, () => {
  let database: TestDatabase;
  let db: DataSource;
  let now: Date;
  let store: ApiTokenStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openTestDataSource(database.url, [
      ApiTokens1764028800300,
      ApiTokensReadOnly1764028800301,
    ]);
  });
  beforeEach(() => {
    now = new Date('2026-11-25T10:00:00Z');
    store = new ApiTokenStore(
      { query: (sql, params) => db.query(sql, params ? [...params] : []) },
      () => now,
    );
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('issues a token that resolves to its principal, and stores only its hash', async () => {
    const principal = { role: 'group-admin', tenantId: 't-1', groupId: 'g-1' } as const;
    const issued = await store.issue(principal, 'ci script');
    expect(issued.token).toMatch(/^pbx_[\w-]{43}$/);
    expect(await store.verify(issued.token)).toEqual(principal);
    const rows: { token_hash: string }[] = await db.query(
      'SELECT token_hash FROM platform_api_tokens',
    );
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(issued.token));
    expect(JSON.stringify(rows)).not.toContain(issued.token);
  });

  it('grants read-only tokens as issued, and full access by default', async () => {
    const user = { role: 'user', tenantId: 't-1', groupId: 'g-1', userId: '201' } as const;
    const phone = await store.issue(user, 'phone alice@acme.example', 900, { readOnly: true });
    expect(await store.grantOf(phone.token)).toEqual({ principal: user, readOnly: true });
    const script = await store.issue(user, 'script');
    expect(await store.grantOf(script.token)).toEqual({ principal: user, readOnly: false });
    expect(await store.grantOf(`pbx_${'B'.repeat(43)}`)).toBeUndefined();
  });

  it('refuses unknown, malformed, expired and revoked tokens', async () => {
    const user = { role: 'user', tenantId: 't-1', groupId: 'g-1', userId: 'u-1' } as const;
    const session = await store.issue(user, 'login', 900);
    expect(await store.verify(session.token)).toEqual(user);
    now = new Date(now.getTime() + 901_000);
    expect(await store.verify(session.token)).toBeUndefined();

    const kept = await store.issue({ role: 'enterprise-admin', tenantId: 't-2' }, 'admin');
    expect(await store.revoke(kept.id)).toBe(true);
    expect(await store.revoke(kept.id)).toBe(false);
    expect(await store.verify(kept.token)).toBeUndefined();

    expect(await store.verify(`pbx_${'A'.repeat(43)}`)).toBeUndefined();
    expect(await store.verify("pbx_' OR 1=1 --")).toBeUndefined();
    expect(await store.verify('')).toBeUndefined();
  });

  it('revokes every token of one user of a tenant, and only those', async () => {
    const a = await store.issue(
      { role: 'user', tenantId: 't-3', groupId: 'g', userId: 'alice' },
      'a',
    );
    const b = await store.issue(
      { role: 'user', tenantId: 't-3', groupId: 'g', userId: 'bob' },
      'b',
    );
    expect(await store.revokeAllFor('t-3', 'alice')).toBe(1);
    expect(await store.verify(a.token)).toBeUndefined();
    expect(await store.verify(b.token)).toBeDefined();
  });
});
