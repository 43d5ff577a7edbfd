import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: run `source scripts/test-services.sh` first');
  }
  return url;
}

/**
 * A fresh database per suite, so suites never see each other's streams and can run in parallel.
 * The role in DATABASE_URL needs CREATEDB (scripts/test-services.sh grants it).
 */
export async function createTestDatabase(prefix = 'pbx_t'): Promise<TestDatabase> {
  const base = new URL(adminUrl());
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop(): Promise<void> {
      if (dropped) return;
      dropped = true;
      const client = new Client({ connectionString: base.toString() });
      await client.connect();
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
            break;
          } catch (error) {
            // FORCE may not end an autovacuum worker on the database (it runs as the superuser,
            // whom the test role cannot signal: 42501); the worker is done within moments.
            if ((error as { code?: string }).code !== '42501' || attempt >= 100) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      } finally {
        await client.end();
      }
    },
  };
}
