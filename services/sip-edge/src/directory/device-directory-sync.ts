import type { DeviceCredentials, DeviceKey } from './device-credentials';
import type { DirectoryTouched } from './device-directory.projection';

/** The directory as the sync needs it: drop cached entries, read the truth. */
export interface SyncedDirectory {
  invalidate(keys: readonly DeviceKey[], domains: readonly string[]): void;
  findUncached(key: DeviceKey): Promise<DeviceCredentials | undefined>;
}

/** Whoever holds registrations: the registrar drops a removed device's bindings. */
export interface DeviceBindingsDropper {
  dropDevice(username: string, domain: string): Promise<number>;
}

export interface SyncLog {
  error(message: string): void;
}

/**
 * Follows committed directory changes (the projection's `onCommitted`): drops the cached
 * entries, then drops the registrations of every touched (domain, username) that no longer
 * names a device (DeviceRemoved, GroupDeleted, or a domain change that moved it). It judges by
 * the directory as committed, so replaying an old DeviceRemoved of a device added again since
 * leaves its registrations alone.
 */
export class DeviceDirectorySync {
  #running: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: SyncedDirectory,
    private readonly bindings: DeviceBindingsDropper,
    private readonly log: SyncLog,
  ) {}

  /** Runs changes one after the other, so that a later change is never judged first. */
  handle(touched: DirectoryTouched): Promise<void> {
    this.directory.invalidate(touched.keys, touched.domains);
    this.#running = this.#running.then(() => this.#dropRemoved(touched.keys));
    return this.#running;
  }

  async #dropRemoved(keys: readonly DeviceKey[]): Promise<void> {
    const seen = new Set<string>();
    for (const key of keys) {
      const id = `${key.domain}\n${key.username}`;
      if (seen.has(id)) continue;
      seen.add(id);
      try {
        if ((await this.directory.findUncached(key)) === undefined) {
          await this.bindings.dropDevice(key.username, key.domain);
        }
      } catch (error) {
        this.log.error(
          `could not drop the registrations of ${key.username}@${key.domain}: ${String(error)}`,
        );
      }
    }
  }
}
