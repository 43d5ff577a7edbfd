import { randomUUID } from 'node:crypto';
import { EventEnvelope, PROTOBUF_CONTENT_TYPE } from '../envelope/event-envelope';
import { BusMessage, DeliveredMessage } from './event-bus.port';

/** Test helpers shared by the bus contract and the adapters' own specs. Not for production. */

let counter = 0;

/** A topic or group name no earlier test used, valid for Kafka. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now().toString(36)}.${counter}`;
}

export function anEnvelope(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    source: '/pbx/tests',
    type: 'pbx.tests.v1.SomethingHappened',
    subject: 'stream-1',
    time: new Date('2024-03-10T12:34:56.789Z'),
    tenant: 'tenant-1',
    dataContentType: PROTOBUF_CONTENT_TYPE,
    data: new Uint8Array([0x0a, 0x03, 0x61, 0x62, 0x63]),
    ...overrides,
  };
}

/** The `seq`th message of stream `key`; its id is `key#seq` so order can be read back. */
export function aMessage(
  topic: string,
  key: string,
  seq: number,
  overrides: Partial<EventEnvelope> = {},
): BusMessage {
  return {
    topic,
    key,
    event: anEnvelope({
      id: `${key}#${seq}`,
      subject: key,
      data: new Uint8Array([seq & 0xff, (seq >> 8) & 0xff]),
      ...overrides,
    }),
  };
}

export function sequenceOf(message: DeliveredMessage): number {
  return Number(message.event.id.split('#')[1]);
}

/** Polls `condition` every `intervalMs` until it holds; rejects after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => 'condition',
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
