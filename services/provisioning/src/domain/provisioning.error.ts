import { CodedError } from '@pbx/domain';
/** Error codes of provisioning; each transport maps them in one place (adapters/http). */
export enum ProvisioningErrorCode {
  TenantNotFound = 'TENANT_NOT_FOUND',
  UserNotFound = 'USER_NOT_FOUND',
  DeviceNotFound = 'DEVICE_NOT_FOUND',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Forbidden = 'FORBIDDEN',
  TenantAlreadyExists = 'TENANT_ALREADY_EXISTS',
  InvalidTenantName = 'INVALID_TENANT_NAME',
  InvalidDomain = 'INVALID_DOMAIN',
  InvalidArchitecture = 'INVALID_ARCHITECTURE',
  ArchitectureIsFixed = 'ARCHITECTURE_IS_FIXED',
  InvalidRequest = 'INVALID_REQUEST',
  VersionConflict = 'VERSION_CONFLICT',
  GroupNotFound = 'GROUP_NOT_FOUND',
  GroupAlreadyExists = 'GROUP_ALREADY_EXISTS',
  /** The group was deleted; its stream refuses every further command and its id is not reused. */
  GroupDeleted = 'GROUP_DELETED',
  /** A group spec (or its change against the current state) breaks rules; details.problems lists each with its path. */
  InvalidGroupSpec = 'INVALID_GROUP_SPEC',
  EnterpriseNotFound = 'ENTERPRISE_NOT_FOUND',
  EnterpriseAlreadyExists = 'ENTERPRISE_ALREADY_EXISTS',
  /** The enterprise was deleted; its stream refuses every further command and its name is not reused. */
  EnterpriseDeleted = 'ENTERPRISE_DELETED',
  /** An enterprise is deleted only once it has no groups; details.groups names them. */
  EnterpriseHasGroups = 'ENTERPRISE_HAS_GROUPS',
  /** An enterprise spec breaks rules; details.problems lists each with its path. */
  InvalidEnterpriseSpec = 'INVALID_ENTERPRISE_SPEC',
  /** No operator-wide trunk has that name (or it was removed). */
  TrunkNotFound = 'TRUNK_NOT_FOUND',
  /** A trunk spec breaks rules; details.problems lists each with its path. */
  InvalidTrunkSpec = 'INVALID_TRUNK_SPEC',
}

export class ProvisioningError extends CodedError<ProvisioningErrorCode> {}
