import type { ServerResponse } from 'node:http';
import { toCloudEvent } from '../../domain/cloud-event';
import type { EventTypeFilter } from '../../domain/event-type-filter';
import type { AuditLogReader } from '../persistence/audit-log-reader';

export interface SseSessionOptions {
  readonly tenant: string;
  /** The last position the client has; it gets what follows. */
  readonly after: bigint;
  readonly filter: EventTypeFilter;
  readonly heartbeatMs: number;
  /** A client whose socket does not drain for this long is cut. */
  readonly stallTimeoutMs: number;
  readonly batchSize?: number;
  /** Called with how many events each batch sent (metrics). */
  readonly onSent?: (count: number) => void;
}

export type SessionEnd = 'client-closed' | 'too-slow' | 'shutdown' | 'error';

/** Reconnect delay suggested to EventSource clients (SSE `retry:`). */
const RETRY_MS = 2000;
const CUT_GRACE_MS = 1000;

/**
 * One Server-Sent Events stream of a tenant's events. It pulls from the audit log by position,
 * a batch at a time, and fetches the next batch only once the socket has taken the previous
 * one: a slow client makes it read slower, never buffer more (memory stays one batch), and one
 * that takes nothing for `stallTimeoutMs` is cut. Caught up, it waits for a wake (a new event of
 * the tenant) or sends a heartbeat comment and looks again. The SSE `id` is the position, which
 * an EventSource sends back as Last-Event-ID when it reconnects.
 */
export class SseSession {
  readonly #batchSize: number;
  #position: bigint;
  #ended: SessionEnd | undefined;
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly reader: AuditLogReader,
    private readonly options: SseSessionOptions,
  ) {
    this.#batchSize = options.batchSize ?? 100;
    this.#position = options.after;
    response.on('close', () => this.end('client-closed'));
    // A write racing the client's going away must not become an uncaught 'error'.
    response.on('error', () => this.end('client-closed'));
  }

  get tenant(): string {
    return this.options.tenant;
  }

  /** Runs until the stream ends; resolves with why. */
  async run(): Promise<SessionEnd> {
    this.response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    this.response.write(
      `retry: ${RETRY_MS}\n: events of tenant ${this.options.tenant} after position ${this.#position}\n\n`,
    );
    try {
      while (!this.#ended) {
        const events = await this.reader.after(
          this.options.tenant,
          this.#position,
          this.options.filter,
          this.#batchSize,
        );
        let drained = true;
        let written = 0;
        for (const event of events) {
          if (this.#ended) break;
          drained = this.response.write(
            `id: ${event.position}\ndata: ${JSON.stringify(toCloudEvent(event))}\n\n`,
          );
          this.#position = event.position;
          written++;
        }
        if (written > 0) this.options.onSent?.(written);
        if (!drained && !(await this.drained())) {
          this.cut();
          break;
        }
        if (events.length === this.#batchSize) continue;
        if ((await this.idle()) || this.#ended) continue;
        if (!this.response.write(': heartbeat\n\n') && !(await this.drained())) {
          this.cut();
          break;
        }
      }
    } catch {
      this.end('error');
      this.response.destroy();
    }
    return this.#ended ?? 'error';
  }

  /** New events of the tenant may be there. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Ends the stream from the server's side (shutdown), telling the client to reconnect. */
  close(): void {
    if (this.#ended) return;
    this.end('shutdown');
    this.response.end(': the server is shutting down; reconnect with Last-Event-ID\n\n');
    this.wake();
  }

  private end(reason: SessionEnd): void {
    this.#ended ??= reason;
    this.#wake?.();
  }

  /** Waits for a wake (true: look now) or the heartbeat interval (false: send a heartbeat). */
  private idle(): Promise<boolean> {
    if (this.#woken || this.#ended) {
      this.#woken = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve(false);
      }, this.options.heartbeatMs);
      this.#wake = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#woken = false;
        resolve(true);
      };
    });
  }

  /** Waits until the socket takes more; false when it did not within the stall timeout. */
  private drained(): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.response.off('drain', onDrain);
        this.#wake = undefined;
        resolve(ok);
      };
      const onDrain = (): void => done(true);
      const timer = setTimeout(() => done(false), this.options.stallTimeoutMs);
      this.response.once('drain', onDrain);
      // Woken while waiting only matters if the stream ended (client gone, shutdown).
      this.#wake = (): void => {
        if (this.#ended) done(true);
      };
    });
  }

  /** The client reads too slowly: say why (after what it has not read yet) and hang up. */
  private cut(): void {
    if (this.#ended) return;
    this.end('too-slow');
    this.response.end(
      `: closing: the client read nothing for ${this.options.stallTimeoutMs} ms; reconnect with Last-Event-ID\n\n`,
    );
    setTimeout(() => this.response.destroy(), CUT_GRACE_MS).unref();
  }
}
