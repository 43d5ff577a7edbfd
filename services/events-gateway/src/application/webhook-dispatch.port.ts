import type { AttemptResult, NextStep } from '../domain/retry-policy';

/** The oldest pending delivery of a webhook: the only one that may be tried. */
export interface HeadDelivery {
  readonly id: string;
  readonly seq: string;
  readonly eventId: string;
  readonly eventTime: Date;
  readonly body: string;
  /** Attempts made before this one. */
  readonly attempts: number;
}

/** A webhook this process holds the lease of, with what to send next. */
export interface ClaimedWebhook {
  readonly webhookId: string;
  readonly url: string;
  /** The current secret, then a rotated one still honoured. */
  readonly secrets: readonly string[];
  readonly head: HeadDelivery | undefined;
}

export interface AttemptRecord {
  readonly step: NextStep;
  /** HTTP status, when the receiver answered. */
  readonly status?: number;
  /** Keep the lease and return the next head (after a success or a dead letter). */
  readonly keepLease: boolean;
}

/** The delivery queues as a dispatcher needs them. */
export interface DispatchQueue {
  claim(limit: number): Promise<ClaimedWebhook[]>;
  record(
    webhookId: string,
    head: HeadDelivery,
    attempt: AttemptRecord,
  ): Promise<ClaimedWebhook | undefined>;
  release(webhookId: string): Promise<void>;
  nextDueInMs(): Promise<number | undefined>;
}

export interface OutgoingDelivery {
  readonly url: string;
  readonly secrets: readonly string[];
  /** The CloudEvents id: `webhook-id`, the same on every retry. */
  readonly eventId: string;
  readonly body: string;
}

export interface SentAttempt {
  readonly result: AttemptResult;
  /** The start of the receiver's answer, for the delivery's last error. */
  readonly answer?: string;
}

export interface DeliverySender {
  send(delivery: OutgoingDelivery): Promise<SentAttempt>;
}
