/**
 * The CloudEvents envelope every platform event travels in (ARCHITECTURE.md, "Events").
 * `data` is the protobuf encoding of the message named by `type`; to partners it is rendered as
 * CloudEvents JSON, on Kafka the attributes go in headers (CloudEvents Kafka binding, binary mode).
 */
export interface EventEnvelope {
  /** Unique per event (UUID); consumers deduplicate on it. */
  readonly id: string;
  /** The producing service, e.g. `/pbx/provisioning`. */
  readonly source: string;
  /** Fully qualified protobuf message name, e.g. `pbx.provisioning.v1.TenantCreated`. */
  readonly type: string;
  /** The aggregate the event belongs to: its stream id. */
  readonly subject: string;
  readonly time: Date;
  /** Tenant the event belongs to; `operator` for platform-wide events. CloudEvents extension. */
  readonly tenant: string;
  readonly dataContentType: string;
  readonly data: Uint8Array;
}

export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';
