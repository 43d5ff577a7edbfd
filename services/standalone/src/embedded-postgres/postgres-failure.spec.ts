import { EmbeddedDatabaseErrorCode } from './embedded-database.error';
import { classifyPostgresFailure } from './postgres-failure';

const ctx = { port: 5433, clusterDir: '/srv/.data/postgres' };

describe(classifyPostgresFailure.name, () => {
  it('names the port when the address is already in use', () => {
    const stderr =
      'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use\n' +
      'WARNING:  could not create listen socket for "127.0.0.1"\nFATAL:  could not create any TCP/IP sockets';
    const failure = classifyPostgresFailure(stderr, ctx);
    expect(failure.code).toBe(EmbeddedDatabaseErrorCode.PortInUse);
    expect(failure.message).toContain('Port 5433 on 127.0.0.1 is already in use');
  });

  it.each([
    ['FATAL:  lock file "postmaster.pid" already exists', EmbeddedDatabaseErrorCode.DataDirInUse],
    [
      'FATAL:  pre-existing shared memory block (key 1, ID 2) is still in use',
      EmbeddedDatabaseErrorCode.DataDirInUse,
    ],
    ['FATAL:  data directory "/x" has wrong ownership', EmbeddedDatabaseErrorCode.ClusterOwnership],
    [
      'FATAL:  data directory "/x" has invalid permissions',
      EmbeddedDatabaseErrorCode.ClusterOwnership,
    ],
    [
      'FATAL:  database files are incompatible with server',
      EmbeddedDatabaseErrorCode.ClusterIncompatible,
    ],
    [
      '"root" execution of the PostgreSQL server is not permitted.',
      EmbeddedDatabaseErrorCode.StartFailed,
    ],
    ['FATAL:  something unexpected', EmbeddedDatabaseErrorCode.StartFailed],
  ])('classifies %j and quotes what PostgreSQL said', (stderr, code) => {
    const failure = classifyPostgresFailure(stderr, ctx);
    expect(failure.code).toBe(code);
    expect(failure.message).toContain(stderr);
  });

  it('says there was no output rather than showing nothing', () => {
    expect(classifyPostgresFailure('', ctx).message).toContain('(no output)');
  });
});
