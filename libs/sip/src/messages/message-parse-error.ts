/**
 * Why a message was refused, with the status a server answers a request with (RFC 3261 8.2 and
 * 21.4). Responses that fail to parse are dropped silently (RFC 3261 18.1.2), whatever the code.
 */
export enum MessageParseErrorCode {
  BadStartLine = 'BAD_START_LINE',
  BadRequestUri = 'BAD_REQUEST_URI',
  RequestUriTooLong = 'REQUEST_URI_TOO_LONG',
  UnsupportedUriScheme = 'UNSUPPORTED_URI_SCHEME',
  UnsupportedVersion = 'UNSUPPORTED_VERSION',
  BadHeader = 'BAD_HEADER',
  MissingHeader = 'MISSING_HEADER',
  DuplicateHeader = 'DUPLICATE_HEADER',
  CSeqMismatch = 'CSEQ_MISMATCH',
  BadContentLength = 'BAD_CONTENT_LENGTH',
  TruncatedBody = 'TRUNCATED_BODY',
  MessageTooLarge = 'MESSAGE_TOO_LARGE',
  TooManyHeaders = 'TOO_MANY_HEADERS',
  HeaderLineTooLong = 'HEADER_LINE_TOO_LONG',
  Incomplete = 'INCOMPLETE',
}

export interface MessageParseError {
  readonly code: MessageParseErrorCode;
  readonly status: number;
  /** Reason phrase for the answer, e.g. "Bad Request (missing Call-ID)". */
  readonly reason: string;
  /** Name of the offending header, when one is to blame. */
  readonly header?: string;
}

/** Exhaustive mapping from code to the status of the answer. */
export function statusForParseError(code: MessageParseErrorCode): number {
  switch (code) {
    case MessageParseErrorCode.BadStartLine:
    case MessageParseErrorCode.BadRequestUri:
    case MessageParseErrorCode.BadHeader:
    case MessageParseErrorCode.MissingHeader:
    case MessageParseErrorCode.DuplicateHeader:
    case MessageParseErrorCode.CSeqMismatch:
    case MessageParseErrorCode.BadContentLength:
    case MessageParseErrorCode.TruncatedBody:
    case MessageParseErrorCode.TooManyHeaders:
    case MessageParseErrorCode.HeaderLineTooLong:
    case MessageParseErrorCode.Incomplete:
      return 400;
    case MessageParseErrorCode.RequestUriTooLong:
      return 414;
    case MessageParseErrorCode.UnsupportedUriScheme:
      return 416;
    case MessageParseErrorCode.UnsupportedVersion:
      return 505;
    case MessageParseErrorCode.MessageTooLarge:
      return 413;
    default:
      return assertUnreachable(code);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`unhandled parse error code ${String(value)}`);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  416: 'Unsupported URI Scheme',
  505: 'Version Not Supported',
};

export function parseError(
  code: MessageParseErrorCode,
  detail: string,
  header?: string,
): MessageParseError {
  const status = statusForParseError(code);
  const reason = `${REASONS[status]} (${detail})`;
  return header === undefined ? { code, status, reason } : { code, status, reason, header };
}
