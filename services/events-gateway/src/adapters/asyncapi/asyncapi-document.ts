import { eventSchema } from '@pbx/proto';
import { PUBLIC_EVENT_TYPES } from '../../domain/public-event-types';
import { REPLAY_TOLERANCE_S, WEBHOOK_HEADERS } from '../../domain/webhook-signature';
import {
  messagesReachableFrom,
  protoJsonSchema,
  schemaRef,
  type JsonSchema,
} from './proto-json-schema';

export interface AsyncApiOptions {
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly timeoutMs: number;
}

const ENVELOPE = 'CloudEvent';

const envelopeSchema: JsonSchema = {
  type: 'object',
  description: 'CloudEvents 1.0, structured mode (JSON event format).',
  required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'tenant'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', format: 'uuid', description: 'Unique per event; deduplicate on it.' },
    source: { type: 'string', description: 'The producing service, e.g. /pbx/routing.' },
    type: { type: 'string', description: 'The protobuf message name of `data`.' },
    subject: {
      type: 'string',
      description: 'The aggregate: call-<callId>, registration-<group>:<user>, group-<id>...',
    },
    time: { type: 'string', format: 'date-time' },
    tenant: { type: 'string', description: 'Extension: the tenant the event belongs to.' },
    datacontenttype: { const: 'application/json' },
    data: { description: 'Protobuf JSON of the message named by `type`.' },
  },
};

const webhookHeaders: JsonSchema = {
  type: 'object',
  required: [WEBHOOK_HEADERS.id, WEBHOOK_HEADERS.timestamp, WEBHOOK_HEADERS.signature],
  properties: {
    [WEBHOOK_HEADERS.id]: {
      type: 'string',
      description: 'The CloudEvents id; the same on every retry: deduplicate on it.',
    },
    [WEBHOOK_HEADERS.timestamp]: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: `Unix seconds of this attempt. Reject it when more than ${REPLAY_TOLERANCE_S} s from your clock (replay window).`,
    },
    [WEBHOOK_HEADERS.signature]: {
      type: 'string',
      pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$',
      description:
        'Space-separated `v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64-decoded part of the secret after `whsec_`. Two signatures for 24 h after a secret rotation; accept the request when one matches (constant-time compare).',
    },
    'content-type': { const: 'application/cloudevents+json; charset=utf-8' },
  },
};

function description(options: AsyncApiOptions): string {
  return [
    'The public events of the platform, as partners receive them: CloudEvents 1.0 in JSON',
    '(structured mode), `data` being the protobuf JSON of the message named by `type`.',
    'A tenant sees its own events only.',
    '',
    '**Webhooks** (`/api/v1/webhooks`): each event of a subscribed type is POSTed to the',
    'webhook URL, signed as the Standard Webhooks specification defines',
    '(`webhook-id`, `webhook-timestamp`, `webhook-signature`). A 2xx answer within',
    `${options.timeoutMs} ms acknowledges it. A webhook's deliveries go out one at a time in`,
    'event order (a call: started, ringing, answered, ended). Failures (network errors,',
    'timeouts, 408, 429, 5xx, and any other non-2xx but 400, 413, 415 and 422) are retried',
    `with exponential backoff from ${options.backoffBaseMs} ms to ${options.backoffCapMs} ms`,
    `with jitter, honouring Retry-After; after ${options.maxAttempts} attempts (or at once for`,
    '400, 413, 415, 422) the delivery is dead-lettered and the next one goes out. Dead letters',
    'can be re-driven through the API. Delivery is at least once: deduplicate on `webhook-id`.',
    '',
    '**Stream** (`GET /api/v1/events/stream`, Server-Sent Events): the same events live, each',
    "as an SSE message whose `id` is its position in the tenant's log. Reconnect with",
    '`Last-Event-ID` (EventSource does) or `?after=<position>` to resume with nothing lost or',
    "repeated; `?types=` filters like a webhook's event types. Comment lines are heartbeats.",
  ].join('\n');
}

function messages(kind: 'webhook' | 'stream'): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [topic, types] of Object.entries(PUBLIC_EVENT_TYPES)) {
    for (const type of types) {
      out[type] = {
        name: type,
        title: type.slice(type.lastIndexOf('.') + 1),
        summary: `${type} on ${topic}`,
        contentType: 'application/cloudevents+json',
        ...(kind === 'webhook' ? { headers: webhookHeaders } : {}),
        payload: {
          allOf: [
            schemaRef(ENVELOPE),
            {
              type: 'object',
              properties: { type: { const: type }, data: schemaRef(type) },
            },
          ],
        },
      };
    }
  }
  return out;
}

const refs = (channel: string, names: readonly string[]): JsonSchema[] =>
  names.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` }));

/** The AsyncAPI 3.0 document of the public events, derived from the protobuf contracts. */
export function asyncApiDocument(options: AsyncApiOptions): JsonSchema {
  const types = Object.values(PUBLIC_EVENT_TYPES).flat();
  const roots = types.map((type) => {
    const schema = eventSchema(type);
    if (!schema) throw new TypeError(`public event type ${type} has no protobuf schema`);
    return schema;
  });
  const schemas: Record<string, JsonSchema> = { [ENVELOPE]: envelopeSchema };
  for (const desc of messagesReachableFrom(roots)) schemas[desc.typeName] = protoJsonSchema(desc);
  const webhookMessages = Object.fromEntries(
    types.map((t) => [t, { $ref: `#/components/messages/${t}.webhook` }]),
  );
  const streamMessages = Object.fromEntries(
    types.map((t) => [t, { $ref: `#/components/messages/${t}.stream` }]),
  );
  const prefixed = (suffix: string, map: Record<string, JsonSchema>): Record<string, JsonSchema> =>
    Object.fromEntries(Object.entries(map).map(([k, v]) => [`${k}.${suffix}`, v]));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'PBX platform partner events',
      version: '1.0.0',
      description: description(options),
    },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      platform: {
        host: '{host}',
        protocol: 'https',
        description: 'The platform: the webhook API and the event stream.',
        variables: { host: { default: 'localhost:8080' } },
        security: [{ $ref: '#/components/securitySchemes/bearer' }],
      },
      receiver: {
        host: '{receiverHost}',
        protocol: 'https',
        description: "A partner's webhook endpoint (http is accepted too).",
        variables: { receiverHost: { default: 'crm.example.com' } },
      },
    },
    channels: {
      webhook: {
        address: null,
        title: 'Webhook deliveries',
        description: "The webhook's URL, as registered through the API.",
        servers: [{ $ref: '#/servers/receiver' }],
        messages: webhookMessages,
      },
      stream: {
        address: '/api/v1/events/stream',
        title: 'Event stream (Server-Sent Events)',
        description:
          'text/event-stream; each message: `id: <position>` then `data: <CloudEvent JSON>`.',
        servers: [{ $ref: '#/servers/platform' }],
        messages: streamMessages,
      },
    },
    operations: {
      deliverWebhook: {
        action: 'send',
        title: 'POST each event to a webhook',
        channel: { $ref: '#/channels/webhook' },
        messages: refs('webhook', types),
      },
      streamEvents: {
        action: 'send',
        title: "Stream the tenant's events",
        channel: { $ref: '#/channels/stream' },
        messages: refs('stream', types),
      },
    },
    components: {
      schemas,
      messages: {
        ...prefixed('webhook', messages('webhook')),
        ...prefixed('stream', messages('stream')),
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The operator token, an API token or a session token.',
        },
      },
    },
  };
}
