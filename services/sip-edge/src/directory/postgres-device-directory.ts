import type { MaybePromise } from '@pbx/domain';
import type { DeviceCredentials, DeviceDirectory, DeviceKey } from './device-credentials';
import { TtlCache } from './ttl-cache';

/** The one method the directory needs of a DataSource (or of a pool). */
export interface SqlQueryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface PostgresDeviceDirectoryOptions {
  /**
   * How long an entry is trusted. The instance running the projection drops entries as it
   * applies changes; others see a change within this time. Default 5 s.
   */
  readonly ttlMs?: number;
  /**
   * How long past the TTL an entry in use is still served while it reloads in the background,
   * so that a device's REGISTER or INVITE never waits on PostgreSQL for a device it knows (a
   * busy database had kept 1% of calls waiting 100-500 ms). A change then counts from the first
   * request after the TTL that finds the reload done. Default 60 s.
   */
  readonly staleMs?: number;
  readonly maxEntries?: number;
  /**
   * How long the reloads of stale entries in use are gathered before one query reads them all.
   * Default 250 ms. (One query per device every TTL was 200 queries a second for 1,000 phones
   * registering at 10,000 REGISTERs a second.) Loads somebody waits for go out at once.
   */
  readonly reloadGatherMs?: number;
  /** Monotonic milliseconds; performance.now by default. */
  readonly now?: () => number;
}

interface DeviceRow {
  domain: string;
  username: string;
  tenant_id: string;
  group_id: string;
  device_id: string;
  owner_extension: string;
  realm: string;
  ha1_md5: string | null;
  ha1_sha256: string | null;
}

const DEVICE_COLUMNS =
  'domain, username, tenant_id, group_id, device_id, owner_extension, realm, ha1_md5, ha1_sha256';

/**
 * The device directory read from `sip_edge_devices`, cached in memory: a REGISTER refresh (the
 * bulk of a registrar's load) is answered without touching PostgreSQL. Unknown devices and
 * domains are cached too, so a flood of guesses costs one query per name per TTL.
 */
export class PostgresDeviceDirectory implements DeviceDirectory {
  readonly #devices: TtlCache<DeviceCredentials | undefined>;
  readonly #domains: TtlCache<boolean>;
  readonly #reloadGatherMs: number;
  /** Device loads waiting to be read together, and when they go. */
  #waiting: WaitingLoad[] = [];
  #flush: { readonly timer: NodeJS.Timeout | NodeJS.Immediate; readonly soon: boolean } | null =
    null;

  constructor(
    private readonly db: SqlQueryable,
    options: PostgresDeviceDirectoryOptions = {},
  ) {
    const cacheOptions = {
      ttlMs: options.ttlMs ?? 5_000,
      staleMs: options.staleMs ?? 60_000,
      maxEntries: options.maxEntries ?? 200_000,
      now: options.now ?? ((): number => performance.now()),
    };
    this.#reloadGatherMs = options.reloadGatherMs ?? 250;
    this.#devices = new TtlCache(cacheOptions);
    this.#domains = new TtlCache({ ...cacheOptions, maxEntries: 20_000 });
  }

  find(username: string, domain: string): MaybePromise<DeviceCredentials | undefined> {
    const d = domain.toLowerCase();
    return this.#devices.get(`${d}\n${username}`, (background) =>
      this.#loadTogether({ domain: d, username }, background),
    );
  }

  hasDomain(domain: string): MaybePromise<boolean> {
    const d = domain.toLowerCase();
    return this.#domains.get(d, async () => {
      const rows = (await this.db.query('SELECT 1 FROM sip_edge_groups WHERE domain = $1 LIMIT 1', [
        d,
      ])) as unknown[];
      return rows.length > 0;
    });
  }

  knownDomain(domain: string): boolean | undefined {
    return this.#domains.peek(domain.toLowerCase())?.value;
  }

  /** Straight from PostgreSQL, bypassing the cache. */
  async findUncached(key: DeviceKey): Promise<DeviceCredentials | undefined> {
    return (await this.#findMany([key])).get(deviceKeyText(key));
  }

  /**
   * Queues a device's load to be read with the others: a load somebody waits for goes out in
   * the next turn of the event loop, with whatever else waits; background reloads wait up to
   * reloadGatherMs for company.
   */
  #loadTogether(key: DeviceKey, background: boolean): Promise<DeviceCredentials | undefined> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ key, resolve, reject });
      if (this.#flush !== null && (this.#flush.soon || background)) return;
      if (this.#flush !== null) clearTimeout(this.#flush.timer as NodeJS.Timeout);
      this.#flush = background
        ? { timer: setTimeout(() => this.#loadWaiting(), this.#reloadGatherMs), soon: false }
        : { timer: setImmediate(() => this.#loadWaiting()), soon: true };
      // A gathering wait must not keep a process that is otherwise done alive.
      if (background) (this.#flush.timer as NodeJS.Timeout).unref();
    });
  }

  #loadWaiting(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#flush = null;
    for (let i = 0; i < waiting.length; i += MAX_DEVICES_PER_QUERY) {
      const batch = waiting.slice(i, i + MAX_DEVICES_PER_QUERY);
      this.#findMany(batch.map((w) => w.key)).then(
        (found) => {
          for (const w of batch) w.resolve(found.get(deviceKeyText(w.key)));
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error);
        },
      );
    }
  }

  async #findMany(keys: readonly DeviceKey[]): Promise<Map<string, DeviceCredentials>> {
    const rows = (await this.db.query(
      `SELECT ${DEVICE_COLUMNS} FROM sip_edge_devices
        WHERE (domain, username) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [keys.map((k) => k.domain), keys.map((k) => k.username)],
    )) as DeviceRow[];
    return new Map(rows.map((row) => [deviceKeyText(row), toCredentials(row)]));
  }

  /** Drops what the cache holds for these devices and domains. */
  invalidate(keys: readonly DeviceKey[], domains: readonly string[] = []): void {
    for (const key of keys) this.#devices.invalidate(deviceKeyText(key));
    for (const domain of domains) this.#domains.invalidate(domain);
  }

  /** Forgets every cached entry (e.g. after a rebuild of the projection). */
  clear(): void {
    this.#devices.clear();
    this.#domains.clear();
  }
}

const MAX_DEVICES_PER_QUERY = 1_000;

interface WaitingLoad {
  readonly key: DeviceKey;
  readonly resolve: (device: DeviceCredentials | undefined) => void;
  readonly reject: (error: unknown) => void;
}

function deviceKeyText(key: { readonly domain: string; readonly username: string }): string {
  return `${key.domain}\n${key.username}`;
}

function toCredentials(row: DeviceRow): DeviceCredentials {
  return {
    tenantId: row.tenant_id,
    groupId: row.group_id,
    deviceId: row.device_id,
    username: row.username,
    domain: row.domain,
    ownerExtension: row.owner_extension,
    realm: row.realm,
    ha1: {
      ...(row.ha1_md5 === null ? {} : { md5: row.ha1_md5 }),
      ...(row.ha1_sha256 === null ? {} : { sha256: row.ha1_sha256 }),
    },
  };
}
