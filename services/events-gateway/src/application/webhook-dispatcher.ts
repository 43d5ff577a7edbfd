import { nextStep, type NextStep, type RetryPolicy } from '../domain/retry-policy';
import type {
  ClaimedWebhook,
  DeliverySender,
  DispatchQueue,
  SentAttempt,
} from './webhook-dispatch.port';

export interface DispatcherOptions {
  /** Webhooks worked on at once (PBX_WEBHOOK_CONCURRENCY). */
  readonly concurrency: number;
  /** Longest sleep between two looks at the queue (PBX_WEBHOOK_POLL_MS). */
  readonly pollMs: number;
  readonly retry: RetryPolicy;
  /** Deliveries in a row to one webhook before it goes to the back of the line. */
  readonly fairness?: number;
  readonly random?: () => number;
  readonly now?: () => Date;
}

export interface DispatchObserver {
  attempted?(step: NextStep['kind'], durationMs: number, eventTime: Date, now: Date): void;
  inFlight?(count: number): void;
  failed?(error: unknown): void;
}

const MIN_SLEEP_MS = 20;

/**
 * Delivers queued webhook deliveries: claims due webhooks up to its concurrency and works on each
 * one delivery at a time, in queue order, so a receiver sees a call's events in order. It sleeps
 * until the next retry falls due (at most `pollMs`) and wakes at once when `wake()` is called,
 * which the process does when new deliveries are queued anywhere (PostgreSQL NOTIFY).
 */
export class WebhookDispatcher {
  readonly #working = new Set<Promise<void>>();
  readonly #fairness: number;
  readonly #random: () => number;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  /** The look at the queue under way, if any: stop() waits for it too. */
  #cycle: Promise<void> | undefined;
  #running = false;
  #again = false;
  #stopped = true;

  constructor(
    private readonly queue: DispatchQueue,
    private readonly sender: DeliverySender,
    private readonly options: DispatcherOptions,
    private readonly observer: DispatchObserver = {},
  ) {
    this.#fairness = options.fairness ?? 100;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? ((): Date => new Date());
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Looks at the queue now (coalesced: a look under way is followed by one more). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#cycle = this.cycle();
  }

  /** Claims nothing more and waits for the attempts under way (each bounded by its timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    // A claim answered after the stop is worked (or handed back) like any other: left alone, its
    // leases would keep every replica, a restarted one included, off those webhooks for a while.
    await this.#cycle;
    while (this.#working.size > 0) await Promise.allSettled([...this.#working]);
  }

  private async cycle(): Promise<void> {
    this.#running = true;
    let sleepMs = this.options.pollMs;
    try {
      do {
        this.#again = false;
        const free = this.options.concurrency - this.#working.size;
        // With every slot busy, a finishing worker wakes the dispatcher.
        if (free <= 0) break;
        const claimed = await this.queue.claim(free);
        for (const webhook of claimed) this.track(this.work(webhook));
        if (claimed.length < free) {
          const dueInMs = await this.queue.nextDueInMs();
          sleepMs =
            dueInMs === undefined
              ? this.options.pollMs
              : Math.min(this.options.pollMs, Math.max(MIN_SLEEP_MS, dueInMs));
        }
      } while (this.#again && !this.#stopped);
    } catch (error) {
      this.observer.failed?.(error);
    } finally {
      this.#running = false;
    }
    if (this.#stopped) return;
    if (this.#again) {
      this.wake();
      return;
    }
    this.#timer = setTimeout(() => this.wake(), sleepMs);
    this.#timer.unref();
  }

  private track(work: Promise<void>): void {
    this.#working.add(work);
    this.observer.inFlight?.(this.#working.size);
    void work.finally(() => {
      this.#working.delete(work);
      this.observer.inFlight?.(this.#working.size);
      this.wake();
    });
  }

  /** One webhook: its head, then the next while the lease is kept. Errors leave the lease to run out. */
  private async work(claimed: ClaimedWebhook): Promise<void> {
    try {
      let current: ClaimedWebhook | undefined = claimed;
      if (!current.head) {
        await this.queue.release(current.webhookId);
        return;
      }
      for (let sent = 1; current?.head; sent++) {
        const head = current.head;
        const started = performance.now();
        const attempt = await this.sender.send({
          url: current.url,
          secrets: current.secrets,
          eventId: head.eventId,
          body: head.body,
        });
        const now = this.#now();
        const step = withAnswer(
          nextStep(head.attempts + 1, attempt.result, this.options.retry, now, this.#random),
          attempt,
        );
        this.observer.attempted?.(step.kind, performance.now() - started, head.eventTime, now);
        current = await this.queue.record(current.webhookId, head, {
          step,
          status: attempt.result.kind === 'response' ? attempt.result.status : undefined,
          keepLease: !this.#stopped && sent < this.#fairness && step.kind !== 'retry',
        });
      }
    } catch (error) {
      this.observer.failed?.(error);
    }
  }
}

function withAnswer(step: NextStep, attempt: SentAttempt): NextStep {
  if (step.kind === 'delivered' || !attempt.answer) return step;
  return { ...step, error: `${step.error}: ${attempt.answer}` };
}
