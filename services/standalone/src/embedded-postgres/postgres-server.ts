import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { waitUntil, withTimeout } from './bounded-wait';
import { EmbeddedDatabaseError, EmbeddedDatabaseErrorCode } from './embedded-database.error';
import type { Log } from './orphan-recovery';
import type { PostgresBinaries } from './postgres-binaries';
import { classifyPostgresFailure } from './postgres-failure';
import type { RunAs } from './postgres-os-user';
import { POSTMASTER_STATUS_READY, readPostmasterPidFile } from './postmaster-pid-file';

/**
 * initdb and postgres get this environment only: nothing of ours (DATABASE_URL, PG* variables that
 * would redirect them) leaks in, and messages are English so failures can be classified
 * (postgres-failure.ts). They find their libraries and share/ files relative to their own path.
 */
const CHILD_ENV: NodeJS.ProcessEnv = { LC_ALL: 'C' };
const STDERR_TAIL_LINES = 40;
/** Covers crash recovery after a kill -9, which replays the WAL written since the last checkpoint. */
export const START_TIMEOUT_MS = 60_000;
const FAST_SHUTDOWN_MS = 20_000;
const IMMEDIATE_SHUTDOWN_MS = 5_000;
const KILL_WAIT_MS = 5_000;

export interface PostgresServer {
  readonly pid: number;
  readonly port: number;
  /** Idempotent: fast shutdown, then waits (bounded) for the postmaster and its children to exit. */
  stop(): Promise<void>;
}

interface StartOptions {
  readonly binaries: PostgresBinaries;
  readonly clusterDir: string;
  readonly port: number;
  readonly runAs: RunAs | null;
  readonly log: Log;
}

/** Keeps the last lines a child wrote to stderr, forwarding each to the log. */
class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly log: Log,
    private readonly source: string,
  ) {}

  push(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }

  text(): string {
    if (this.partial !== '') {
      this.add(this.partial);
      this.partial = '';
    }
    return this.lines.join('\n');
  }

  private add(line: string): void {
    if (line.trim() === '') return;
    this.log(`${this.source}: ${line}`, { source: this.source });
    this.lines.push(line);
    if (this.lines.length > STDERR_TAIL_LINES) this.lines.shift();
  }
}

function idsOf(runAs: RunAs | null): { uid?: number; gid?: number } {
  return runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid };
}

/** Runs initdb with a bounded time; the caller decides where (a temporary folder, then renamed). */
export async function runInitdb(opts: {
  readonly binaries: PostgresBinaries;
  readonly pgdata: string;
  readonly user: string;
  readonly passwordFile: string;
  readonly runAs: RunAs | null;
  readonly log: Log;
  readonly cwd: string;
  readonly timeoutMs: number;
}): Promise<void> {
  const tail = new StderrTail(opts.log, 'initdb');
  const child = spawn(
    opts.binaries.initdb,
    [
      `--pgdata=${opts.pgdata}`,
      `--username=${opts.user}`,
      `--pwfile=${opts.passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // The builtin provider gives Unicode-aware C.UTF-8 semantics without depending on the host's
      // libc locales, so the cluster behaves the same on every machine it is copied to.
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--locale=C',
      '--lc-messages=C',
    ],
    { ...idsOf(opts.runAs), cwd: opts.cwd, env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  const result = await withTimeout(
    once(child, 'close').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as string | null,
    })),
    opts.timeoutMs,
    () => null,
  ).catch((error: unknown) => ({ code: null, signal: null, error }));
  if (result === null) {
    child.kill('SIGKILL');
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.InitFailed,
      `initdb did not finish within ${opts.timeoutMs} ms for ${opts.pgdata}. Output: ${tail.text()}`,
    );
  }
  if (result.code !== 0) {
    const why =
      'error' in result
        ? String(result.error)
        : `exit code ${result.code ?? 'none'}, signal ${result.signal ?? 'none'}`;
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.InitFailed,
      `initdb failed for ${opts.pgdata} (${why}). Output: ${tail.text() || '(none)'}`,
    );
  }
}

/**
 * Starts the postmaster on 127.0.0.1:<port> with Unix sockets disabled (nothing to collide with a
 * system PostgreSQL's /var/run/postgresql) and waits, bounded, until postmaster.pid reports `ready`.
 * The server gets its own process group, so a Ctrl-C on the terminal reaches only Node, which
 * drains its work and then stops the database last.
 */
export async function startPostgresServer(opts: StartOptions): Promise<PostgresServer> {
  const tail = new StderrTail(opts.log, 'postgres');
  const child = spawn(
    opts.binaries.postgres,
    [
      '-D',
      opts.clusterDir,
      '-p',
      String(opts.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    {
      ...idsOf(opts.runAs),
      cwd: opts.clusterDir,
      env: CHILD_ENV,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  // Written from event callbacks; a record keeps TypeScript from narrowing the fields to null.
  const state: {
    exit: { code: number | null; signal: NodeJS.Signals | null } | null;
    spawnError: Error | null;
  } = {
    exit: null,
    spawnError: null,
  };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      state.exit = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      state.spawnError = error;
      if (child.pid === undefined) resolve();
    });
  });

  const ready = await waitUntil(
    async () => {
      if (state.exit !== null || state.spawnError !== null) return true;
      const lock = await readPostmasterPidFile(opts.clusterDir).catch(() => null);
      return (
        lock?.kind === 'valid' &&
        lock.file.pid === child.pid &&
        lock.file.status === POSTMASTER_STATUS_READY
      );
    },
    { timeoutMs: START_TIMEOUT_MS, intervalMs: 50 },
  );

  if (state.exit !== null || state.spawnError !== null || child.pid === undefined) {
    await withTimeout(exited, 1_000, () => undefined);
    const { spawnError } = state;
    if (spawnError !== null) {
      throw new EmbeddedDatabaseError(
        EmbeddedDatabaseErrorCode.StartFailed,
        `Cannot run ${opts.binaries.postgres}: ${spawnError.message}`,
        { cause: spawnError },
      );
    }
    const classified = classifyPostgresFailure(tail.text(), opts);
    throw new EmbeddedDatabaseError(classified.code, classified.message);
  }
  const server = new RunningServer(
    child,
    child.pid,
    opts.port,
    exited,
    () => state.exit !== null,
    opts.log,
  );
  if (!ready) {
    await server.stop().catch(() => undefined);
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.StartTimeout,
      `PostgreSQL on ${opts.clusterDir} was not ready within ${START_TIMEOUT_MS} ms and was stopped. Last output: ${tail.text() || '(none)'}`,
    );
  }
  child.once('exit', (code, signal) => {
    if (!server.stopRequested)
      opts.log('embedded-postgres: PostgreSQL exited unexpectedly', {
        pid: child.pid,
        code,
        signal,
      });
  });
  return server;
}

class RunningServer implements PostgresServer {
  stopRequested = false;
  #stopping: Promise<void> | null = null;
  readonly #onProcessExit = (): void => {
    // Last resort when Node exits without calling stop() (uncaught error, process.exit): ask for a
    // fast shutdown so no server outlives us. Only kill -9 escapes this; the next start handles that.
    try {
      process.kill(this.pid, 'SIGINT');
    } catch {
      // already gone
    }
  };

  constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly port: number,
    private readonly exited: Promise<void>,
    private readonly hasExited: () => boolean,
    private readonly log: Log,
  ) {
    process.once('exit', this.#onProcessExit);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.stopRequested = true;
    process.removeListener('exit', this.#onProcessExit);
    // SIGINT = fast shutdown (disconnect clients, checkpoint); SIGQUIT = immediate (crash-like, WAL
    // replay next time); SIGKILL only if the postmaster ignores both, which it should never do.
    for (const [signal, timeoutMs] of [
      ['SIGINT', FAST_SHUTDOWN_MS],
      ['SIGQUIT', IMMEDIATE_SHUTDOWN_MS],
      ['SIGKILL', KILL_WAIT_MS],
    ] as const) {
      if (this.hasExited()) break;
      if (signal !== 'SIGINT')
        this.log('embedded-postgres: PostgreSQL did not stop in time, escalating', {
          pid: this.pid,
          signal,
        });
      this.child.kill(signal);
      await withTimeout(this.exited, timeoutMs, () => undefined);
    }
    if (!this.hasExited()) {
      throw new EmbeddedDatabaseError(
        EmbeddedDatabaseErrorCode.StopFailed,
        `PostgreSQL PID ${this.pid} did not exit after SIGINT, SIGQUIT and SIGKILL.`,
      );
    }
  }
}
