import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ProjectionObserver, RelayObserver, StoredEvent } from '@pbx/events';

/** The process's Prometheus registry: Node process metrics plus the event backbone's. */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly eventsAppended: Counter<'topic'>;
  readonly relayPublished: Counter<'topic'>;
  readonly relayLag: Histogram;
  readonly relayErrors: Counter;
  readonly relayLeader: Gauge;
  readonly projectionApplied: Counter<'projection'>;
  readonly projectionErrors: Counter<'projection'>;
  readonly ready: Gauge<'check'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.eventsAppended = new Counter({
      name: 'pbx_events_appended_total',
      help: 'Events appended to the event store by this process',
      labelNames: ['topic'],
      registers,
    });
    this.relayPublished = new Counter({
      name: 'pbx_relay_events_published_total',
      help: 'Events the outbox relay published to the bus',
      labelNames: ['topic'],
      registers,
    });
    this.relayLag = new Histogram({
      name: 'pbx_relay_lag_seconds',
      help: 'Time from an event being recorded to the bus accepting it',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.relayErrors = new Counter({
      name: 'pbx_relay_errors_total',
      help: 'Failed relay attempts (bus or database unavailable); the batch is retried',
      registers,
    });
    this.relayLeader = new Gauge({
      name: 'pbx_relay_leader',
      help: '1 while this process holds the relay lock',
      registers,
    });
    this.projectionApplied = new Counter({
      name: 'pbx_projection_events_applied_total',
      help: 'Events applied to read models',
      labelNames: ['projection'],
      registers,
    });
    this.projectionErrors = new Counter({
      name: 'pbx_projection_errors_total',
      help: 'Failed projection handlers (the event is redelivered)',
      labelNames: ['projection'],
      registers,
    });
    this.ready = new Gauge({
      name: 'pbx_ready',
      help: 'Readiness of each dependency (1 reachable, 0 not)',
      labelNames: ['check'],
      registers,
    });
  }

  countAppended(events: readonly StoredEvent[]): void {
    for (const event of events) this.eventsAppended.inc({ topic: event.topic });
  }

  relayObserver(): RelayObserver {
    return {
      relayed: (events, publishedAt): void => {
        for (const event of events) {
          this.relayPublished.inc({ topic: event.topic });
          this.relayLag.observe(Math.max(0, publishedAt.getTime() - event.time.getTime()) / 1000);
        }
      },
      failed: (): void => this.relayErrors.inc(),
      leadershipChanged: (leader): void => this.relayLeader.set(leader ? 1 : 0),
    };
  }

  projectionObserver(): ProjectionObserver {
    return {
      applied: (projection): void => this.projectionApplied.inc({ projection }),
      failed: (projection): void => this.projectionErrors.inc({ projection }),
    };
  }
}
