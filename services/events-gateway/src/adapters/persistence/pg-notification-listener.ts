import { Client } from 'pg';
import type { Logger } from 'pino';

export interface NotificationHandlers {
  notified(channel: string, payload: string): void;
  /** (Re)connected: notifications sent while disconnected are lost, so look at the tables. */
  connected(): void;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * One PostgreSQL connection per process that LISTENs on the events-gateway channels and hands
 * notifications on; reconnects with backoff when the connection drops. Everything it wakes also
 * polls, so a lost notification delays work, never loses it.
 */
export class PgNotificationListener {
  #client: Client | undefined;
  readonly #gone = new WeakSet<Client>();
  #stopped = false;
  #retryMs = RETRY_MIN_MS;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly channels: readonly string[],
    private readonly handlers: NotificationHandlers,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.#stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.#stopped) return;
    const client = new Client({ connectionString: this.url });
    client.on('notification', (message) =>
      this.handlers.notified(message.channel, message.payload ?? ''),
    );
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN "${channel}"`);
      if (this.#stopped) {
        await client.end();
        return;
      }
      this.#client = client;
      this.#retryMs = RETRY_MIN_MS;
      this.handlers.connected();
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error: unknown): void {
    // 'error' and 'end' may both come for one connection: handle it once.
    if (this.#stopped || this.#gone.has(client)) return;
    this.#gone.add(client);
    if (this.#client === client) this.#client = undefined;
    void client.end().catch(() => undefined);
    this.log.warn(
      { err: error, retryInMs: this.#retryMs },
      'lost the notification connection; reconnecting (work is polled meanwhile)',
    );
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.connect(), this.#retryMs);
    this.#timer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
  }
}
