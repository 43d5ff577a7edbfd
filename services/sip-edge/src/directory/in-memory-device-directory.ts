import type { DeviceCredentials, DeviceDirectory, DeviceKey } from './device-credentials';

/** A device directory in a Map: for unit tests and tools. */
export class InMemoryDeviceDirectory implements DeviceDirectory {
  readonly #devices = new Map<string, DeviceCredentials>();
  readonly #domains = new Set<string>();
  /** How many lookups reached the directory (tests assert caching in front of it). */
  lookups = 0;

  put(device: DeviceCredentials): void {
    this.#domains.add(device.domain.toLowerCase());
    this.#devices.set(`${device.domain.toLowerCase()}\n${device.username}`, device);
  }

  addDomain(domain: string): void {
    this.#domains.add(domain.toLowerCase());
  }

  remove(username: string, domain: string): void {
    this.#devices.delete(`${domain.toLowerCase()}\n${username}`);
  }

  find(username: string, domain: string): DeviceCredentials | undefined {
    this.lookups += 1;
    return this.#devices.get(`${domain.toLowerCase()}\n${username}`);
  }

  hasDomain(domain: string): boolean {
    return this.#domains.has(domain.toLowerCase());
  }

  knownDomain(domain: string): boolean {
    return this.#domains.has(domain.toLowerCase());
  }

  async findUncached(key: DeviceKey): Promise<DeviceCredentials | undefined> {
    return Promise.resolve(this.find(key.username, key.domain));
  }

  invalidate(): void {
    // Nothing cached.
  }
}
