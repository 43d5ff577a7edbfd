import { lookup } from 'node:dns/promises';
import type {
  DeliverySender,
  OutgoingDelivery,
  SentAttempt,
} from '../../application/webhook-dispatch.port';
import { CLOUDEVENTS_JSON } from '../../domain/cloud-event';
import { signedHeaders } from '../../domain/webhook-signature';
import { isPrivateAddress } from '../../domain/webhook-url';

export interface WebhookSenderOptions {
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  readonly clock?: () => number;
}

const USER_AGENT = 'pbx-webhooks/1';
/** How long a host name's address check is reused: a lookup per delivery would cost each one. */
const LOOKUP_TTL_MS = 30_000;
const LOOKUP_CACHE_SIZE = 1000;
const ANSWER_BYTES = 2048;
const ANSWER_CHARS = 200;

/** The first bytes of a body, as printable text; the rest is left unread (and the socket freed). */
async function readStart(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, ANSWER_CHARS);
}

function networkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}: ${cause.message ?? 'network error'}`;
  // undici's own refusals (a port fetch never uses, a bad URL) say why in the cause's message.
  return cause?.message || (error as Error).message || 'network error';
}

/**
 * One attempt of one delivery: a signed POST of the CloudEvent in structured mode with Node's
 * fetch (undici, connections kept alive per origin), bounded by the per-attempt timeout from
 * connect to the end of the answer. Redirects are not followed: the signature was made for this
 * URL, and a redirect could lead anywhere.
 */
export class WebhookSender implements DeliverySender {
  readonly #clock: () => number;
  /** Host name → why it is refused ('' when it is fine), and until when that holds. */
  readonly #checked = new Map<string, { refused: string; until: number }>();

  constructor(private readonly options: WebhookSenderOptions) {
    this.#clock = options.clock ?? Date.now;
  }

  async send(delivery: OutgoingDelivery): Promise<SentAttempt> {
    const refused = await this.refusePrivate(delivery.url);
    if (refused) return { result: { kind: 'network-error', message: refused } };
    const timestampS = Math.floor(this.#clock() / 1000);
    // Signed outside the try: a fault here is a bug to surface, not a network error to retry.
    const headers = {
      'content-type': CLOUDEVENTS_JSON,
      'user-agent': USER_AGENT,
      ...signedHeaders(delivery.secrets, delivery.eventId, timestampS, delivery.body),
    };
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const answer = await readStart(response);
      return {
        result: {
          kind: 'response',
          status: response.status,
          retryAfter: response.headers.get('retry-after') ?? undefined,
        },
        answer,
      };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
        return { result: { kind: 'timeout', timeoutMs: this.options.timeoutMs } };
      }
      return { result: { kind: 'network-error', message: networkError(error) } };
    }
  }

  /**
   * A host name is checked where it resolves now, not only when the webhook was made: a name can
   * be pointed at a private address later. (fetch resolves again; a name that changes between
   * the two lookups on purpose is the remaining gap, closed by egress rules in production.)
   */
  private async refusePrivate(url: string): Promise<string | undefined> {
    if (this.options.allowPrivate) return undefined;
    const host = new URL(url).hostname;
    const literal = isPrivateAddress(host);
    if (literal !== undefined) return literal ? `${host} is a private address` : undefined;
    const cached = this.#checked.get(host);
    if (cached && cached.until > this.#clock()) return cached.refused || undefined;
    let refused = '';
    try {
      const addresses = await lookup(host, { all: true });
      const blocked = addresses.find((a) => isPrivateAddress(a.address));
      if (blocked) refused = `${host} resolves to the private address ${blocked.address}`;
    } catch (error) {
      // Not cached: the next attempt looks again.
      return `${host} does not resolve (${(error as { code?: string }).code ?? 'error'})`;
    }
    if (this.#checked.size >= LOOKUP_CACHE_SIZE) this.#checked.clear();
    this.#checked.set(host, { refused, until: this.#clock() + LOOKUP_TTL_MS });
    return refused || undefined;
  }
}
