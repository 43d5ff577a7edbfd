import { err, ok, type Result } from '@pbx/domain';
import { isToken } from '../grammar/char-classes';

/**
 * Parser for Authorization / Proxy-Authorization values (RFC 3261 section 25.1 `credentials`,
 * RFC 7616 section 3.4). The input is hostile: it never throws, refuses duplicates (which of two
 * `response` values would we check?), and is bounded in length.
 */

export const MAX_DIGEST_CREDENTIALS_LENGTH = 4096;

export enum DigestCredentialsErrorCode {
  TooLong = 'too-long',
  NotDigest = 'not-digest',
  Malformed = 'malformed',
  DuplicateParameter = 'duplicate-parameter',
  MissingParameter = 'missing-parameter',
  InvalidParameter = 'invalid-parameter',
}

export interface DigestCredentialsError {
  readonly code: DigestCredentialsErrorCode;
  /** Lowercase parameter name, when one parameter is at fault. */
  readonly parameter?: string;
  /** Offset into the header value, for malformed input. */
  readonly position?: number;
}

export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  /** As sent; absent means MD5 (RFC 7616 section 3.4.2). */
  readonly algorithm?: string;
  readonly cnonce?: string;
  /** Lowercased token. */
  readonly qop?: string;
  /** 8 hex digits as sent; `nonceCount` is its value. */
  readonly nc?: string;
  readonly nonceCount?: number;
  readonly opaque?: string;
  /** Every parameter by lowercase name, extensions included. */
  readonly params: ReadonlyMap<string, string>;
}

export type DigestCredentialsResult = Result<DigestCredentials, DigestCredentialsError>;

const REQUIRED = ['username', 'realm', 'nonce', 'uri', 'response'] as const;
const NC_PATTERN = /^[0-9a-fA-F]{8}$/;

export function parseDigestCredentials(value: string): DigestCredentialsResult {
  if (typeof value !== 'string') return fail(DigestCredentialsErrorCode.Malformed, 0);
  if (value.length > MAX_DIGEST_CREDENTIALS_LENGTH) {
    return err({ code: DigestCredentialsErrorCode.TooLong });
  }
  const scanner = new Scanner(value);
  scanner.skipSpace();
  const scheme = scanner.token();
  if (scheme === undefined || scheme.toLowerCase() !== 'digest') {
    return err({ code: DigestCredentialsErrorCode.NotDigest });
  }
  if (!scanner.skipSpace()) return fail(DigestCredentialsErrorCode.Malformed, scanner.position);

  const params = new Map<string, string>();
  for (;;) {
    const name = scanner.token();
    if (name === undefined) return fail(DigestCredentialsErrorCode.Malformed, scanner.position);
    scanner.skipSpace();
    if (!scanner.take('=')) return fail(DigestCredentialsErrorCode.Malformed, scanner.position);
    scanner.skipSpace();
    const paramValue = scanner.peek() === '"' ? scanner.quotedString() : scanner.token();
    if (paramValue === undefined) {
      return fail(DigestCredentialsErrorCode.Malformed, scanner.position);
    }
    const key = name.toLowerCase();
    if (params.has(key)) {
      return err({ code: DigestCredentialsErrorCode.DuplicateParameter, parameter: key });
    }
    params.set(key, paramValue);
    scanner.skipSpace();
    if (scanner.atEnd()) break;
    if (!scanner.take(',')) return fail(DigestCredentialsErrorCode.Malformed, scanner.position);
    scanner.skipSpace();
  }
  return build(params);
}

function build(params: Map<string, string>): DigestCredentialsResult {
  for (const name of REQUIRED) {
    if (!params.has(name)) {
      return err({ code: DigestCredentialsErrorCode.MissingParameter, parameter: name });
    }
  }
  const nc = params.get('nc');
  if (nc !== undefined && !NC_PATTERN.test(nc)) {
    return err({ code: DigestCredentialsErrorCode.InvalidParameter, parameter: 'nc' });
  }
  const qop = params.get('qop');
  return ok({
    username: params.get('username') as string,
    realm: params.get('realm') as string,
    nonce: params.get('nonce') as string,
    uri: params.get('uri') as string,
    response: params.get('response') as string,
    algorithm: params.get('algorithm'),
    cnonce: params.get('cnonce'),
    qop: qop?.toLowerCase(),
    nc,
    nonceCount: nc === undefined ? undefined : Number.parseInt(nc, 16),
    opaque: params.get('opaque'),
    params,
  });
}

function fail(code: DigestCredentialsErrorCode, position: number): DigestCredentialsResult {
  return err({ code, position });
}

/** A cursor over the header value; each method consumes only on success. */
class Scanner {
  position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  take(char: string): boolean {
    if (this.text[this.position] !== char) return false;
    this.position += 1;
    return true;
  }

  /** SP / HTAB, and CRLF only as line folding (followed by SP / HTAB). Reports if any. */
  skipSpace(): boolean {
    const text = this.text;
    const start = this.position;
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) {
        i += 1;
      } else if (c === 13 && text.charCodeAt(i + 1) === 10 && isWsp(text.charCodeAt(i + 2))) {
        i += 3;
      } else {
        this.position = i;
        return i > start;
      }
    }
  }

  token(): string | undefined {
    const text = this.text;
    const start = this.position;
    let i = start;
    while (i < text.length && isToken(text.charCodeAt(i))) i += 1;
    this.position = i;
    return i > start ? text.slice(start, i) : undefined;
  }

  /**
   * RFC 3261 quoted-string: qdtext and quoted-pair; no control characters but folding. The usual
   * value (no escapes, no folding) is one slice; the rest is assembled piece by piece.
   */
  quotedString(): string | undefined {
    const text = this.text;
    const start = this.position;
    let i = start + 1;
    let result = '';
    let run = i;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        this.position = i + 1;
        return run === start + 1 ? text.slice(run, i) : result + text.slice(run, i);
      }
      if (code === 92) {
        const next = text.charCodeAt(i + 1);
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): never CR or LF, and ASCII only.
        if (Number.isNaN(next) || next === 13 || next === 10 || next > 0x7f) break;
        result += text.slice(run, i) + text[i + 1];
        i += 2;
        run = i;
      } else if (code === 13) {
        if (text.charCodeAt(i + 1) !== 10 || !isWsp(text.charCodeAt(i + 2))) break;
        result += `${text.slice(run, i)} `;
        i += 3;
        run = i;
      } else if (code === 9 || (code >= 0x20 && code !== 0x7f)) {
        i += 1;
      } else {
        break;
      }
    }
    return undefined;
  }
}

function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}
