import { EventsError, EventsErrorCode } from '../events.error';

/**
 * Broker answers that mean "this message will never be accepted": retrying them later cannot
 * help, so they become InvalidEvent; everything else (connection refused, timeouts, leader
 * changes) is BusUnavailable and the outbox relay retries.
 */
const REFUSED_FOR_GOOD = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_TOPIC_EXCEPTION',
  'CORRUPT_MESSAGE',
  'INVALID_RECORD',
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly type?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

/** kafkajs nests the broker's error under `cause` (retries exceeded) or `errors` (aggregate). */
function protocolErrorTypes(error: unknown, depth = 0): string[] {
  if (depth > 8 || error === null || typeof error !== 'object') return [];
  const e = error as ErrorLike;
  const own = typeof e.type === 'string' ? [e.type] : [];
  const nested = Array.isArray(e.errors) ? e.errors : [];
  return [
    ...own,
    ...protocolErrorTypes(e.cause, depth + 1),
    ...nested.flatMap((n) => protocolErrorTypes(n, depth + 1)),
  ];
}

export function toBusError(error: unknown, action: string): EventsError {
  if (error instanceof EventsError) return error;
  const e = (error ?? {}) as ErrorLike;
  const details = {
    cause: typeof e.name === 'string' ? e.name : typeof error,
    reason: typeof e.message === 'string' ? e.message : String(error),
  };
  const types = protocolErrorTypes(error);
  const refused = types.find((type) => REFUSED_FOR_GOOD.has(type));
  if (refused !== undefined) {
    return new EventsError(EventsErrorCode.InvalidEvent, `Kafka refused to ${action}: ${refused}`, {
      ...details,
      type: refused,
    });
  }
  return new EventsError(
    EventsErrorCode.BusUnavailable,
    `Kafka unavailable, could not ${action}: ${details.reason}`,
    details,
  );
}
