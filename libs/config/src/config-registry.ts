// Which keys of a loaded config are secret, kept beside the config rather than in it so that the
// config stays a plain frozen object and `redactConfig` needs nothing but the config.
const secretKeysByConfig = new WeakMap<object, ReadonlySet<string>>();

export function registerSecretKeys(config: object, keys: ReadonlySet<string>): void {
  secretKeysByConfig.set(config, keys);
}

export function secretKeysOf(config: object): ReadonlySet<string> | undefined {
  return secretKeysByConfig.get(config);
}
