import { secretKeysOf } from './config-registry';
import { redactUrlCredentials } from './redact-url';

/** What a secret field shows in `redactConfig` output. */
export const SECRET_PLACEHOLDER = '[secret]';

// For a config not made by loadConfig (a copy, a hand-built test object) no field is known to be
// secret, so keys that name a secret are masked by name.
const SECRET_LOOKING_KEY = /password|passwd|secret|token|credential|apikey|privatekey/i;

function maskUrls(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (Array.isArray(value)) return value.map(maskUrls);
  return value;
}

/**
 * A copy of a loaded config that is safe to log: secret fields that are set read `[secret]`, and
 * passwords in any URL are masked.
 */
export function redactConfig<C extends object>(config: C): Record<keyof C, unknown> {
  const secretKeys = secretKeysOf(config);
  const isSecret = (key: string): boolean => secretKeys?.has(key) ?? SECRET_LOOKING_KEY.test(key);
  const redacted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    redacted[key] = value !== undefined && isSecret(key) ? SECRET_PLACEHOLDER : maskUrls(value);
  }
  return redacted as Record<keyof C, unknown>;
}
