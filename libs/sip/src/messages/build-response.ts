import { randomBytes } from 'node:crypto';
import { SIP_VERSION, SipHeaders, type SipRequest, type SipResponse } from './sip-message';

/** Default reason phrases (RFC 3261 section 21 and the RFCs that added codes). */
const REASONS: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  421: 'Extension Required',
  422: 'Session Interval Too Small',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 200 ? 'Progress' : status < 300 ? 'OK' : 'Error');
}

export interface ResponseOptions {
  readonly reason?: string;
  /** Added to To when the request's To has no tag (RFC 3261 8.2.6.2); ignored when it has one. */
  readonly toTag?: string;
  /** Extra header fields appended after the copied ones, in order. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer;
}

const TAG_PARAM = /;\s*tag\s*=/i;

// Random bytes drawn 4 KiB at a time: one call into OpenSSL per 512 tags instead of one per tag
// (a tag per response and a branch per request made it a hot spot of the REGISTER path).
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = POOL_BYTES;

/** `size` (at most 256) cryptographically random bytes from a pool refilled 4 KiB at a time. */
export function pooledRandomBytes(size: number): Buffer {
  if (size > 256) return randomBytes(size);
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return bytes;
}

/** A random tag or branch suffix: 16 hex digits (64 bits, RFC 3261 19.3 asks for 32 or more). */
export function randomToken(): string {
  if (poolOffset + 8 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const token = pool.toString('hex', poolOffset, poolOffset + 8);
  poolOffset += 8;
  return token;
}

/**
 * A response to `request` (RFC 3261 8.2.6): Via fields (all, in order), From, To, Call-ID and
 * CSeq copied; a To tag added for anything but 100 when the request had none; then `headers`.
 */
export function buildResponse(
  request: SipRequest,
  status: number,
  options: ResponseOptions = {},
): SipResponse {
  const headers = new SipHeaders();
  for (const f of request.headers.fields) {
    switch (f.key) {
      case 'via':
      case 'from':
      case 'call-id':
      case 'cseq':
        headers.fields.push(f);
        break;
      case 'to':
        headers.fields.push(
          status === 100 || TAG_PARAM.test(f.value)
            ? f
            : { ...f, value: `${f.value};tag=${options.toTag ?? randomToken()}` },
        );
        break;
      default:
        break;
    }
  }
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  return {
    kind: 'response',
    version: SIP_VERSION,
    status,
    reason: options.reason ?? reasonPhrase(status),
    headers,
    body: options.body ?? Buffer.alloc(0),
  };
}
