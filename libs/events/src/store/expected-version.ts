import { topicOfEventType } from '@pbx/proto';
import { EventsError, EventsErrorCode } from '../events.error';
import {
  ANY_VERSION,
  ExpectedVersion,
  NewEvent,
  STREAM_DOES_NOT_EXIST,
  STREAM_EXISTS,
} from './event-store.port';

export function wrongExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actual: number,
): EventsError {
  return new EventsError(
    EventsErrorCode.WrongExpectedVersion,
    `stream "${streamId}" is at version ${actual}, expected ${describeExpected(expected)}`,
    { streamId, expected, actual },
  );
}

function describeExpected(expected: ExpectedVersion): string {
  switch (expected) {
    case ANY_VERSION:
      return 'any version';
    case STREAM_DOES_NOT_EXIST:
      return 'no stream';
    case STREAM_EXISTS:
      return 'an existing stream';
    default:
      return String(expected);
  }
}

/** Whether a stream at `current` (0 = absent) satisfies `expected`. */
export function matchesExpectedVersion(current: number, expected: ExpectedVersion): boolean {
  switch (expected) {
    case ANY_VERSION:
      return true;
    case STREAM_DOES_NOT_EXIST:
      return current === 0;
    case STREAM_EXISTS:
      return current > 0;
    default:
      return current === expected;
  }
}

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,199}$/;

/**
 * Validation shared by every store adapter, so they refuse the same input the same way.
 * Returns each event's topic, which its type names.
 */
export function validateAppend(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
): readonly string[] {
  const invalid = (message: string): EventsError =>
    new EventsError(EventsErrorCode.InvalidEvent, message, { streamId });
  if (!STREAM_ID.test(streamId)) throw invalid(`invalid stream id "${streamId.slice(0, 60)}"`);
  if (events.length === 0) throw invalid('an append needs at least one event');
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
    throw invalid(`expected version must be a whole number >= 0, got ${expected}`);
  }
  return events.map((event) => {
    if (!event.tenant) throw invalid(`event ${event.type} has no tenant`);
    if (!(event.data instanceof Uint8Array)) throw invalid(`event ${event.type} data is not bytes`);
    try {
      return topicOfEventType(event.type);
    } catch (error) {
      throw invalid((error as Error).message);
    }
  });
}
