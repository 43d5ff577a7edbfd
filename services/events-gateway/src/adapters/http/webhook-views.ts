import type {
  DeliveryRecord,
  Page,
  WebhookRecord,
} from '../../application/webhooks/webhook-store.port';
import { healthOf, type WebhookHealth } from '../../domain/webhook-health';

export interface WebhookView {
  readonly id: string;
  readonly tenant: string;
  readonly url: string;
  readonly description: string;
  readonly eventTypes: readonly string[];
  /** healthy, failing (retrying its oldest delivery), or paused by its owner. */
  readonly state: WebhookHealth;
  readonly paused: boolean;
  /** Failed attempts since the last success. */
  readonly consecutiveFailures: number;
  readonly lastError: string | null;
  readonly lastFailureAt: string | null;
  readonly lastSuccessAt: string | null;
  /** When the oldest pending delivery is tried next; null with nothing pending or paused. */
  readonly nextAttemptAt: string | null;
  readonly pendingDeliveries: number;
  readonly deadDeliveries: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface DeliveryView {
  readonly id: string;
  /** Position in the webhook's queue: deliveries go out in this order. */
  readonly seq: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly eventTime: string;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  /** Set for the queue's head while it waits for its next retry. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  /** The CloudEvent as sent (one delivery only). */
  readonly event?: unknown;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export function webhookView(webhook: WebhookRecord): WebhookView {
  return {
    id: webhook.id,
    tenant: webhook.tenant,
    url: webhook.url,
    description: webhook.description,
    eventTypes: webhook.eventTypes,
    state: healthOf(webhook),
    paused: webhook.paused,
    consecutiveFailures: webhook.consecutiveFailures,
    lastError: webhook.lastError,
    lastFailureAt: iso(webhook.lastFailureAt),
    lastSuccessAt: iso(webhook.lastSuccessAt),
    nextAttemptAt: webhook.paused || webhook.pending === 0 ? null : iso(webhook.nextDueAt),
    pendingDeliveries: webhook.pending,
    deadDeliveries: webhook.dead,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
    version: webhook.version,
  };
}

export function deliveryView(delivery: DeliveryRecord): DeliveryView {
  return {
    id: delivery.id,
    seq: delivery.seq,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    eventTime: delivery.eventTime.toISOString(),
    status: delivery.status,
    attempts: delivery.attempts,
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    createdAt: delivery.createdAt.toISOString(),
    finishedAt: iso(delivery.finishedAt),
    ...(delivery.body === undefined ? {} : { event: JSON.parse(delivery.body) as unknown }),
  };
}

export function pageView<T, V>(
  page: Page<T>,
  view: (item: T) => V,
): { items: V[]; nextCursor?: string } {
  return {
    items: page.items.map(view),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
