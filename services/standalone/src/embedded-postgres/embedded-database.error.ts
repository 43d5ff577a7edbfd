/** Why the embedded PostgreSQL could not be started or stopped; one code per thing an operator can fix. */
export enum EmbeddedDatabaseErrorCode {
  InvalidOptions = 'EMBEDDED_DB_INVALID_OPTIONS',
  UnsupportedPlatform = 'EMBEDDED_DB_UNSUPPORTED_PLATFORM',
  BinariesMissing = 'EMBEDDED_DB_BINARIES_MISSING',
  PostgresUserMissing = 'EMBEDDED_DB_POSTGRES_USER_MISSING',
  DataDirNotWritable = 'EMBEDDED_DB_DATA_DIR_NOT_WRITABLE',
  DataDirNotAccessible = 'EMBEDDED_DB_DATA_DIR_NOT_ACCESSIBLE',
  ClusterOwnership = 'EMBEDDED_DB_CLUSTER_OWNERSHIP',
  ClusterDirNotEmpty = 'EMBEDDED_DB_CLUSTER_DIR_NOT_EMPTY',
  ClusterIncompatible = 'EMBEDDED_DB_CLUSTER_INCOMPATIBLE',
  CredentialsMissing = 'EMBEDDED_DB_CREDENTIALS_MISSING',
  CredentialsInvalid = 'EMBEDDED_DB_CREDENTIALS_INVALID',
  InitFailed = 'EMBEDDED_DB_INIT_FAILED',
  PortInUse = 'EMBEDDED_DB_PORT_IN_USE',
  DataDirInUse = 'EMBEDDED_DB_DATA_DIR_IN_USE',
  OrphanStopFailed = 'EMBEDDED_DB_ORPHAN_STOP_FAILED',
  StartFailed = 'EMBEDDED_DB_START_FAILED',
  StartTimeout = 'EMBEDDED_DB_START_TIMEOUT',
  DatabaseSetupFailed = 'EMBEDDED_DB_DATABASE_SETUP_FAILED',
  StopFailed = 'EMBEDDED_DB_STOP_FAILED',
}

export class EmbeddedDatabaseError extends Error {
  constructor(
    readonly code: EmbeddedDatabaseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmbeddedDatabaseError';
  }
}
