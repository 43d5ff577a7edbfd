import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as the Standard Webhooks specification defines them
 * (https://www.standardwebhooks.com): the secret is `whsec_<base64 key>`; the signed content is
 * `<webhook-id>.<webhook-timestamp>.<body>`; `webhook-signature` holds `v1,<base64 HMAC-SHA256>`
 * entries separated by spaces (two while a rotated secret is still honoured). Receivers reject
 * a timestamp further than REPLAY_TOLERANCE_S from their clock, so a captured request cannot be
 * replayed later, and deduplicate on `webhook-id` (the CloudEvents id, the same on every retry).
 */
export const SECRET_PREFIX = 'whsec_';
export const REPLAY_TOLERANCE_S = 300;

export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new TypeError(`a webhook secret starts with ${SECRET_PREFIX}`);
  }
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** A new secret from `bytes` random bytes (24-64, Standard Webhooks). */
export function formatSecret(bytes: Uint8Array): string {
  if (bytes.length < 24 || bytes.length > 64) {
    throw new RangeError('a webhook secret has 24 to 64 random bytes');
  }
  return `${SECRET_PREFIX}${Buffer.from(bytes).toString('base64')}`;
}

/** One `v1,<base64>` signature of a message. */
export function signatureOf(secret: string, id: string, timestampS: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestampS}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** The three headers of one attempt, signed with every given secret (current first). */
export function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestampS: number,
  body: string,
): Record<string, string> {
  return {
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(timestampS),
    [WEBHOOK_HEADERS.signature]: secrets.map((s) => signatureOf(s, id, timestampS, body)).join(' '),
  };
}

export type VerifyFailure = 'missing-headers' | 'stale-timestamp' | 'bad-signature';

/**
 * What a receiver does, in the platform's own words: the reference for partners and the check
 * the tests run on every delivery they receive.
 */
export function verifySignature(
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  nowS: number,
  toleranceS = REPLAY_TOLERANCE_S,
): VerifyFailure | undefined {
  const id = headers[WEBHOOK_HEADERS.id];
  const timestamp = headers[WEBHOOK_HEADERS.timestamp];
  const signatures = headers[WEBHOOK_HEADERS.signature];
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return 'missing-headers';
  const timestampS = Number(timestamp);
  if (Math.abs(nowS - timestampS) > toleranceS) return 'stale-timestamp';
  const expected = Buffer.from(signatureOf(secret, id, timestampS, body));
  const matches = signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : 'bad-signature';
}
