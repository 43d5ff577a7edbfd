import { CodedError } from '@pbx/domain';

/** Error codes of the events library; transports map them to their own statuses. */
export enum EventsErrorCode {
  WrongExpectedVersion = 'WRONG_EXPECTED_VERSION',
  InvalidEvent = 'INVALID_EVENT',
  BusUnavailable = 'BUS_UNAVAILABLE',
  StoreUnavailable = 'STORE_UNAVAILABLE',
}

export class EventsError extends CodedError<EventsErrorCode> {}
