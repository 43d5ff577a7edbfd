import { EventEnvelope } from '../envelope/event-envelope';
import { EventsError, EventsErrorCode } from '../events.error';
import { BusMessage, DeliveredMessage } from './event-bus.port';

/*
 * CloudEvents Kafka protocol binding, binary content mode (cloudevents/spec kafka-protocol-binding
 * 1.0): attributes travel as `ce_`-prefixed headers, `datacontenttype` as `content-type`, the body
 * is the event data unchanged. These header names are wire names: never change them without a
 * migration plan, every consumer in every service reads them.
 */
export const CE_SPECVERSION = '1.0';
export const CloudEventHeader = {
  SpecVersion: 'ce_specversion',
  Id: 'ce_id',
  Source: 'ce_source',
  Type: 'ce_type',
  Subject: 'ce_subject',
  Time: 'ce_time',
  /** The platform's `tenant` extension attribute. */
  Tenant: 'ce_tenant',
  ContentType: 'content-type',
} as const;

/** What kafkajs hands over for one record; kept structural so this file needs no kafkajs. */
export interface KafkaRecordIn {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

export interface KafkaRecordOut {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export function encodeKafkaRecord(message: BusMessage): KafkaRecordOut {
  const event = message.event;
  return {
    key: message.key,
    // Shares the caller's bytes; kafkajs copies them into the request buffer.
    value: Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength),
    headers: {
      [CloudEventHeader.SpecVersion]: CE_SPECVERSION,
      [CloudEventHeader.Id]: event.id,
      [CloudEventHeader.Source]: event.source,
      [CloudEventHeader.Type]: event.type,
      [CloudEventHeader.Subject]: event.subject,
      [CloudEventHeader.Time]: event.time.toISOString(),
      [CloudEventHeader.Tenant]: event.tenant,
      [CloudEventHeader.ContentType]: event.dataContentType,
    },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalidRecord(
  reason: string,
  where: RecordPosition,
  extra: Record<string, unknown> = {},
): EventsError {
  return new EventsError(EventsErrorCode.InvalidEvent, `invalid Kafka record: ${reason}`, {
    ...where,
    ...extra,
  });
}

interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

function readHeader(record: KafkaRecordIn, name: string, where: RecordPosition): string {
  const raw = record.headers?.[name];
  if (raw === undefined) throw invalidRecord(`missing header ${name}`, where);
  // kafkajs turns a repeated header into an array: ambiguous, so refused rather than guessed.
  if (Array.isArray(raw)) throw invalidRecord(`header ${name} appears more than once`, where);
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    throw invalidRecord(`header ${name} is not UTF-8`, where);
  }
  if (text.length === 0) throw invalidRecord(`header ${name} is empty`, where);
  return text;
}

/**
 * Decodes a record read from Kafka. Throws `EventsError(InvalidEvent)` for anything that is not a
 * well-formed binary-mode CloudEvent of this platform; the consumer skips such records.
 */
export function decodeKafkaRecord(
  topic: string,
  partition: number,
  record: KafkaRecordIn,
): DeliveredMessage {
  const where: RecordPosition = { topic, partition, offset: record.offset };
  const specVersion = readHeader(record, CloudEventHeader.SpecVersion, where);
  if (specVersion !== CE_SPECVERSION) {
    throw invalidRecord(`unsupported ce_specversion ${JSON.stringify(specVersion)}`, where);
  }
  const timeText = readHeader(record, CloudEventHeader.Time, where);
  const time = parseRfc3339(timeText);
  if (time === undefined)
    throw invalidRecord(`ce_time is not RFC 3339: ${JSON.stringify(timeText)}`, where);
  if (record.key === null || record.key.length === 0)
    throw invalidRecord('record has no key', where);
  let key: string;
  try {
    key = utf8.decode(record.key);
  } catch {
    throw invalidRecord('record key is not UTF-8', where);
  }
  // A null value is a tombstone, not an event; an empty value is valid protobuf (all defaults).
  if (record.value === null) throw invalidRecord('record has no value', where);

  const event: EventEnvelope = {
    id: readHeader(record, CloudEventHeader.Id, where),
    source: readHeader(record, CloudEventHeader.Source, where),
    type: readHeader(record, CloudEventHeader.Type, where),
    subject: readHeader(record, CloudEventHeader.Subject, where),
    time,
    tenant: readHeader(record, CloudEventHeader.Tenant, where),
    dataContentType: readHeader(record, CloudEventHeader.ContentType, where),
    data: new Uint8Array(record.value),
  };
  return { topic, partition, offset: record.offset, key, event };
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** RFC 3339 `date-time` to a Date (millisecond precision), or undefined when not one. */
export function parseRfc3339(text: string): Date | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const fraction = m[7] ?? '';
  const daysInMonth = daysIn(year, month);
  // Second 60 is a leap second (RFC 3339 5.6); Date cannot hold it, so it folds into the next.
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  ) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  // setUTCFullYear rather than Date.UTC, which maps years 0-99 onto 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  date.setTime(date.getTime() - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}
