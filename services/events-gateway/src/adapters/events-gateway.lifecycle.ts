import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { PlatformConfig } from '@pbx/config';
import { DatabaseConnection, LOGGER, PLATFORM_CONFIG } from '@pbx/platform';
import { WebhookDispatcher } from '../application/webhook-dispatcher';
import { AUDIT_LOG_CHANNEL, WEBHOOK_QUEUE_CHANNEL } from './persistence/notification-channels';
import { DeliveryQueue } from './persistence/delivery-queue';
import { PgNotificationListener } from './persistence/pg-notification-listener';
import { EventStreamHub } from './stream/event-stream-hub';

const PURGE_INTERVAL_MS = 3600_000;
const DAY_MS = 86_400_000;

/**
 * Runs partner delivery with the process: once the database is up, the notification listener
 * (new deliveries wake the dispatcher, new audit entries wake their tenant's streams), the
 * dispatcher, and an hourly purge of delivered deliveries past the retention. On shutdown the
 * streams are told to reconnect elsewhere and the attempts under way finish.
 */
@Injectable()
export class EventsGatewayLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  readonly #log: Logger;
  #listener: PgNotificationListener | undefined;
  #purge: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    @Inject(DatabaseConnection) private readonly database: DatabaseConnection,
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
    @Inject(DeliveryQueue) private readonly queue: DeliveryQueue,
    @Inject(EventStreamHub) private readonly hub: EventStreamHub,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) log: Logger,
  ) {
    this.#log = log.child({ component: 'events-gateway' });
  }

  onApplicationBootstrap(): void {
    void this.database.start().then(
      () => this.startDelivery(),
      () => undefined,
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#purge);
    this.hub.closeAll();
    await this.dispatcher.stop();
    await this.#listener?.stop();
  }

  private startDelivery(): void {
    if (this.#stopped) return;
    const url = (this.database.dataSource.options as { url?: string }).url;
    if (url) {
      this.#listener = new PgNotificationListener(
        url,
        [WEBHOOK_QUEUE_CHANNEL, AUDIT_LOG_CHANNEL],
        {
          notified: (channel, payload): void => {
            if (channel === WEBHOOK_QUEUE_CHANNEL) this.dispatcher.wake();
            else this.hub.notify(payload);
          },
          connected: (): void => {
            this.dispatcher.wake();
            this.hub.wakeAll();
          },
        },
        this.#log,
      );
      this.#listener.start();
    }
    this.dispatcher.start();
    this.#purge = setInterval(() => void this.forget(), PURGE_INTERVAL_MS);
    this.#purge.unref();
    void this.forget();
  }

  private async forget(): Promise<void> {
    try {
      const cutoff = new Date(Date.now() - this.config.webhookRetentionDays * DAY_MS);
      const deleted = await this.queue.forgetDelivered(cutoff);
      if (deleted > 0)
        this.#log.info({ deleted }, 'deleted delivered webhook deliveries past retention');
    } catch (error) {
      this.#log.warn({ err: error }, 'purging old webhook deliveries failed; trying again later');
    }
  }
}
