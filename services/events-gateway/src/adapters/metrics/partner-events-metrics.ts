import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DispatchObserver } from '../../application/webhook-dispatcher';
import type { StreamObserver } from '../stream/event-stream-hub';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600, 3600];

/** Webhook deliveries and event streams, on the process's registry. */
export class PartnerEventsMetrics {
  readonly #deliveries: Counter<'outcome'>;
  readonly #attempt: Histogram;
  readonly #latency: Histogram;
  readonly #inFlight: Gauge;
  readonly #errors: Counter;
  readonly #streams: Gauge;
  readonly #streamEvents: Counter;
  readonly #streamsEnded: Counter<'reason'>;

  constructor(registry: Registry, depth: () => Promise<{ pending: number; dead: number }>) {
    const registers = [registry];
    this.#deliveries = new Counter({
      name: 'pbx_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered, retry (failed, will be retried), dead (dead-lettered)',
      labelNames: ['outcome'],
      registers,
    });
    this.#attempt = new Histogram({
      name: 'pbx_webhook_attempt_seconds',
      help: 'Duration of one webhook attempt, from sending to the end of the answer',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#latency = new Histogram({
      name: 'pbx_webhook_delivery_latency_seconds',
      help: "From an event's time to its delivery being acknowledged by the receiver",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#inFlight = new Gauge({
      name: 'pbx_webhook_in_flight',
      help: 'Webhooks this process is delivering to right now',
      registers,
    });
    this.#errors = new Counter({
      name: 'pbx_webhook_dispatch_errors_total',
      help: 'Dispatcher failures (database unreachable); the work is retried',
      registers,
    });
    new Gauge({
      name: 'pbx_webhook_queue_depth',
      help: 'Webhook deliveries waiting (pending) or dead-lettered (dead), all webhooks',
      labelNames: ['status'],
      registers,
      async collect(): Promise<void> {
        try {
          const { pending, dead } = await depth();
          this.set({ status: 'pending' }, pending);
          this.set({ status: 'dead' }, dead);
        } catch {
          // The database is down: /readyz says so; keep the last values.
        }
      },
    });
    this.#streams = new Gauge({
      name: 'pbx_event_streams',
      help: 'Event streams (SSE) open on this process',
      registers,
    });
    this.#streamEvents = new Counter({
      name: 'pbx_event_stream_events_total',
      help: 'Events sent on event streams',
      registers,
    });
    this.#streamsEnded = new Counter({
      name: 'pbx_event_streams_ended_total',
      help: 'Event streams ended, by reason: client-closed, too-slow, shutdown, error',
      labelNames: ['reason'],
      registers,
    });
  }

  dispatchObserver(onError: (error: unknown) => void): DispatchObserver {
    return {
      attempted: (step, durationMs, eventTime, now): void => {
        this.#deliveries.inc({ outcome: step });
        this.#attempt.observe(durationMs / 1000);
        if (step === 'delivered') {
          this.#latency.observe(Math.max(0, now.getTime() - eventTime.getTime()) / 1000);
        }
      },
      inFlight: (count): void => this.#inFlight.set(count),
      failed: (error): void => {
        this.#errors.inc();
        onError(error);
      },
    };
  }

  streamObserver(): StreamObserver {
    return {
      opened: (count): void => this.#streams.set(count),
      sent: (events): void => this.#streamEvents.inc(events),
      ended: (reason, count): void => {
        this.#streams.set(count);
        this.#streamsEnded.inc({ reason });
      },
    };
  }
}
