import fc from 'fast-check';
import { EventsError, EventsErrorCode } from '../events.error';
import {
  CloudEventHeader,
  decodeKafkaRecord,
  encodeKafkaRecord,
  KafkaRecordIn,
  parseRfc3339,
} from './cloudevents-kafka-binding';
import { anEnvelope } from './event-bus.test-kit';

function asReceived(out: ReturnType<typeof encodeKafkaRecord>, offset = '42'): KafkaRecordIn {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(out.headers))
    headers[name] = Buffer.from(value, 'utf8');
  return { key: Buffer.from(out.key, 'utf8'), value: Buffer.from(out.value), offset, headers };
}

function withHeaders(
  record: KafkaRecordIn,
  changes: Record<string, Buffer | string | string[] | undefined>,
): KafkaRecordIn {
  return { ...record, headers: { ...record.headers, ...changes } };
}

function decodeError(record: KafkaRecordIn): EventsError {
  try {
    decodeKafkaRecord('pbx.calls.v1', 3, record);
  } catch (error) {
    if (error instanceof EventsError) return error;
    throw error;
  }
  throw new Error('expected decoding to fail');
}

describe('CloudEvents Kafka binding', () => {
  const event = anEnvelope({
    id: 'evt-1',
    subject: 'call-9',
    tenant: 'acme',
    time: new Date('2024-01-02T03:04:05.678Z'),
  });

  it('puts the envelope in ce_ headers and the data unchanged in the value', () => {
    const out = encodeKafkaRecord({ topic: 'pbx.calls.v1', key: 'call-9', event });
    expect(out.key).toBe('call-9');
    expect([...out.value]).toEqual([...event.data]);
    expect(out.headers).toEqual({
      [CloudEventHeader.SpecVersion]: '1.0',
      [CloudEventHeader.Id]: 'evt-1',
      [CloudEventHeader.Source]: event.source,
      [CloudEventHeader.Type]: event.type,
      [CloudEventHeader.Subject]: 'call-9',
      [CloudEventHeader.Time]: '2024-01-02T03:04:05.678Z',
      [CloudEventHeader.Tenant]: 'acme',
      [CloudEventHeader.ContentType]: 'application/protobuf',
    });
  });

  it('reads back what it wrote, with position and key', () => {
    const record = asReceived(encodeKafkaRecord({ topic: 'pbx.calls.v1', key: 'call-9', event }));
    const message = decodeKafkaRecord('pbx.calls.v1', 3, record);
    expect(message).toMatchObject({
      topic: 'pbx.calls.v1',
      partition: 3,
      offset: '42',
      key: 'call-9',
    });
    expect({ ...message.event, data: [...message.event.data] }).toEqual({
      ...event,
      data: [...event.data],
    });
    expect(message.event.data).toBeInstanceOf(Uint8Array);
  });

  it('round-trips any envelope', () => {
    const text = fc.string({ minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(
        text,
        text,
        text,
        text,
        text,
        text,
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.uint8Array({ maxLength: 64 }),
        (id, source, type, subject, tenant, key, time, data) => {
          const original = anEnvelope({ id, source, type, subject, tenant, time, data });
          const back = decodeKafkaRecord(
            't',
            0,
            asReceived(encodeKafkaRecord({ topic: 't', key, event: original })),
          );
          expect(back.key).toBe(key);
          expect({ ...back.event, data: [...back.event.data] }).toEqual({
            ...original,
            data: [...original.data],
          });
        },
      ),
    );
  });

  it('accepts string header values as well as buffers', () => {
    const out = encodeKafkaRecord({ topic: 't', key: 'k', event });
    const record: KafkaRecordIn = {
      key: Buffer.from('k'),
      value: out.value,
      offset: '0',
      headers: out.headers,
    };
    expect(decodeKafkaRecord('t', 0, record).event.id).toBe('evt-1');
  });

  it('keeps an empty value as empty data (an all-defaults protobuf message)', () => {
    const record = asReceived(
      encodeKafkaRecord({ topic: 't', key: 'k', event: anEnvelope({ data: new Uint8Array(0) }) }),
    );
    expect(decodeKafkaRecord('t', 0, record).event.data).toEqual(new Uint8Array(0));
  });

  describe('refuses a malformed record with InvalidEvent and its position', () => {
    const good = asReceived(encodeKafkaRecord({ topic: 'pbx.calls.v1', key: 'call-9', event }));

    it.each(Object.values(CloudEventHeader))('when %s is missing', (header) => {
      const error = decodeError(withHeaders(good, { [header]: undefined }));
      expect(error.code).toBe(EventsErrorCode.InvalidEvent);
      expect(error.message).toContain(header);
      expect(error.details).toMatchObject({ topic: 'pbx.calls.v1', partition: 3, offset: '42' });
    });

    it('when a header is empty', () => {
      expect(decodeError(withHeaders(good, { [CloudEventHeader.Type]: '' })).message).toContain(
        'empty',
      );
    });

    it('when a header is repeated', () => {
      expect(
        decodeError(withHeaders(good, { [CloudEventHeader.Id]: ['a', 'b'] })).message,
      ).toContain('more than once');
    });

    it('when a header is not UTF-8', () => {
      expect(
        decodeError(withHeaders(good, { [CloudEventHeader.Id]: Buffer.from([0xff, 0xfe]) }))
          .message,
      ).toContain('UTF-8');
    });

    it('when the spec version is not 1.0', () => {
      expect(
        decodeError(withHeaders(good, { [CloudEventHeader.SpecVersion]: '0.3' })).message,
      ).toContain('specversion');
    });

    it.each([
      'yesterday',
      '2024-13-01T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-01-01 00:00:00Z',
      '2024-01-01T00:00:00',
    ])('when ce_time is %j', (time) => {
      expect(decodeError(withHeaders(good, { [CloudEventHeader.Time]: time })).message).toContain(
        'RFC 3339',
      );
    });

    it('when the key is missing', () => {
      expect(decodeError({ ...good, key: null }).message).toContain('key');
    });

    it('when the value is a tombstone', () => {
      expect(decodeError({ ...good, value: null }).message).toContain('value');
    });

    it('when there are no headers at all', () => {
      expect(decodeError({ ...good, headers: undefined }).code).toBe(EventsErrorCode.InvalidEvent);
    });
  });

  describe(parseRfc3339.name, () => {
    it.each([
      ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
      ['2024-01-02t03:04:05.1z', '2024-01-02T03:04:05.100Z'],
      ['2024-01-02T03:04:05.123456789+02:30', '2024-01-02T00:34:05.123Z'],
      ['2024-02-29T23:59:59-01:00', '2024-03-01T00:59:59.000Z'],
      ['0099-06-01T00:00:00Z', '0099-06-01T00:00:00.000Z'],
    ])('reads %s as %s', (text, iso) => {
      expect(parseRfc3339(text)?.toISOString()).toBe(iso);
    });

    it.each([
      '',
      '2024-01-02',
      '2024-01-02T24:00:00Z',
      '2024-01-02T03:60:00Z',
      '2024-01-02T03:04:05+24:00',
      '2024-00-10T00:00:00Z',
    ])('refuses %j', (text) => {
      expect(parseRfc3339(text)).toBeUndefined();
    });
  });
});
