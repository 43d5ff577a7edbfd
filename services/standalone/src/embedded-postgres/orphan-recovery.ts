import { realpath, rm } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { waitUntil } from './bounded-wait';
import { EmbeddedDatabaseError, EmbeddedDatabaseErrorCode } from './embedded-database.error';
import { POSTMASTER_PID_FILE, readPostmasterPidFile } from './postmaster-pid-file';
import {
  findProcessesInDirectory,
  inspectProcess,
  isPostgresExecutable,
  isProcessRunning,
  type ProcessInfo,
} from './process-inspector';

export type Log = (msg: string, extra?: object) => void;

/** A fast shutdown only waits for clients to be disconnected and a checkpoint; generous but bounded. */
const ORPHAN_FAST_SHUTDOWN_MS = 30_000;
/** SIGQUIT (immediate shutdown) skips the checkpoint; the next start replays WAL as after a crash. */
const ORPHAN_IMMEDIATE_SHUTDOWN_MS = 10_000;
/** Children of a postmaster that died notice within a second or so (postmaster-death pipe). */
const LEFTOVER_CHILDREN_MS = 10_000;

/**
 * Makes a data directory startable again after its last owner died without a clean shutdown
 * (`kill -9`, OOM killer, power loss). Two things can be left behind:
 * - a postmaster that is still running, orphaned by its killed parent: stopped with a fast shutdown;
 * - a postmaster.pid whose PID is dead or now belongs to an unrelated process: removed, because
 *   PostgreSQL refuses to start when that PID happens to be alive.
 * A postmaster whose parent is a live Node process belongs to another running platform (or to us)
 * and is never touched. Nothing but the lock file is ever deleted; PostgreSQL's own shared-memory
 * interlock still prevents two servers on one data directory should our judgement be wrong.
 */
export async function recoverFromUncleanShutdown(clusterDir: string, log: Log): Promise<void> {
  const lock = await readPostmasterPidFile(clusterDir);
  if (lock.kind === 'absent') return;
  const lockFile = join(clusterDir, POSTMASTER_PID_FILE);

  if (lock.kind === 'malformed') {
    // Written partially (killed during start-up) or truncated; only stale if nobody runs in the folder.
    await waitForLeftoverProcesses(clusterDir);
    log('embedded-postgres: removing unreadable postmaster.pid left by an interrupted start', {
      lockFile,
    });
    await rm(lockFile, { force: true });
    return;
  }

  const { pid } = lock.file;
  const info = await inspectProcess(pid);
  if (info === null || info.state === 'Z' || !(await isPostmasterOf(info, clusterDir))) {
    await waitForLeftoverProcesses(clusterDir);
    log('embedded-postgres: removing stale postmaster.pid (its server is gone)', {
      lockFile,
      pid,
      pidNowUsedBy: info && info.state !== 'Z' ? basename(info.argv[0] ?? '?') : null,
    });
    await rm(lockFile, { force: true });
    return;
  }

  if (info.ppid === process.pid) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.DataDirInUse,
      `This process already runs PostgreSQL (PID ${pid}) on ${clusterDir}; stop it before starting it again.`,
    );
  }
  const parent = info.ppid > 1 ? await inspectProcess(info.ppid) : null;
  if (parent !== null && parent.state !== 'Z' && isNodeProcess(parent)) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.DataDirInUse,
      `${clusterDir} is in use by PostgreSQL PID ${pid}, started by the running Node process ${parent.pid} ` +
        `(${parent.argv.join(' ')}). Stop that process or use another data folder.`,
    );
  }
  await stopOrphanedPostmaster(pid, clusterDir, log);
}

async function isPostmasterOf(info: ProcessInfo, clusterDir: string): Promise<boolean> {
  if (!isPostgresExecutable(info.argv)) return false;
  const cluster = await realpath(clusterDir);
  // The postmaster chdirs into its data directory; -D is the fallback where the cwd is unreadable.
  if (info.cwd !== null) return info.cwd === cluster;
  const d = info.argv.indexOf('-D');
  const dataArg = d >= 0 ? info.argv[d + 1] : undefined;
  if (dataArg === undefined || !isAbsolute(dataArg)) return false;
  return (await realpath(dataArg).catch(() => dataArg)) === cluster;
}

function isNodeProcess(info: ProcessInfo): boolean {
  const exe = info.argv[0] ?? '';
  return exe === process.execPath || /^node(js)?([0-9.]*)?(\.exe)?$/.test(basename(exe));
}

async function stopOrphanedPostmaster(pid: number, clusterDir: string, log: Log): Promise<void> {
  log('embedded-postgres: stopping PostgreSQL orphaned by a killed process (fast shutdown)', {
    pid,
    clusterDir,
  });
  for (const [signal, timeoutMs] of [
    ['SIGINT', ORPHAN_FAST_SHUTDOWN_MS],
    ['SIGQUIT', ORPHAN_IMMEDIATE_SHUTDOWN_MS],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') break;
      throw new EmbeddedDatabaseError(
        EmbeddedDatabaseErrorCode.OrphanStopFailed,
        `PostgreSQL PID ${pid}, left running on ${clusterDir} by a killed process, cannot be signalled (${code}); stop it as its owner or root.`,
        { cause: error },
      );
    }
    if (await waitUntil(async () => !(await isProcessRunning(pid)), { timeoutMs, intervalMs: 100 }))
      break;
    log('embedded-postgres: orphaned PostgreSQL did not stop in time', { pid, signal, timeoutMs });
  }
  if (await isProcessRunning(pid)) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.OrphanStopFailed,
      `PostgreSQL PID ${pid}, left running on ${clusterDir} by a killed process, did not stop after SIGINT and SIGQUIT.`,
    );
  }
  await waitForLeftoverProcesses(clusterDir);
  // A postmaster removes its lock file on exit; an immediate shutdown may not have.
  const lock = await readPostmasterPidFile(clusterDir);
  if (lock.kind === 'valid' && lock.file.pid === pid)
    await rm(join(clusterDir, POSTMASTER_PID_FILE), { force: true });
}

/** Backends of a postmaster killed with SIGKILL exit on their own; give them a bounded moment. */
async function waitForLeftoverProcesses(clusterDir: string): Promise<void> {
  const cluster = await realpath(clusterDir);
  let leftovers: number[] = [];
  const gone = await waitUntil(
    async () => {
      leftovers = [];
      for (const pid of await findProcessesInDirectory(cluster)) {
        if (pid !== process.pid && (await isProcessRunning(pid))) leftovers.push(pid);
      }
      return leftovers.length === 0;
    },
    { timeoutMs: LEFTOVER_CHILDREN_MS, intervalMs: 100 },
  );
  if (!gone) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.DataDirInUse,
      `Processes ${leftovers.join(', ')} still run inside ${clusterDir} although no live postmaster owns it; stop them and retry.`,
    );
  }
}
