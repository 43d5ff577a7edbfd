import {
  MessageParseErrorCode as Code,
  parseError,
  type MessageParseError,
} from './message-parse-error';

export interface StreamFramerOptions {
  /** Largest message (head and body); also bounds the bytes held for an incomplete one. */
  readonly maxMessageBytes?: number;
}

export type StreamFrame =
  /** One whole message, to hand to parseMessage with requireContentLength. */
  | { readonly kind: 'message'; readonly data: Buffer }
  /** RFC 5626 4.4.1: "ping" is CRLFCRLF (answer with a CRLF "pong"), "pong" a single CRLF. */
  | { readonly kind: 'keep-alive'; readonly type: 'ping' | 'pong' }
  /** Framing is lost: answer the status if possible, then close the connection. */
  | { readonly kind: 'error'; readonly error: MessageParseError };

const CL_RE = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)[ \t]*$/im;

/**
 * Frames SIP messages on a TCP/TLS byte stream (RFC 3261 18.3). Content-Length is mandatory on
 * streams; the buffer never holds more than maxMessageBytes of one incomplete message, so a slow
 * or malicious peer cannot grow it without bound. After an error the framer stays failed.
 *
 * A ping split between its two CRLFs across reads is reported as two pongs: telling them apart
 * would mean holding a lone CRLF back until more bytes come, delaying every pong.
 */
export class SipStreamFramer {
  private readonly maxBytes: number;
  private pending: Buffer | null = null;
  /** Where the search for the empty line resumes in `pending` (no quadratic rescans). */
  private scanFrom = 0;
  private failed: MessageParseError | null = null;

  constructor(options: StreamFramerOptions = {}) {
    this.maxBytes = options.maxMessageBytes ?? 65536;
  }

  get bufferedBytes(): number {
    return this.pending === null ? 0 : this.pending.length;
  }

  /** Feeds a chunk; returns the frames completed by it, in order. */
  push(chunk: Buffer): StreamFrame[] {
    const out: StreamFrame[] = [];
    if (this.failed !== null) {
      out.push({ kind: 'error', error: this.failed });
      return out;
    }
    let buf =
      this.pending === null || this.pending.length === 0
        ? chunk
        : Buffer.concat([this.pending, chunk]);
    while (buf.length > 0) {
      // Keep-alives and stray CRLFs between messages (RFC 3261 7.5).
      if (buf[0] === 13 || buf[0] === 10) {
        if (buf[0] === 13 && buf[1] === 10 && buf[2] === 13 && buf[3] === 10) {
          out.push({ kind: 'keep-alive', type: 'ping' });
          buf = buf.subarray(4);
          continue;
        }
        if (buf[0] === 13 && buf.length === 1) break;
        if (buf[0] === 13 && buf[1] === 10) {
          if (buf.length === 2 || (buf.length > 2 && buf[2] !== 13)) {
            out.push({ kind: 'keep-alive', type: 'pong' });
            buf = buf.subarray(2);
            continue;
          }
          if (buf.length === 3) break; // "\r\n\r": wait for the rest of a ping
        }
        buf = buf.subarray(1);
        continue;
      }
      const headEnd = this.findEmptyLine(buf);
      if (headEnd === null) {
        if (buf.length > this.maxBytes)
          return this.fail(out, Code.MessageTooLarge, 'header section too large');
        break;
      }
      const [lastLineEnd, bodyStart] = headEnd;
      const m = CL_RE.exec(buf.toString('latin1', 0, lastLineEnd));
      if (m === null)
        return this.fail(out, Code.MissingHeader, 'missing Content-Length on a stream');
      const cl = m[1];
      if (!/^\d{1,10}$/.test(cl))
        return this.fail(out, Code.BadContentLength, 'bad Content-Length');
      const total = bodyStart + Number(cl);
      if (total > this.maxBytes)
        return this.fail(out, Code.MessageTooLarge, `message exceeds ${this.maxBytes} bytes`);
      if (buf.length < total) break;
      out.push({ kind: 'message', data: buf.subarray(0, total) });
      buf = buf.subarray(total);
      this.scanFrom = 0;
    }
    // Copy the remainder so that a retained view never pins the caller's whole chunk.
    this.pending = buf.length === 0 ? null : Buffer.from(buf);
    return out;
  }

  private findEmptyLine(buf: Buffer): [number, number] | null {
    let pos = Math.max(0, this.scanFrom - 3);
    while (pos < buf.length) {
      const nl = buf.indexOf(10, pos);
      if (nl === -1) break;
      if (nl + 1 >= buf.length || (buf[nl + 1] === 13 && nl + 2 >= buf.length)) {
        pos = nl;
        break;
      }
      if (buf[nl + 1] === 10) return [nl, nl + 2];
      if (buf[nl + 1] === 13 && buf[nl + 2] === 10) return [nl, nl + 3];
      pos = nl + 1;
    }
    this.scanFrom = Math.max(pos, buf.length);
    return null;
  }

  private fail(out: StreamFrame[], code: Code, detail: string): StreamFrame[] {
    this.failed = parseError(code, detail);
    this.pending = null;
    out.push({ kind: 'error', error: this.failed });
    return out;
  }
}
