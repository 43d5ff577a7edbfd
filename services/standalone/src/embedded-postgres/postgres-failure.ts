import { EmbeddedDatabaseErrorCode } from './embedded-database.error';

export interface PostgresFailure {
  readonly code: EmbeddedDatabaseErrorCode;
  readonly message: string;
}

/**
 * Turns the postmaster's last stderr lines into the reason an operator can act on. The server is
 * started with LC_MESSAGES=C, so these English texts are stable.
 */
export function classifyPostgresFailure(
  stderrTail: string,
  ctx: { port: number; clusterDir: string },
): PostgresFailure {
  const detail = stderrTail.trim() === '' ? '(no output)' : stderrTail.trim();
  if (/could not bind .*Address already in use/i.test(stderrTail)) {
    return {
      code: EmbeddedDatabaseErrorCode.PortInUse,
      message: `Port ${ctx.port} on 127.0.0.1 is already in use; choose another port or stop the process holding it.`,
    };
  }
  if (/pre-existing shared memory block .* is still in use/i.test(stderrTail)) {
    return {
      code: EmbeddedDatabaseErrorCode.DataDirInUse,
      message: `Processes of an earlier PostgreSQL server still use ${ctx.clusterDir}; stop them and retry. PostgreSQL said: ${detail}`,
    };
  }
  if (/lock file ".*postmaster\.pid" already exists/i.test(stderrTail)) {
    return {
      code: EmbeddedDatabaseErrorCode.DataDirInUse,
      message: `Another PostgreSQL server is running on ${ctx.clusterDir}. PostgreSQL said: ${detail}`,
    };
  }
  if (/has wrong ownership|has invalid permissions/i.test(stderrTail)) {
    return {
      code: EmbeddedDatabaseErrorCode.ClusterOwnership,
      message: `PostgreSQL refuses the ownership or mode of ${ctx.clusterDir} (it must belong to the user running the server, mode 0700). PostgreSQL said: ${detail}`,
    };
  }
  if (/database files are incompatible with server/i.test(stderrTail)) {
    return {
      code: EmbeddedDatabaseErrorCode.ClusterIncompatible,
      message: `${ctx.clusterDir} was created by another PostgreSQL major version; upgrade it with pg_upgrade or dump and restore it (it is left untouched). PostgreSQL said: ${detail}`,
    };
  }
  if (
    /execution of the PostgreSQL server is not permitted|cannot be run as root/i.test(stderrTail)
  ) {
    return {
      code: EmbeddedDatabaseErrorCode.StartFailed,
      message: `PostgreSQL refuses to run as root and no unprivileged user was used. PostgreSQL said: ${detail}`,
    };
  }
  return {
    code: EmbeddedDatabaseErrorCode.StartFailed,
    message: `PostgreSQL exited during start-up on ${ctx.clusterDir}. PostgreSQL said: ${detail}`,
  };
}
