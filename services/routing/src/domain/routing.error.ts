import { CodedError } from '@pbx/domain';

/** Error codes of the routing area; each transport maps them in one place (adapters). */
export enum RoutingErrorCode {
  /** A request breaks a rule of its own (query shape, cursor). */
  InvalidRequest = 'INVALID_REQUEST',
  /** No group the caller may see has this id. */
  GroupNotFound = 'GROUP_NOT_FOUND',
  /** No call the caller may see has this id. */
  CallNotFound = 'CALL_NOT_FOUND',
  /** The caller's role may not do this. */
  Forbidden = 'FORBIDDEN',
}

export class RoutingError extends CodedError<RoutingErrorCode> {}
