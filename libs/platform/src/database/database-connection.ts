import { Client } from 'pg';
import { DataSource, type EntityManager, type MigrationInterface } from 'typeorm';
import type { Logger } from 'pino';
import { redactUrlCredentials } from '@pbx/config';

export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

export type MigrationClass = new () => MigrationInterface;

export interface DatabaseConnectionOptions {
  readonly url: string;
  readonly migrations: readonly MigrationClass[];
  readonly connectTimeoutMs: number;
  /** Longest wait between two connection attempts. */
  readonly retryMaxMs: number;
  readonly poolSize?: number;
  readonly log: Logger;
}

/**
 * The process's PostgreSQL connection. It starts without the database: `start()` returns at once
 * and keeps trying with exponential backoff, logging each failure once with a clear reason, so
 * the HTTP server can answer `/healthz` (alive) and `/readyz` (not ready) meanwhile.
 */
export class DatabaseConnection {
  readonly dataSource: DataSource;
  #connecting: Promise<void> | undefined;
  #ready = false;
  #stopped = false;
  #wakeRetry: (() => void) | undefined;

  constructor(private readonly options: DatabaseConnectionOptions) {
    this.dataSource = new DataSource({
      type: 'postgres',
      url: options.url,
      migrations: [...options.migrations],
      migrationsTableName: 'pbx_migrations',
      extra: {
        max: options.poolSize ?? 20,
        connectionTimeoutMillis: options.connectTimeoutMs,
        idleTimeoutMillis: 30_000,
      },
      logging: false,
    });
  }

  /**
   * A query for read models and adapters; before the database is reachable it fails with
   * DatabaseUnavailableError, which HTTP answers with 503 rather than 500.
   */
  async query<T = unknown>(sql: string, params: readonly unknown[] = []): Promise<T> {
    if (!this.#ready) throw new DatabaseUnavailableError('the database is not reachable yet');
    try {
      return (await this.dataSource.query(sql, [...params])) as T;
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  /** `work` in one transaction, failing the way query() does when the database is unreachable. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.#ready) throw new DatabaseUnavailableError('the database is not reachable yet');
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  get isConnected(): boolean {
    return this.#ready;
  }

  /** Resolves once connected and migrated; rejects only if stopped first. */
  start(): Promise<void> {
    this.#connecting ??= this.connectWithRetry();
    return this.#connecting;
  }

  /** A live round trip, bounded in time: what `/readyz` asks. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    if (!this.#ready) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeRetry?.();
    await this.#connecting?.catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.#ready = false;
  }

  private async connectWithRetry(): Promise<void> {
    const where = redactUrlCredentials(this.options.url);
    let delay = 250;
    for (let attempt = 1; ; attempt++) {
      if (this.#stopped) throw new Error('database connection stopped before it was ready');
      try {
        await this.probe();
        if (!this.dataSource.isInitialized) await this.dataSource.initialize();
        await this.migrate();
        this.#ready = true;
        this.options.log.info({ attempt }, `database ready at ${where}`);
        return;
      } catch (error) {
        this.options.log.warn(
          { attempt, retryInMs: delay },
          `database unreachable at ${where}: ${redactUrlCredentials((error as Error).message)}; retrying`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#wakeRetry = (): void => {
            clearTimeout(timer);
            resolve();
          };
        });
        delay = Math.min(delay * 2, this.options.retryMaxMs);
      }
    }
  }

  /** A plain connection first: cheap to fail, and it names the real reason (refused, auth...). */
  private async probe(): Promise<void> {
    const client = new Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Migrations under an advisory lock: several processes may start against one database. */
  private async migrate(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query("SELECT pg_advisory_lock(hashtext('pbx-migrations'))");
      await this.dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner
        .query("SELECT pg_advisory_unlock(hashtext('pbx-migrations'))")
        .catch(() => undefined);
      await runner.release();
    }
  }
}

/** Connection-level failures (refused, reset, timeout, admin shutdown): unavailable, not a bug. */
function unavailableOr(error: unknown): unknown {
  const code = (error as { code?: string }).code ?? '';
  if (
    /^(ECONN|ETIMEDOUT|EPIPE|57P0|08)/.test(code) ||
    /terminat|timeout|Connection/i.test((error as Error).message)
  ) {
    return new DatabaseUnavailableError(
      `the database is not reachable: ${(error as Error).message}`,
    );
  }
  return error;
}
