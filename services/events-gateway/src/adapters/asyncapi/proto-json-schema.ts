import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';

export type JsonSchema = { readonly [key: string]: unknown };

const TIMESTAMP = 'google.protobuf.Timestamp';

/** Where a message's schema lives in the AsyncAPI document. */
export function schemaRef(typeName: string): JsonSchema {
  return { $ref: `#/components/schemas/${typeName}` };
}

/** The protobuf JSON form of a scalar (ProtoJSON: 64-bit integers are strings, bytes base64). */
function scalarSchema(scalar: ScalarType): JsonSchema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BOOL:
      return { type: 'boolean' };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: 'integer', minimum: 0, maximum: 4294967295 };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { type: 'string', pattern: '^-?[0-9]+$' };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { type: 'string', pattern: '^[0-9]+$' };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: 'number' };
    case ScalarType.BYTES:
      return { type: 'string', contentEncoding: 'base64' };
    default:
      throw new TypeError(`no JSON schema for protobuf scalar ${String(scalar)}`);
  }
}

function enumSchema(desc: DescEnum): JsonSchema {
  return { type: 'string', enum: desc.values.map((v) => v.name) };
}

function messageSchema(desc: DescMessage): JsonSchema {
  // Timestamps are RFC 3339 strings in protobuf JSON, not objects.
  return desc.typeName === TIMESTAMP
    ? { type: 'string', format: 'date-time' }
    : schemaRef(desc.typeName);
}

function fieldSchema(field: DescField): JsonSchema {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarSchema(field.scalar);
    case 'enum':
      return enumSchema(field.enum);
    case 'message':
      return messageSchema(field.message);
    case 'list':
      return {
        type: 'array',
        items:
          field.listKind === 'scalar'
            ? scalarSchema(field.scalar)
            : field.listKind === 'enum'
              ? enumSchema(field.enum)
              : messageSchema(field.message),
      };
    case 'map':
      return {
        type: 'object',
        additionalProperties:
          field.mapKind === 'scalar'
            ? scalarSchema(field.scalar)
            : field.mapKind === 'enum'
              ? enumSchema(field.enum)
              : messageSchema(field.message),
      };
    default:
      throw new TypeError('unknown protobuf field kind');
  }
}

/**
 * The JSON Schema of a message's protobuf JSON form, as partners receive it. Nothing is required:
 * protobuf JSON leaves out fields at their default value (empty, 0, false, the first enum
 * value). Unknown properties are refused so that the schema and the message cannot drift apart
 * unnoticed. Secret fields (`debug_redact`) read "[redacted]".
 */
export function protoJsonSchema(desc: DescMessage): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of desc.fields) {
    const schema = fieldSchema(field);
    properties[field.jsonName] =
      field.proto.options?.debugRedact === true
        ? { ...schema, description: 'secret: always "[redacted]"' }
        : schema;
  }
  return { type: 'object', title: desc.name, properties, additionalProperties: false };
}

/** The message and every message it refers to, transitively (Timestamp excepted). */
export function messagesReachableFrom(roots: readonly DescMessage[]): DescMessage[] {
  const seen = new Map<string, DescMessage>();
  const visit = (desc: DescMessage): void => {
    if (desc.typeName === TIMESTAMP || seen.has(desc.typeName)) return;
    seen.set(desc.typeName, desc);
    for (const field of desc.fields) if (field.message) visit(field.message);
  };
  roots.forEach(visit);
  return [...seen.values()];
}
