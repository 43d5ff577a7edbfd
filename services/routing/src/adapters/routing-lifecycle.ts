import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { InProcessEventBus, type EventBus } from '@pbx/events';
import { DatabaseConnection, EVENT_BUS, LOGGER } from '@pbx/platform';
import { CallJournal } from '../application/call-journal';
import { CallRouter } from '../application/call-router';
import { DirectoryCache } from '../application/directory-cache';
import { readDirectory, type SqlRunner } from './projections/directory/directory-tables';

const SWEEP_INTERVAL_MS = 60_000;
/**
 * With several routing processes on Kafka each applies only the provisioning partitions it is
 * assigned; the others' changes reach its index through a periodic reload of the tables.
 */
const RELOAD_INTERVAL_MS = 60_000;
const LOAD_RETRY_MS = 1_000;

/**
 * Loads the directory into memory once the database is up (route() answers 503 until then),
 * ends calls left open, and on shutdown stores the calls' events still waiting.
 */
@Injectable()
export class RoutingLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  readonly #timers: NodeJS.Timeout[] = [];
  #stopped = false;
  readonly #log: Logger;

  constructor(
    @Inject(DatabaseConnection) private readonly database: DatabaseConnection,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(DirectoryCache) private readonly cache: DirectoryCache,
    @Inject(CallRouter) private readonly router: CallRouter,
    @Inject(CallJournal) private readonly journal: CallJournal,
    @Inject(LOGGER) log: Logger,
  ) {
    this.#log = log.child({ component: 'routing' });
  }

  onApplicationBootstrap(): void {
    void this.database.start().then(
      () => this.loadUntilDone(),
      () => undefined,
    );
    this.every(SWEEP_INTERVAL_MS, () => {
      this.router.sweep();
    });
    if (!(this.bus instanceof InProcessEventBus)) {
      this.every(RELOAD_INTERVAL_MS, () => {
        if (this.cache.loaded) void this.load().catch((e: unknown) => this.failed(e));
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    await this.journal.flush();
  }

  private every(ms: number, work: () => void): void {
    const timer = setInterval(work, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  private async loadUntilDone(): Promise<void> {
    while (!this.#stopped && !this.cache.loaded) {
      try {
        await this.load();
        const size = this.cache.index.size;
        this.#log.info(size, 'routing directory loaded');
      } catch (error) {
        this.failed(error);
        await new Promise((resolve) => setTimeout(resolve, LOAD_RETRY_MS).unref());
      }
    }
  }

  private load(): Promise<void> {
    return this.cache.reload(() =>
      readDirectory((work) =>
        this.database.dataSource.transaction((manager) =>
          work({ query: (sql, params) => manager.query(sql, params) } satisfies SqlRunner),
        ),
      ),
    );
  }

  private failed(error: unknown): void {
    this.#log.warn({ err: error }, 'loading the routing directory failed; retrying');
  }
}
