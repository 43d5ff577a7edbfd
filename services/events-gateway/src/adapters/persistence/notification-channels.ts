/*
 * PostgreSQL NOTIFY channels between events-gateway processes. A notification is sent inside the
 * transaction that made the change, so PostgreSQL delivers it only once that commits: a listener
 * woken by one always finds the rows. Renaming one needs every replica upgraded at once.
 */

/** Payload: the tenant whose audit log grew. Event streams of that tenant read on. */
export const AUDIT_LOG_CHANNEL = 'events_gateway_audit_log';
/** Payload: empty. Webhook deliveries were queued; dispatchers claim them. */
export const WEBHOOK_QUEUE_CHANNEL = 'events_gateway_webhook_queue';
