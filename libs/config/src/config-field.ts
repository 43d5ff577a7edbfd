import type { z } from 'zod';
import { redactUrlCredentials } from './redact-url';

type Presence<T> =
  | { readonly kind: 'required' }
  | { readonly kind: 'optional' }
  | { readonly kind: 'default'; readonly value: T };

/** How an offending raw value is shown after "got ": already quoted, or a phrase. */
export type ValueDescriber = (raw: string, secret: boolean) => string;

export type FieldReading<Out> =
  { readonly ok: true; readonly value: Out } | { readonly ok: false; readonly problem: string };

const MAX_SHOWN = 120;

/** Quotes a raw value for an error line; JSON escaping keeps the line a single line. */
export function quoteValue(raw: string): string {
  const shown = raw.length > MAX_SHOWN ? `${raw.slice(0, MAX_SHOWN)}...` : raw;
  return JSON.stringify(redactUrlCredentials(shown));
}

export const describeValue: ValueDescriber = (raw, secret) =>
  secret ? 'an invalid value' : quoteValue(raw);

/**
 * One environment variable: how to parse its text, whether it may be absent, whether it is secret.
 * `T` is the parsed type, `Out` what the loaded config holds (`T`, or `T | undefined` if optional).
 * Immutable: `optional()`, `default()` and `asSecret()` return new fields.
 */
export class ConfigField<T, Out extends T | undefined = T> {
  private constructor(
    /** Parses a trimmed, non-empty value; every issue message is an expectation ("a port number 1-65535"). */
    private readonly schema: z.ZodType<T, string>,
    private readonly presence: Presence<T>,
    readonly isSecret: boolean,
    private readonly describe: ValueDescriber,
  ) {}

  /** A required field; builders (`port()`, `url()`...) are the usual way to get one. */
  static of<T>(
    schema: z.ZodType<T, string>,
    describe: ValueDescriber = describeValue,
  ): ConfigField<T> {
    return new ConfigField<T>(schema, { kind: 'required' }, false, describe);
  }

  optional(): ConfigField<T, T | undefined> {
    return new ConfigField<T, T | undefined>(
      this.schema,
      { kind: 'optional' },
      this.isSecret,
      this.describe,
    );
  }

  default(value: T): ConfigField<T, T> {
    return new ConfigField<T, T>(
      this.schema,
      { kind: 'default', value },
      this.isSecret,
      this.describe,
    );
  }

  asSecret(): ConfigField<T, Out> {
    return new ConfigField<T, Out>(this.schema, this.presence, true, this.describe);
  }

  /**
   * Reads the variable `name`. Surrounding white space is dropped (secrets mounted from files often
   * end in a newline) and an empty value counts as unset, as `FOO=` in a compose file means.
   */
  read(name: string, raw: string | undefined): FieldReading<Out> {
    const text = raw?.trim() ?? '';
    if (text === '') return this.readAbsent(name);
    const result = this.schema.safeParse(text);
    if (result.success) return { ok: true, value: result.data as Out };
    const expectation = result.error.issues[0]?.message ?? 'valid';
    return {
      ok: false,
      problem: `${name} must be ${expectation}, got ${this.describe(text, this.isSecret)}`,
    };
  }

  private readAbsent(name: string): FieldReading<Out> {
    switch (this.presence.kind) {
      case 'required':
        return { ok: false, problem: `${name} is required` };
      case 'optional':
        return { ok: true, value: undefined as Out };
      case 'default':
        return { ok: true, value: this.presence.value as Out };
    }
  }
}

/** Any field, whatever its types; what schemas are made of. */
export type AnyConfigField = ConfigField<unknown, unknown>;

/** Marks a field as secret: its value never appears in an error nor in `redactConfig` output. */
export function secret<T, Out extends T | undefined>(
  field: ConfigField<T, Out>,
): ConfigField<T, Out> {
  return field.asSecret();
}
