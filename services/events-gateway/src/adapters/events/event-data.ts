import { fromBinary } from '@bufbuild/protobuf';
import type { EventEnvelope } from '@pbx/events';
import { eventSchema, toRedactedJson } from '@pbx/proto';
import type { Json } from '../../domain/cloud-event';

/**
 * The payload of an event as protobuf JSON, secrets redacted (a trunk's password, device HA1s).
 * Null for a type this build does not know, or bytes that do not decode: such an event is kept
 * and sent without its payload rather than blocking every event behind it.
 */
export function eventData(event: EventEnvelope): Json | null {
  const schema = eventSchema(event.type);
  if (!schema) return null;
  try {
    return toRedactedJson(schema, fromBinary(schema, event.data)) as Json;
  } catch {
    return null;
  }
}
