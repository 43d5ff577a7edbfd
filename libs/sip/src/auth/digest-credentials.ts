import { err, ok, type Result } from '@pbx/domain';

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
// RFC 3261 section 25.1 token characters.
const TOKEN_CHAR = /[A-Za-z0-9\-.!%*_+`'~]/;

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
    const start = this.position;
    for (;;) {
      const c = this.text[this.position];
      if (c === ' ' || c === '\t') {
        this.position += 1;
      } else if (
        c === '\r' &&
        this.text[this.position + 1] === '\n' &&
        isWsp(this.text[this.position + 2])
      ) {
        this.position += 3;
      } else {
        return this.position > start;
      }
    }
  }

  token(): string | undefined {
    const start = this.position;
    while (this.position < this.text.length && TOKEN_CHAR.test(this.text[this.position])) {
      this.position += 1;
    }
    return this.position > start ? this.text.slice(start, this.position) : undefined;
  }

  /** RFC 3261 quoted-string: qdtext and quoted-pair; no control characters but folding. */
  quotedString(): string | undefined {
    const start = this.position;
    this.position += 1;
    let result = '';
    while (this.position < this.text.length) {
      const c = this.text[this.position];
      const code = c.charCodeAt(0);
      if (c === '"') {
        this.position += 1;
        return result;
      }
      if (c === '\\') {
        const next = this.text[this.position + 1];
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): never CR or LF, and ASCII only.
        if (next === undefined || next === '\r' || next === '\n' || next.charCodeAt(0) > 0x7f) {
          break;
        }
        result += next;
        this.position += 2;
      } else if (c === '\r') {
        if (this.text[this.position + 1] !== '\n' || !isWsp(this.text[this.position + 2])) break;
        result += ' ';
        this.position += 3;
      } else if (c === '\t' || code >= 0x20) {
        if (code === 0x7f) break;
        result += c;
        this.position += 1;
      } else {
        break;
      }
    }
    this.position = start;
    return undefined;
  }
}

function isWsp(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}
