/**
 * Results of the RFC 3261 section 25 grammar parsers. Parsers never throw on bad input: a SIP
 * edge sees hostile bytes all day, and an exception per bad datagram costs a stack trace.
 */
export enum GrammarErrorCode {
  Empty = 'EMPTY',
  BadToken = 'BAD_TOKEN',
  BadUri = 'BAD_URI',
  BadEscape = 'BAD_ESCAPE',
  BadHost = 'BAD_HOST',
  BadPort = 'BAD_PORT',
  BadParameter = 'BAD_PARAMETER',
  BadQuotedString = 'BAD_QUOTED_STRING',
  BadNameAddr = 'BAD_NAME_ADDR',
  BadNumber = 'BAD_NUMBER',
  OutOfRange = 'OUT_OF_RANGE',
  BadVia = 'BAD_VIA',
  TrailingCharacters = 'TRAILING_CHARACTERS',
  BadDate = 'BAD_DATE',
}

export interface GrammarError {
  readonly code: GrammarErrorCode;
  readonly message: string;
  /** Offset in the parsed string where the problem was found. */
  readonly offset: number;
}

export type GrammarResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GrammarError };

export function ok<T>(value: T): GrammarResult<T> {
  return { ok: true, value };
}

export function fail<T>(code: GrammarErrorCode, message: string, offset: number): GrammarResult<T> {
  return { ok: false, error: { code, message, offset } };
}
