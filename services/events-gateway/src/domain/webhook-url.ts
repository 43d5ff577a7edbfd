import { err, ok, type Result } from '@pbx/domain';
import { quoteInput } from './quote-input';

export const MAX_URL_LENGTH = 2000;

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function privateV4(address: string): boolean | undefined {
  const match = V4.exec(address);
  if (!match) return undefined;
  const [a, b] = [Number(match[1]), Number(match[2])];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/**
 * Whether an IP address is one a partner endpoint never has: loopback, private (RFC 1918, unique
 * local), carrier-grade NAT, link-local (cloud metadata services live at 169.254.169.254),
 * unspecified or multicast. Undefined for text that is not an IP address (a host name).
 */
export function isPrivateAddress(address: string): boolean | undefined {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = privateV4(host);
  if (v4 !== undefined) return v4;
  if (!host.includes(':')) return undefined;
  const mapped = /^(?:0{0,4}:){0,5}(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(host.replace(/^::/, ''));
  if (mapped) return privateV4(mapped[1]) ?? true;
  return (
    host === '::' ||
    host === '::1' ||
    /^f[cd][0-9a-f]{0,2}:/.test(host) ||
    /^fe[89ab][0-9a-f]?:/.test(host) ||
    host.startsWith('ff')
  );
}

/**
 * A webhook's endpoint: an absolute http or https URL without credentials or fragment. Unless
 * private URLs are allowed (PBX_WEBHOOK_ALLOW_PRIVATE_URLS, for a standalone platform next to its
 * receivers), an address in a private range or `localhost` is refused, so that a tenant cannot
 * make the platform call into the operator's own network. Host names are checked again when they
 * resolve, at every attempt.
 */
export function parseWebhookUrl(text: string, allowPrivate: boolean): Result<string, string> {
  if (text.length > MAX_URL_LENGTH) return err(`url: at most ${MAX_URL_LENGTH} characters`);
  if (!URL.canParse(text)) return err(`url: ${quoteInput(text)} is not an absolute URL`);
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return err(`url: only http and https URLs can receive webhooks, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    return err('url: credentials in the URL are not allowed; the signature authenticates us');
  }
  if (url.hash) return err('url: a fragment is never sent; leave it out');
  const host = url.hostname.toLowerCase();
  if (
    !allowPrivate &&
    (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host) === true)
  ) {
    return err(
      `url: ${quoteInput(host)} is a loopback, private or link-local address; webhooks go to public endpoints`,
    );
  }
  return ok(url.toString());
}
