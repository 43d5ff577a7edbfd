import { toJson, type DescMessage, type JsonValue, type MessageShape } from '@bufbuild/protobuf';

/** What a secret field reads as in JSON meant for people (audit log, partner payloads). */
export const REDACTED = '[redacted]';

/**
 * The protobuf JSON of `message` with every set field marked `[debug_redact = true]` in its
 * .proto (a trunk's password) replaced by REDACTED, also inside nested messages and lists. Secrets
 * travel on the bus for the one service that needs them; nobody reads them from a log.
 */
export function toRedactedJson<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
): JsonValue {
  return redact(schema, toJson(schema, message));
}

function redact(schema: DescMessage, json: JsonValue): JsonValue {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const out: { [key: string]: JsonValue } = { ...json };
  for (const field of schema.fields) {
    const value = out[field.jsonName];
    if (value === undefined) continue;
    if (field.proto.options?.debugRedact === true) {
      out[field.jsonName] = REDACTED;
    } else if (field.fieldKind === 'message') {
      out[field.jsonName] = redact(field.message, value);
    } else if (field.fieldKind === 'list' && field.listKind === 'message' && Array.isArray(value)) {
      out[field.jsonName] = value.map((item) => redact(field.message, item));
    }
  }
  return out;
}
