/** The media type of a CloudEvent in structured mode (CloudEvents JSON format, section 3). */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json; charset=utf-8';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A platform event as partners see it, its payload already protobuf JSON. */
export interface PartnerEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: Date;
  readonly tenant: string;
  /** Protobuf JSON of the message named by `type`; null for a type this build cannot decode. */
  readonly data: Json | null;
}

/** CloudEvents 1.0 in JSON; `tenant` is the platform's extension attribute. */
export interface CloudEventJson {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly tenant: string;
  readonly datacontenttype?: 'application/json';
  readonly data?: Json;
}

/**
 * The structured-mode CloudEvent of a platform event: the same for webhooks and streams, so a
 * partner parses one shape. An event whose payload could not be decoded goes without `data`
 * rather than not at all, so that nothing is silently skipped.
 */
export function toCloudEvent(event: PartnerEvent): CloudEventJson {
  const base = {
    specversion: '1.0' as const,
    id: event.id,
    source: event.source,
    type: event.type,
    subject: event.subject,
    time: event.time.toISOString(),
    tenant: event.tenant,
  };
  return event.data === null
    ? base
    : { ...base, datacontenttype: 'application/json' as const, data: event.data };
}
