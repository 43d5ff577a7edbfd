import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Peer } from '@pbx/sip';
import type { TrunkDirectory, TrunkRoute } from '@pbx/telephony';

/**
 * Recognises calls from carriers by where they come from: the trunk's own host and port (a
 * carrier sends from the port it listens on), or one of its inbound addresses (`ip` for any
 * port, `ip:port` for one). Host names are resolved when the trunk list changes.
 */
export class TrunkMatcher {
  #exact = new Map<string, TrunkRoute>();
  #anyPort = new Map<string, TrunkRoute>();
  #refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: TrunkDirectory,
    private readonly log: Logger,
  ) {
    directory.onChange(() => {
      this.#refreshing = this.refresh();
    });
  }

  /** Resolves every trunk's addresses again; resolves when done. */
  async refresh(): Promise<void> {
    const exact = new Map<string, TrunkRoute>();
    const anyPort = new Map<string, TrunkRoute>();
    for (const trunk of this.directory.trunks()) {
      for (const address of await this.#resolve(trunk.host)) {
        exact.set(`${address}:${trunk.port}`, trunk);
      }
      for (const entry of trunk.inboundAddresses) {
        const m = /^(.*?)(?::(\d{1,5}))?$/.exec(entry.trim());
        if (!m) continue;
        for (const address of await this.#resolve(m[1])) {
          if (m[2] !== undefined) exact.set(`${address}:${m[2]}`, trunk);
          else anyPort.set(address, trunk);
        }
      }
    }
    this.#exact = exact;
    this.#anyPort = anyPort;
  }

  /** Waits for a refresh in progress (start-up, tests). */
  ready(): Promise<void> {
    return this.#refreshing;
  }

  match(source: Peer): TrunkRoute | undefined {
    return this.#exact.get(`${source.address}:${source.port}`) ?? this.#anyPort.get(source.address);
  }

  async #resolve(host: string): Promise<string[]> {
    if (isIP(host) !== 0) return [host];
    try {
      return (await lookup(host, { all: true, family: 4 })).map((a) => a.address);
    } catch (error) {
      this.log.warn(
        { host, err: error },
        'trunk host does not resolve; inbound calls from it are not recognised',
      );
      return [];
    }
  }
}
