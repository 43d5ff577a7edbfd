/** A webhook as stored, with its delivery state. */
export interface WebhookRecord {
  readonly id: string;
  readonly tenant: string;
  readonly url: string;
  readonly description: string;
  readonly eventTypes: readonly string[];
  readonly paused: boolean;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly consecutiveFailures: number;
  readonly lastError: string | null;
  readonly lastFailureAt: Date | null;
  readonly lastSuccessAt: Date | null;
  /** When the oldest pending delivery is tried next; null when nothing is pending. */
  readonly nextDueAt: Date | null;
  readonly pending: number;
  readonly dead: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface DeliveryRecord {
  readonly id: string;
  readonly seq: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly eventTime: Date;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastAttemptAt: Date | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: Date | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  /** The CloudEvent as sent; only when one delivery is read. */
  readonly body?: string;
}

export interface NewWebhook {
  readonly id: string;
  readonly tenant: string;
  readonly url: string;
  readonly description: string;
  readonly eventTypes: readonly string[];
  readonly secret: string;
}

export interface WebhookChanges {
  readonly url?: string;
  readonly description?: string;
  readonly eventTypes?: readonly string[];
  readonly paused?: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/** Where webhooks are kept, as the admin use cases need it. */
export interface WebhookStore {
  /** Whether the platform has seen any event of this tenant (it exists). */
  tenantKnown(tenant: string): Promise<boolean>;
  create(webhook: NewWebhook): Promise<WebhookRecord>;
  get(id: string): Promise<WebhookRecord | undefined>;
  list(tenant: string | undefined, limit: number, cursor?: string): Promise<Page<WebhookRecord>>;
  /** Undefined: no such webhook; 'version-mismatch' when `expectedVersion` is not current. */
  update(
    id: string,
    changes: WebhookChanges,
    expectedVersion?: number,
  ): Promise<WebhookRecord | 'version-mismatch' | undefined>;
  delete(id: string): Promise<boolean>;
  /** The new secret signs from now on; the previous one too until `previousUntil`. */
  rotateSecret(id: string, secret: string, previousUntil: Date): Promise<WebhookRecord | undefined>;
  deliveries(
    webhookId: string,
    status: DeliveryStatus | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<DeliveryRecord>>;
  delivery(webhookId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
  /** Dead deliveries (one, or all) back to pending with fresh attempts; returns how many. */
  redrive(webhookId: string, deliveryId?: string): Promise<number>;
}
