import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename } from 'node:path';

/** What we need to know about a process to tell an orphaned postmaster from a reused PID. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** One-letter state as in ps(1); `Z` is a zombie, dead but not yet reaped. */
  readonly state: string;
  readonly argv: readonly string[];
  /** Working directory; a postmaster and its children run inside their data directory. Null when unreadable. */
  readonly cwd: string | null;
}

const PS_TIMEOUT_MS = 5_000;
const hasProcFs = process.platform === 'linux';

/** True while a process with this PID exists (including one owned by another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive and not a zombie: a zombie holds its PID but no longer runs, sockets and files are closed. */
export async function isProcessRunning(pid: number): Promise<boolean> {
  if (!isProcessAlive(pid)) return false;
  const info = await inspectProcess(pid);
  return info !== null && info.state !== 'Z';
}

/** Parses /proc/<pid>/stat; the command name may contain spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): { state: string; ppid: number } | null {
  const end = text.lastIndexOf(')');
  if (end < 0) return null;
  const fields = text
    .slice(end + 2)
    .trim()
    .split(/\s+/);
  const state = fields[0];
  const ppid = Number(fields[1]);
  if (state === undefined || state === '' || !Number.isInteger(ppid)) return null;
  return { state, ppid };
}

/** @returns null once the process is gone */
export async function inspectProcess(pid: number): Promise<ProcessInfo | null> {
  return hasProcFs ? inspectWithProcFs(pid) : inspectWithPs(pid);
}

export function isPostgresExecutable(argv: readonly string[]): boolean {
  const name = basename(argv[0] ?? '');
  return name === 'postgres' || name === 'postmaster';
}

/**
 * PIDs of every process whose working directory is `dir` (Linux only; elsewhere an empty list).
 * The postmaster and all its children chdir into the data directory, so this finds them all.
 */
export async function findProcessesInDirectory(dir: string): Promise<number[]> {
  if (!hasProcFs) return [];
  const entries = await readdir('/proc');
  const found: number[] = [];
  await Promise.all(
    entries
      .filter((entry) => /^[0-9]+$/.test(entry))
      .map(async (entry) => {
        const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => null);
        if (cwd === dir) found.push(Number(entry));
      }),
  );
  return found.sort((a, b) => a - b);
}

async function inspectWithProcFs(pid: number): Promise<ProcessInfo | null> {
  let stat: { state: string; ppid: number } | null;
  let cmdline: string;
  try {
    stat = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
    cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
  if (stat === null) return null;
  const argv = cmdline.split('\0').filter((arg, i, all) => !(arg === '' && i === all.length - 1));
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => null);
  return { pid, ppid: stat.ppid, state: stat.state, argv, cwd };
}

async function inspectWithPs(pid: number): Promise<ProcessInfo | null> {
  const out = await new Promise<string | null>((resolve) => {
    execFile(
      'ps',
      ['-o', 'ppid=,stat=,args=', '-p', String(pid)],
      { timeout: PS_TIMEOUT_MS },
      (error, stdout) => resolve(error ? null : stdout),
    );
  });
  const match = out?.trim().match(/^(\d+)\s+(\S+)\s+(.*)$/);
  if (!match) return null;
  // ps joins argv with spaces; good enough to recognise the executable and a `-D <dir>` without spaces.
  return {
    pid,
    ppid: Number(match[1]),
    state: (match[2] ?? '?').charAt(0),
    argv: (match[3] ?? '').split(' '),
    cwd: null,
  };
}
