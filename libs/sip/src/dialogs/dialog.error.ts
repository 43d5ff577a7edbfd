import { CodedError } from '@pbx/domain';

/** A dialog cannot be built or used as asked (RFC 3261 12). */
export enum DialogErrorCode {
  /** The message that should create the dialog lacks a tag, Contact or valid header. */
  InvalidDialogMessage = 'dialog.invalid-message',
  /** A request the dialog cannot build (ACK/CANCEL via createRequest, a bad method or header). */
  InvalidRequest = 'dialog.invalid-request',
  /** The local CSeq would pass 2^31 - 1 (RFC 3261 8.1.1.5). */
  CSeqExhausted = 'dialog.cseq-exhausted',
}

export class DialogError extends CodedError<DialogErrorCode> {}
