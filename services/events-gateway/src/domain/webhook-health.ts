/**
 * A webhook's state as its owner sees it. Failing is never turned into disabled behind the
 * owner's back: a failing webhook keeps its queue and keeps retrying its oldest delivery, so it
 * resumes where it stopped once the receiver answers again.
 */
export type WebhookHealth = 'healthy' | 'failing' | 'paused';

export function healthOf(webhook: {
  readonly paused: boolean;
  readonly consecutiveFailures: number;
}): WebhookHealth {
  if (webhook.paused) return 'paused';
  return webhook.consecutiveFailures > 0 ? 'failing' : 'healthy';
}
