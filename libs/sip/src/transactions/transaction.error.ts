import { CodedError } from '@pbx/domain';

/**
 * Misuse of the transaction layer by its transaction user (a bug in the caller, never bad input
 * from the network: malformed or unexpected messages are dropped or answered, not thrown).
 */
export enum TransactionErrorCode {
  /** A state machine was asked for a move its RFC 3261 17 diagram does not have. */
  IllegalTransition = 'transaction.illegal-transition',
  /** respond() after the final response (RFC 3261 17.2.1, 17.2.2). */
  AlreadyAnswered = 'transaction.already-answered',
  /** respond() on a request that has no server transaction (an ACK, RFC 3261 17.1.1.3). */
  NotAnswerable = 'transaction.not-answerable',
  /** A response that is not a valid answer (status outside 100-699). */
  InvalidResponse = 'transaction.invalid-response',
  /** A request the layer cannot send as asked (ACK through sendRequest, CANCEL of a non-INVITE). */
  InvalidRequest = 'transaction.invalid-request',
  /** T1, T2 or T4 is not a positive integer, or T2 < T1. */
  InvalidTimers = 'transaction.invalid-timers',
  /** The layer was closed. */
  Closed = 'transaction.closed',
}

export class TransactionError extends CodedError<TransactionErrorCode> {}
