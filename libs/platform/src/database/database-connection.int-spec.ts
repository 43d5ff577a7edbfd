import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '@pbx/testing';
import { DatabaseConnection, DatabaseUnavailableError } from './database-connection';

describe('DatabaseConnection', () => {
  let database: TestDatabase;
  let connection: DatabaseConnection;

  beforeAll(async () => {
    database = await createTestDatabase('pbx_dbconn');
    connection = new DatabaseConnection({
      url: database.url,
      migrations: [],
      connectTimeoutMs: 5_000,
      retryMaxMs: 1_000,
      poolSize: 2,
      log: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await connection.stop();
    await database.drop();
  });

  it('answers unavailable, not an error, before it is connected', async () => {
    await expect(connection.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(connection.transaction(async () => 1)).rejects.toBeInstanceOf(
      DatabaseUnavailableError,
    );
  });

  it('commits a transaction that succeeds and rolls back one that throws', async () => {
    await connection.start();
    await connection.query('CREATE TABLE t (n int)');
    await connection.transaction(async (tx) => tx.query('INSERT INTO t VALUES (1)'));
    await expect(
      connection.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (2)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await connection.query('SELECT n FROM t ORDER BY n')).toEqual([{ n: 1 }]);
  });

  it('turns a connection lost inside a transaction into unavailable', async () => {
    await expect(
      connection.transaction(async (tx) =>
        tx.query('SELECT pg_terminate_backend(pg_backend_pid())'),
      ),
    ).rejects.toBeInstanceOf(DatabaseUnavailableError);
    // The pool replaces the lost connection: the next query works.
    expect(await connection.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
