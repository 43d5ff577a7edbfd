import { splitHeaderValues } from '../grammar/split-values';
import { canonicalHeaderName, headerKey, isListHeader } from './header-names';

export const SIP_VERSION = 'SIP/2.0';

/** One header field as received, in order; folding already replaced by a single SP. */
export interface HeaderField {
  /** Canonical name ("Call-ID" for "i" or "call-id"); unknown names as received. */
  readonly name: string;
  /** Lower-cased canonical name, the case-insensitive lookup key. */
  readonly key: string;
  readonly value: string;
}

/**
 * Header fields in wire order with case-insensitive lookup by canonical name. Plain data (an
 * array of fields) so that messages compare structurally and serialize without bookkeeping.
 */
export class SipHeaders {
  readonly fields: HeaderField[];

  constructor(fields: HeaderField[] = []) {
    this.fields = fields;
  }

  static of(pairs: readonly (readonly [string, string])[]): SipHeaders {
    const h = new SipHeaders();
    for (const [name, value] of pairs) h.append(name, value);
    return h;
  }

  append(name: string, value: string): void {
    this.fields.push({ name: canonicalHeaderName(name), key: headerKey(name), value });
  }

  /** Replaces every field of that name by one field at the position of the first. */
  set(name: string, value: string): void {
    const key = headerKey(name);
    const first = this.fields.findIndex((f) => f.key === key);
    const field = { name: canonicalHeaderName(name), key, value };
    if (first === -1) {
      this.fields.push(field);
      return;
    }
    this.fields[first] = field;
    for (let i = this.fields.length - 1; i > first; i--)
      if (this.fields[i].key === key) this.fields.splice(i, 1);
  }

  delete(name: string): void {
    const key = headerKey(name);
    for (let i = this.fields.length - 1; i >= 0; i--)
      if (this.fields[i].key === key) this.fields.splice(i, 1);
  }

  has(name: string): boolean {
    return this.first(name) !== undefined;
  }

  /** The value of the first field of that name. */
  get(name: string): string | undefined {
    return this.first(name)?.value;
  }

  /** Number of fields (not list values) of that name. */
  count(name: string): number {
    const key = headerKey(name);
    let n = 0;
    for (const f of this.fields) if (f.key === key) n++;
    return n;
  }

  /**
   * All values of that name in order: list headers (Via, Contact, Route, Allow...) are split at
   * top-level commas; other headers (WWW-Authenticate, Authorization, Date...) never are.
   */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const split = isListHeader(key);
    const out: string[] = [];
    for (const f of this.fields) {
      if (f.key !== key) continue;
      if (split) for (const v of splitHeaderValues(f.value)) out.push(v);
      else out.push(f.value);
    }
    return out;
  }

  private first(name: string): HeaderField | undefined {
    const key = headerKey(name);
    for (const f of this.fields) if (f.key === key) return f;
    return undefined;
  }
}

export interface SipRequest {
  readonly kind: 'request';
  readonly method: string;
  /** The Request-URI as on the wire; its parsed form is in ParsedMessage.requestUri. */
  readonly requestUri: string;
  readonly version: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;
