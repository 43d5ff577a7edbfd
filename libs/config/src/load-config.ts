import { ConfigError, ConfigErrorCode } from './config.error';
import type { RuleContext } from './config-rule';
import { type Config, type ConfigFields, type ConfigSchema, configKey } from './config-schema';
import { registerSecretKeys } from './config-registry';

/** The environment to read; `process.env` fits. */
export type Environment = Readonly<Record<string, string | undefined>>;

const UNKNOWN_PREFIX = 'PBX_';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads and validates every field of `schema` from `env`, then checks the rules, and returns the
 * frozen config; throws one ConfigError listing every problem, fields first in schema order.
 * This is the one place that reads `process.env`.
 */
export function loadConfig<F extends ConfigFields>(
  schema: ConfigSchema<F>,
  env: Environment = process.env,
): Config<F> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const output: Record<string, unknown> = {};
  const secretKeys = new Set<string>();

  for (const [name, field] of Object.entries(schema.fields)) {
    const key = configKey(name);
    if (field.isSecret) secretKeys.add(key);
    const reading = field.read(name, env[name]);
    if (reading.ok) {
      values[name] = reading.value;
      output[key] = reading.value;
    } else {
      problems.push(reading.problem);
    }
  }

  const context: RuleContext = {
    values,
    isSet: (name) => values[name] !== undefined || (env[name]?.trim() ?? '') !== '',
  };
  for (const rule of schema.rules) {
    const problem = rule.check(context);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(ConfigErrorCode.InvalidEnvironment, problems);

  output.unknownVariables = Object.keys(env)
    .filter((name) => name.startsWith(UNKNOWN_PREFIX) && !(name in schema.fields))
    .sort();
  const config = deepFreeze(output);
  registerSecretKeys(config, secretKeys);
  return config as Config<F>;
}
