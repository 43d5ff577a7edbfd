import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, stat } from 'node:fs/promises';
import { EmbeddedDatabaseError, EmbeddedDatabaseErrorCode } from './embedded-database.error';

/** Contents of `<dataDir>/postgres.credentials.json`, the only place the superuser password lives. */
export interface ClusterCredentials {
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export const SUPERUSER = 'postgres';
export const APP_DATABASE = 'pbx';
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates the file's JSON: it is read at every start and a hand edit must fail clearly. */
export function parseClusterCredentials(text: string, file: string): ClusterCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(file, 'it is not JSON', error);
  }
  if (typeof value !== 'object' || value === null) throw invalid(file, 'it is not an object');
  const record = value as Record<string, unknown>;
  const { user, password, database } = record;
  if (typeof user !== 'string' || !IDENTIFIER.test(user))
    throw invalid(file, '"user" must be a lower-case SQL identifier');
  if (typeof password !== 'string' || password.length < 16)
    throw invalid(file, '"password" must be a string of at least 16 characters');
  if (typeof database !== 'string' || !IDENTIFIER.test(database))
    throw invalid(file, '"database" must be a lower-case SQL identifier');
  return { user, password, database };
}

function invalid(file: string, why: string, cause?: unknown): EmbeddedDatabaseError {
  return new EmbeddedDatabaseError(
    EmbeddedDatabaseErrorCode.CredentialsInvalid,
    `${file} is invalid: ${why}. Restore it from a backup; the cluster's password cannot be recovered from the data folder.`,
    { cause },
  );
}

export async function readClusterCredentials(file: string): Promise<ClusterCredentials | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const credentials = parseClusterCredentials(text, file);
  // The file holds a superuser password: keep it private even if someone loosened its mode.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return credentials;
}

/** Creates the file atomically (temp file, fsync, rename) with mode 0600 and a fresh random password. */
export async function createClusterCredentials(file: string): Promise<ClusterCredentials> {
  const credentials: ClusterCredentials = {
    user: SUPERUSER,
    password: randomBytes(24).toString('base64url'),
    database: APP_DATABASE,
  };
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(credentials, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  return credentials;
}
