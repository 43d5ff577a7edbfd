import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The lock file PostgreSQL writes into its data directory (src/include/utils/pidfile.h): one value
 * per line: PID, data directory, start time, port, socket directory, listen address, shared memory
 * key, status. It is removed on a clean shutdown, so finding one before a start means the last
 * postmaster either still runs or died without cleaning up.
 */
export interface PostmasterPidFile {
  readonly pid: number;
  readonly dataDir: string;
  readonly port: number | null;
  /** `starting`, `stopping`, `ready` or `standby`; null while the postmaster is still writing it. */
  readonly status: string | null;
}

export type PostmasterPidFileRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed'; readonly text: string }
  | { readonly kind: 'valid'; readonly file: PostmasterPidFile };

export const POSTMASTER_PID_FILE = 'postmaster.pid';

/** Status written once the postmaster accepts connections (PM_STATUS_READY, padded in the file). */
export const POSTMASTER_STATUS_READY = 'ready';

export function parsePostmasterPidFile(text: string): PostmasterPidFile | null {
  const lines = text.split('\n');
  const pidText = (lines[0] ?? '').trim();
  // A negative PID marks a standalone backend (postgres --single); it is a valid lock too.
  if (!/^-?[1-9][0-9]*$/.test(pidText)) return null;
  const pid = Math.abs(Number(pidText));
  const dataDir = (lines[1] ?? '').trim();
  if (dataDir === '') return null;
  const portText = (lines[3] ?? '').trim();
  const port = /^[0-9]+$/.test(portText) ? Number(portText) : null;
  const status = (lines[7] ?? '').trim();
  return { pid, dataDir, port, status: status === '' ? null : status };
}

export async function readPostmasterPidFile(clusterDir: string): Promise<PostmasterPidFileRead> {
  let text: string;
  try {
    text = await readFile(join(clusterDir, POSTMASTER_PID_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  const file = parsePostmasterPidFile(text);
  return file === null ? { kind: 'malformed', text } : { kind: 'valid', file };
}
