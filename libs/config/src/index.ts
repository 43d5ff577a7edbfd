export { ConfigError, ConfigErrorCode } from './config.error';
export {
  ConfigField,
  type AnyConfigField,
  type FieldReading,
  type ValueDescriber,
  secret,
} from './config-field';
export {
  type IntOptions,
  LOG_LEVELS,
  type LogLevel,
  type PortRange,
  type UrlOptions,
  bool,
  brokers,
  enumOf,
  int,
  logLevel,
  path,
  port,
  portRange,
  text,
  url,
} from './field-builders';
export { type ConfigRule, type RuleContext, requires } from './config-rule';
export {
  type Config,
  type ConfigFields,
  type ConfigKey,
  type ConfigOf,
  ConfigSchema,
  configKey,
  defineSchema,
  extendSchema,
} from './config-schema';
export { type Environment, loadConfig } from './load-config';
export { SECRET_PLACEHOLDER, redactConfig } from './redact-config';
export { redactUrlCredentials } from './redact-url';
export { type ConfigErrorExit, EX_CONFIG, exitOnConfigError } from './exit-on-config-error';
export { type PlatformConfig, platformConfigSchema } from './platform-config.schema';
