import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { waitUntil, withTimeout } from './bounded-wait';
import { parseClusterCredentials } from './cluster-credentials';
import {
  CLUSTER_FOLDER,
  CREDENTIALS_FILE,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from './embedded-database';
import { EmbeddedDatabaseErrorCode } from './embedded-database.error';
import { pickFreeLoopbackPort } from './free-port';
import { isRoot } from './postgres-os-user';
import { readPostmasterPidFile } from './postmaster-pid-file';
import { findProcessesInDirectory, isProcessRunning } from './process-inspector';

const CHILD_SCRIPT = join(__dirname, 'fixtures', 'embedded-postgres-child.mjs');

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: 5_000,
    query_timeout: 10_000,
  });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function notes(url: string): Promise<string[]> {
  return (await query<{ body: string }>(url, 'select body from notes order by id')).map(
    (row) => row.body,
  );
}

function waitForLine(child: ChildProcess, line: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${line}" within ${timeoutMs} ms; stderr: ${err}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.split('\n').includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before "${line}"; stderr: ${err}`));
    });
  });
}

describe(startEmbeddedDatabase.name, () => {
  let dataDir: string;
  let clusterDir: string;
  const running: EmbeddedDatabase[] = [];

  async function start(
    opts: { port?: number; log?: (msg: string) => void } = {},
  ): Promise<EmbeddedDatabase> {
    const db = await startEmbeddedDatabase({ dataDir, ...opts });
    running.push(db);
    return db;
  }

  async function processesInCluster(): Promise<number[]> {
    const pids = await findProcessesInDirectory(clusterDir);
    const alive = await Promise.all(
      pids.map(async (pid) => ((await isProcessRunning(pid)) ? pid : null)),
    );
    return alive.filter((pid): pid is number => pid !== null);
  }

  beforeAll(async () => {
    // mkdtemp makes a 0700 folder: as root this also covers opening the data folder to the postgres account.
    dataDir = await mkdtemp(join(tmpdir(), 'pbx-embedded-pg-'));
    clusterDir = join(dataDir, CLUSTER_FOLDER);
  });

  afterAll(async () => {
    await Promise.all(running.map((db) => db.stop().catch(() => undefined)));
    // Safety net so that a failed test never leaves a server behind.
    for (const pid of await processesInCluster().catch(() => [])) process.kill(pid, 'SIGQUIT');
    await waitUntil(async () => (await processesInCluster().catch(() => [])).length === 0, {
      timeoutMs: 10_000,
    });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the cluster and the pbx database on first start and leaves no process after stop', async () => {
    const logs: string[] = [];
    const db = await start({ log: (msg) => logs.push(msg) });

    expect(db.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/pbx$/);
    expect(await query(db.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    await query(db.url, 'create table notes (id serial primary key, body text not null)');
    await query(db.url, "insert into notes (body) values ('first start')");
    expect(logs.some((msg) => msg.includes('initdb'))).toBe(true);

    const credentialsFile = join(dataDir, CREDENTIALS_FILE);
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    const credentials = parseClusterCredentials(
      await readFile(credentialsFile, 'utf8'),
      credentialsFile,
    );
    expect(db.url).toContain(encodeURIComponent(credentials.password));
    if (isRoot()) {
      const postgresUid = Number(
        spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim(),
      );
      expect((await stat(clusterDir)).uid).toBe(postgresUid);
    }

    await db.stop();
    await db.stop();
    expect(await processesInCluster()).toEqual([]);
    expect(existsSync(join(clusterDir, 'postmaster.pid'))).toBe(false);
  });

  it('skips initdb on a later start, reuses the stored password and keeps the data', async () => {
    const logs: string[] = [];
    const db = await start({ log: (msg) => logs.push(msg) });

    expect(logs.some((msg) => msg.includes('initdb'))).toBe(false);
    expect(logs.some((msg) => msg.includes('using the existing cluster'))).toBe(true);
    expect(await notes(db.url)).toEqual(['first start']);

    await db.stop();
    expect(await processesInCluster()).toEqual([]);
  });

  it('stops the PostgreSQL orphaned by a kill -9 of its Node process and starts with the data intact', async () => {
    const credentialsFile = join(dataDir, CREDENTIALS_FILE);
    const { password } = parseClusterCredentials(
      await readFile(credentialsFile, 'utf8'),
      credentialsFile,
    );
    const child = spawn(
      process.execPath,
      [CHILD_SCRIPT, clusterDir, String(await pickFreeLoopbackPort())],
      {
        env: { ...process.env, PBX_TEST_PG_PASSWORD: password },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      await waitForLine(child, 'READY', 30_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    const lock = await readPostmasterPidFile(clusterDir);
    if (lock.kind !== 'valid') throw new Error(`expected a postmaster.pid, got ${lock.kind}`);
    const orphan = lock.file.pid;

    const childExit = once(child, 'exit');
    child.kill('SIGKILL');
    await withTimeout(childExit, 5_000, () => []);
    expect(await isProcessRunning(orphan)).toBe(true);

    const logs: string[] = [];
    const db = await start({ log: (msg) => logs.push(msg) });

    expect(logs.some((msg) => msg.includes('orphaned'))).toBe(true);
    expect(await isProcessRunning(orphan)).toBe(false);
    expect(await notes(db.url)).toEqual(['first start', 'written before kill -9']);
    await db.stop();
    expect(await processesInCluster()).toEqual([]);
  });

  it('removes a stale postmaster.pid whose PID is dead or now belongs to another process', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    for (const stalePid of [dead.pid ?? 999_999, process.pid]) {
      const lockFile = join(clusterDir, 'postmaster.pid');
      await writeFile(
        lockFile,
        `${stalePid}\n${clusterDir}\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\nready   \n`,
      );
      const logs: string[] = [];
      const db = await start({ log: (msg) => logs.push(msg) });
      expect(logs.some((msg) => msg.includes('stale postmaster.pid'))).toBe(true);
      expect(await notes(db.url)).toHaveLength(2);
      await db.stop();
    }
  });

  it('refuses a second start on a data folder this process already serves', async () => {
    const db = await start();
    await expect(startEmbeddedDatabase({ dataDir })).rejects.toMatchObject({
      code: EmbeddedDatabaseErrorCode.DataDirInUse,
    });
    expect(await notes(db.url)).toHaveLength(2);
    await db.stop();
  });

  it('says which port is taken when the requested port is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await expect(start({ port })).rejects.toMatchObject({
        code: EmbeddedDatabaseErrorCode.PortInUse,
        message: expect.stringContaining(`Port ${port}`),
      });
    } finally {
      blocker.close();
    }
    expect(await processesInCluster()).toEqual([]);
  });

  it('says the data folder cannot be written when it cannot be created', async () => {
    const file = join(dataDir, 'not-a-folder');
    await writeFile(file, '');
    await expect(startEmbeddedDatabase({ dataDir: join(file, 'data') })).rejects.toMatchObject({
      code: EmbeddedDatabaseErrorCode.DataDirNotWritable,
    });
  });
});
