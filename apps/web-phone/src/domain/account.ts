/** A device's SIP identity as the user types it: `alice@acme.example`. */
export interface Account {
  /** The device's SIP username (provisioning allows lowercase letters, digits, `.`, `_`, `-`). */
  readonly username: string;
  /** The group's SIP domain, lowercase. */
  readonly domain: string;
}

export type AccountParse =
  | { readonly ok: true; readonly account: Account }
  | { readonly ok: false; readonly message: string };

// Provisioning's own rules (group-spec.ts): a username outside them can never register, so the
// page says so before it opens a connection.
const SIP_USERNAME = /^[a-z0-9._-]{1,64}$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Reads `username@domain`; the domain is case-insensitive, the username is not. */
export function parseAccount(text: string): AccountParse {
  const trimmed = text.trim().replace(/^sips?:/i, '');
  const at = trimmed.lastIndexOf('@');
  if (trimmed === '')
    return { ok: false, message: 'Enter your SIP username, e.g. alice@acme.example.' };
  if (at <= 0 || at === trimmed.length - 1) {
    return { ok: false, message: 'Enter the username with its domain, e.g. alice@acme.example.' };
  }
  const username = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (!SIP_USERNAME.test(username)) {
    return {
      ok: false,
      message: 'The username may hold only lowercase letters, digits, ".", "_" and "-".',
    };
  }
  if (!DOMAIN.test(domain)) {
    return { ok: false, message: `"${domain.slice(0, 64)}" is not a domain name.` };
  }
  return { ok: true, account: { username, domain } };
}

export function aorText(account: Account): string {
  return `${account.username}@${account.domain}`;
}
