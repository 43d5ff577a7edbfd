import { writeQuotedString } from '../grammar/escapes';
import { CodedError } from '@pbx/domain';
import { isTokenString } from '../grammar/char-classes';
import { parseNameAddr } from '../grammar/name-addr';
import { parseUri } from '../grammar/uri';
import { MAX_CSEQ } from '../grammar/scalar-headers';
import { randomToken } from './build-response';
import { SIP_VERSION, SipHeaders, type SipRequest } from './sip-message';

/** A request the caller asked for cannot be built; nothing was sent. */
export enum RequestBuildErrorCode {
  InvalidMethod = 'request-build.invalid-method',
  InvalidUri = 'request-build.invalid-uri',
  InvalidAddress = 'request-build.invalid-address',
  InvalidDisplayName = 'request-build.invalid-display-name',
  InvalidTag = 'request-build.invalid-tag',
  InvalidCSeq = 'request-build.invalid-cseq',
  InvalidHeader = 'request-build.invalid-header',
  MissingContentType = 'request-build.missing-content-type',
}

export class RequestBuildError extends CodedError<RequestBuildErrorCode> {}

/** An address for From/To: a URI with an optional display name, or a complete name-addr. */
export type AddressInput =
  | { readonly uri: string; readonly displayName?: string }
  /** A ready header value such as `"Alice" <sip:alice@example.com>` (no tag), validated. */
  | { readonly value: string };

export interface BuildRequestOptions {
  readonly method: string;
  readonly requestUri: string;
  readonly from: AddressInput & { readonly tag: string };
  readonly to: AddressInput;
  /** A new random Call-ID when absent (RFC 3261 8.1.1.4). */
  readonly callId?: string;
  /** 0 .. 2^31-1 (RFC 3261 8.1.1.5). */
  readonly cseq: number;
  /** A Contact header value; a bare URI is put in "<>". */
  readonly contact?: string;
  /** Appended after the mandatory header fields, in order. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer | string;
  /** Required with a non-empty body (RFC 3261 20.15). */
  readonly contentType?: string;
}

/** True for characters that may not appear in a header value: CTLs but HTAB (RFC 3261 25.1). */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return true;
  }
  return false;
}

function fail(code: RequestBuildErrorCode, message: string, details = {}): never {
  throw new RequestBuildError(code, message, details);
}

/**
 * A display name as a quoted-string (RFC 3261 25.1): `"` and `\` escaped as quoted-pairs. Throws
 * RequestBuildError for control characters (a CR or LF would inject header fields).
 */
export function quoteDisplayName(displayName: string): string {
  if (hasControl(displayName))
    fail(RequestBuildErrorCode.InvalidDisplayName, 'display name has control characters');
  return writeQuotedString(displayName);
}

/** Throws RequestBuildError unless `name: value` is a safe header field (token name, no CR/LF). */
export function assertHeaderField(name: string, value: string): void {
  if (!isTokenString(name))
    fail(RequestBuildErrorCode.InvalidHeader, `header name ${JSON.stringify(name)} is not a token`);
  if (hasControl(value))
    fail(RequestBuildErrorCode.InvalidHeader, `${name} value has control characters`, { name });
}

function checkUri(uri: string, what: string): string {
  const r = hasControl(uri) || uri.includes('>') ? null : parseUri(uri);
  if (r === null || !r.ok)
    fail(RequestBuildErrorCode.InvalidUri, `${what} is not a valid URI`, { uri });
  return uri;
}

/** Formats an address as name-addr (`"Name" <uri>`, always with "<>"), validated. */
export function formatAddress(input: AddressInput, what: string): string {
  let value: string;
  if ('value' in input) {
    value = input.value;
    if (hasControl(value) || !parseNameAddr(value).ok)
      fail(RequestBuildErrorCode.InvalidAddress, `${what} is not a valid address`, { value });
  } else {
    const uri = checkUri(input.uri, `${what} URI`);
    const name = input.displayName;
    value = name === undefined || name === '' ? `<${uri}>` : `${quoteDisplayName(name)} <${uri}>`;
  }
  return value;
}

/**
 * An out-of-dialog request (RFC 3261 8.1.1): Max-Forwards 70, From with its tag, To without,
 * Call-ID, CSeq, Contact, the extra headers, Content-Type; no Via, which the transaction layer
 * adds. Throws RequestBuildError on bad input.
 */
export function buildRequest(options: BuildRequestOptions): SipRequest {
  const method = options.method;
  if (!isTokenString(method))
    fail(RequestBuildErrorCode.InvalidMethod, `method ${JSON.stringify(method)} is not a token`);
  const requestUri = checkUri(options.requestUri, 'Request-URI');
  if (!isTokenString(options.from.tag))
    fail(RequestBuildErrorCode.InvalidTag, 'the From tag must be a non-empty token');
  if (!Number.isInteger(options.cseq) || options.cseq < 0 || options.cseq > MAX_CSEQ)
    fail(RequestBuildErrorCode.InvalidCSeq, `CSeq must be an integer in 0..${MAX_CSEQ}`);
  const callId = options.callId ?? `${randomToken()}${randomToken()}`;
  if (callId === '' || hasControl(callId) || /\s/.test(callId))
    fail(RequestBuildErrorCode.InvalidHeader, 'Call-ID must be a non-empty word');
  const headers = new SipHeaders();
  headers.append('Max-Forwards', '70');
  headers.append('From', `${formatAddress(options.from, 'From')};tag=${options.from.tag}`);
  headers.append('To', formatAddress(options.to, 'To'));
  headers.append('Call-ID', callId);
  headers.append('CSeq', `${options.cseq} ${method}`);
  if (options.contact !== undefined) {
    const c = options.contact.trim();
    const contact =
      c.startsWith('<') || c.startsWith('"') || c === '*' ? c : `<${checkUri(c, 'Contact')}>`;
    assertHeaderField('Contact', contact);
    headers.append('Contact', contact);
  }
  appendExtra(headers, options.headers);
  const body =
    options.body === undefined
      ? Buffer.alloc(0)
      : typeof options.body === 'string'
        ? Buffer.from(options.body)
        : options.body;
  appendContentType(headers, body, options.contentType);
  return { kind: 'request', method, requestUri, version: SIP_VERSION, headers, body };
}

/** Appends validated extra header fields. */
export function appendExtra(
  headers: SipHeaders,
  extra: readonly (readonly [string, string])[] | undefined,
): void {
  for (const [name, value] of extra ?? []) {
    assertHeaderField(name, value);
    headers.append(name, value);
  }
}

/**
 * Sets Content-Type for a non-empty body, or checks that the extra headers had one (RFC 3261
 * 20.15); without a body `contentType` is ignored.
 */
export function appendContentType(
  headers: SipHeaders,
  body: Buffer,
  contentType: string | undefined,
): void {
  if (body.length === 0) return;
  if (contentType !== undefined) {
    assertHeaderField('Content-Type', contentType);
    headers.set('Content-Type', contentType);
  } else if (!headers.has('Content-Type')) {
    fail(RequestBuildErrorCode.MissingContentType, 'a body needs a Content-Type');
  }
}
