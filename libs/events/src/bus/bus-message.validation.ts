import { EventsError, EventsErrorCode } from '../events.error';
import { BusMessage, SubscribeOptions } from './event-bus.port';

/** Kafka's own rule for topic names; the in-process bus keeps it so both adapters agree. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

function invalid(message: string, details: Record<string, unknown>): EventsError {
  return new EventsError(EventsErrorCode.InvalidEvent, message, details);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function isValidTopicName(topic: unknown): topic is string {
  return typeof topic === 'string' && TOPIC_NAME.test(topic) && topic !== '.' && topic !== '..';
}

/**
 * Checks a message before it reaches any bus, so that both adapters reject the same messages
 * with the same error and a bad event never becomes a record that every consumer must skip.
 */
export function assertValidBusMessage(message: BusMessage): void {
  if (message === null || typeof message !== 'object') {
    throw invalid('bus message must be an object', {});
  }
  if (!isValidTopicName(message.topic)) {
    throw invalid('topic must match [a-zA-Z0-9._-]{1,249}', { topic: message.topic });
  }
  if (!isNonEmptyString(message.key)) {
    throw invalid('partition key must be a non-empty string', { topic: message.topic });
  }
  const event = message.event;
  if (event === null || typeof event !== 'object') {
    throw invalid('event envelope is missing', { topic: message.topic, key: message.key });
  }
  for (const field of ['id', 'source', 'type', 'subject', 'tenant', 'dataContentType'] as const) {
    if (!isNonEmptyString(event[field])) {
      throw invalid(`envelope ${field} must be a non-empty string`, {
        topic: message.topic,
        id: event.id,
      });
    }
  }
  if (!(event.time instanceof Date) || Number.isNaN(event.time.getTime())) {
    throw invalid('envelope time must be a valid Date', { topic: message.topic, id: event.id });
  }
  if (!(event.data instanceof Uint8Array)) {
    throw invalid('envelope data must be a Uint8Array', { topic: message.topic, id: event.id });
  }
}

export function assertValidSubscribeOptions(options: SubscribeOptions): void {
  if (!isNonEmptyString(options.groupId)) {
    throw invalid('groupId must be a non-empty string', {});
  }
  if (!Array.isArray(options.topics) || options.topics.length === 0) {
    throw invalid('topics must be a non-empty array', { groupId: options.groupId });
  }
  for (const topic of options.topics) {
    if (!isValidTopicName(topic)) {
      throw invalid('topic must match [a-zA-Z0-9._-]{1,249}', { groupId: options.groupId, topic });
    }
  }
  const perMessage = typeof options.handler === 'function';
  const perBatch = typeof options.batchHandler === 'function';
  if (perMessage === perBatch) {
    throw invalid('exactly one of handler and batchHandler must be a function', {
      groupId: options.groupId,
    });
  }
  const max = options.maxBatchSize;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 10_000)) {
    throw invalid('maxBatchSize must be a whole number from 1 to 10000', {
      groupId: options.groupId,
      maxBatchSize: max,
    });
  }
}
