import { CodedError } from '@pbx/domain';

/** Error codes of partner event delivery; the HTTP adapter maps them in one place. */
export enum EventsGatewayErrorCode {
  /** A request breaks a rule of its own (body, query, header). */
  InvalidRequest = 'INVALID_REQUEST',
  /** No tenant the caller may act for has this id. */
  TenantNotFound = 'TENANT_NOT_FOUND',
  /** No webhook the caller may see has this id. */
  WebhookNotFound = 'WEBHOOK_NOT_FOUND',
  /** No delivery of that webhook has this id. */
  DeliveryNotFound = 'DELIVERY_NOT_FOUND',
  /** `If-Match` names a version the webhook no longer has. */
  VersionMismatch = 'VERSION_MISMATCH',
  /** This process serves as many event streams as it may. */
  TooManyStreams = 'TOO_MANY_STREAMS',
}

export class EventsGatewayError extends CodedError<EventsGatewayErrorCode> {}
