/** The mask written over a URL's password. */
export const PASSWORD_MASK = '***';

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
// Greedy up to the last "@" so that an unencoded "@" in a password is masked too; on a string
// that also has "@" after the host this over-masks, which is the safe direction.
const USER_AND_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):.*@/i;
const BARE_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]+@/i;
const PASSWORD_PARAMS = /([?&](?:password|passwd|pwd|sslpassword|secret|token)=)[^&#]*/gi;

/** True when the text starts like a URL (`scheme://`). */
export function looksLikeUrl(text: string): boolean {
  return URL_LIKE.test(text);
}

export interface RedactUrlOptions {
  /** Also mask a user part with no password (`redis://token@host`), as for secret fields. */
  readonly maskBareUserinfo?: boolean;
}

/**
 * Masks the password of a URL (`user:***@`) and password-like query parameters. Works on the raw
 * text, so that malformed URLs, which are the ones shown in error messages, are masked too.
 */
export function redactUrlCredentials(text: string, options: RedactUrlOptions = {}): string {
  if (!looksLikeUrl(text)) return text;
  let masked = text.replace(USER_AND_PASSWORD, `$1:${PASSWORD_MASK}@`);
  if (masked === text && options.maskBareUserinfo === true) {
    masked = text.replace(BARE_USERINFO, `$1${PASSWORD_MASK}@`);
  }
  return masked.replace(PASSWORD_PARAMS, `$1${PASSWORD_MASK}`);
}
