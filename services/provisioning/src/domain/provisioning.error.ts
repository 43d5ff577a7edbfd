/** Error codes of provisioning; each transport maps them in one place (adapters/http). */
export enum ProvisioningErrorCode {
  TenantNotFound = 'TENANT_NOT_FOUND',
  TenantAlreadyExists = 'TENANT_ALREADY_EXISTS',
  InvalidTenantName = 'INVALID_TENANT_NAME',
  InvalidDomain = 'INVALID_DOMAIN',
  InvalidArchitecture = 'INVALID_ARCHITECTURE',
  ArchitectureIsFixed = 'ARCHITECTURE_IS_FIXED',
  InvalidRequest = 'INVALID_REQUEST',
  VersionConflict = 'VERSION_CONFLICT',
}

export class ProvisioningError extends Error {
  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}
