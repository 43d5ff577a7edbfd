import { CodedError } from '@pbx/domain';

/** Error codes of the web phone's session endpoint; mapped to HTTP in phone-error.filter.ts. */
export enum PhoneSessionErrorCode {
  /** The body is not `{username: "user@domain", password}`. */
  InvalidRequest = 'INVALID_REQUEST',
  /** Unknown device or wrong password: the answer does not tell which. */
  InvalidCredentials = 'INVALID_CREDENTIALS',
  /** Too many failures or requests from this address or for this device. */
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
}

export class PhoneSessionError extends CodedError<PhoneSessionErrorCode> {}
