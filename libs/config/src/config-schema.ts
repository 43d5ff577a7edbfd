import type { AnyConfigField, ConfigField } from './config-field';
import { ConfigError, ConfigErrorCode } from './config.error';
import type { ConfigRule } from './config-rule';

/** Fields by environment variable name: `{ PBX_HTTP_PORT: port().default(8080) }`. */
export type ConfigFields = Readonly<Record<string, AnyConfigField>>;

type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Rest}`
  ? `${Lowercase<Head>}${Capitalize<SnakeToCamel<Rest>>}`
  : Lowercase<S>;

/** The config key of a variable: `PBX_` dropped, then camelCase (`PBX_HTTP_PORT` -> `httpPort`). */
export type ConfigKey<Name extends string> = SnakeToCamel<
  Name extends `PBX_${infer Rest}` ? Rest : Name
>;

type FieldOutput<F> = F extends ConfigField<infer _T, infer Out> ? Out : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The loaded, frozen config of a field set. */
export type Config<F extends ConfigFields> = Simplify<
  { readonly [Name in keyof F & string as ConfigKey<Name>]: FieldOutput<F[Name]> } & {
    /** `PBX_*` variables no field reads, most likely typos: log a warning naming them. */
    readonly unknownVariables: readonly string[];
  }
>;

/** The config type a schema loads: `type SipEdgeConfig = ConfigOf<typeof sipEdgeConfigSchema>`. */
export type ConfigOf<S> = S extends ConfigSchema<infer F> ? Config<F> : never;

const VARIABLE_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const RESERVED_KEY = 'unknownVariables';

/** Runtime twin of the `ConfigKey` type. */
export function configKey(name: string): string {
  return name
    .replace(/^PBX_/, '')
    .split('_')
    .map((word, index) => {
      const lower = word.toLowerCase();
      return index === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join('');
}

/** A validated set of fields and cross-field rules. Build one with `defineSchema`/`extendSchema`. */
export class ConfigSchema<F extends ConfigFields> {
  private constructor(
    readonly fields: F,
    readonly rules: readonly ConfigRule<keyof F & string>[],
  ) {}

  /** Checks names once, at definition, so that a bad schema fails when its module loads. */
  static define<F extends ConfigFields>(
    fields: F,
    rules: readonly ConfigRule<keyof F & string>[],
  ): ConfigSchema<F> {
    const problems: string[] = [];
    const names = Object.keys(fields);
    const byKey = new Map<string, string>();
    for (const name of names) {
      if (!VARIABLE_NAME.test(name))
        problems.push(`${name} is not an UPPER_SNAKE_CASE variable name`);
      const key = configKey(name);
      if (key === RESERVED_KEY) problems.push(`${name} maps to the reserved key ${RESERVED_KEY}`);
      const clash = byKey.get(key);
      if (clash !== undefined) problems.push(`${clash} and ${name} both map to the key ${key}`);
      byKey.set(key, name);
    }
    for (const rule of rules) {
      for (const name of rule.names) {
        if (!(name in fields))
          problems.push(`a rule names ${name}, which is not a field of the schema`);
      }
    }
    if (problems.length > 0) throw new ConfigError(ConfigErrorCode.InvalidSchema, problems);
    return new ConfigSchema(Object.freeze({ ...fields }), Object.freeze([...rules]));
  }
}

/** Defines a schema from fields keyed by variable name, plus rules across them. */
export function defineSchema<const F extends ConfigFields>(
  fields: F,
  rules: readonly ConfigRule<keyof F & string>[] = [],
): ConfigSchema<F> {
  return ConfigSchema.define(fields, rules);
}

/**
 * A service's schema: the base's fields and rules plus its own. A field named like one of the base
 * replaces it (a service may choose another default port); the base's rules still apply.
 */
export function extendSchema<B extends ConfigFields, const F extends ConfigFields>(
  base: ConfigSchema<B>,
  fields: F,
  rules: readonly ConfigRule<(keyof B | keyof F) & string>[] = [],
): ConfigSchema<Simplify<Omit<B, keyof F> & F>> {
  const merged = { ...base.fields, ...fields } as Simplify<Omit<B, keyof F> & F>;
  return ConfigSchema.define(merged, [...base.rules, ...rules] as ConfigRule<
    keyof typeof merged & string
  >[]);
}
