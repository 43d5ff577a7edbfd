import { Kafka, logLevel, Partitioners } from 'kafkajs';
// Test-only reach into libs/testing: `type:adapter` may not depend on `type:testing`, and
// `@pbx/testing` does not export the mock helper yet. Switch to '@pbx/testing' once both change.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { KafkaMock, startKafkaMock } from '../../../testing/src/kafka-mock';
import { EventsErrorCode } from '../events.error';
import { CloudEventHeader, encodeKafkaRecord } from './cloudevents-kafka-binding';
import { describeEventBusContract } from './event-bus.contract';
import { DeliveredMessage, Subscription } from './event-bus.port';
import { aMessage, sleep, uniqueName, waitUntil } from './event-bus.test-kit';
import { KafkaEventBus, KafkaEventBusOptions } from './kafka-event-bus';
import { InvalidKafkaRecord } from './kafka-subscription';

let mock: KafkaMock;

beforeAll(async () => {
  mock = await startKafkaMock();
}, 60_000);

afterAll(async () => {
  await mock?.stop();
}, 10_000);

function newBus(overrides: Partial<KafkaEventBusOptions> = {}): KafkaEventBus {
  return new KafkaEventBus({
    brokers: mock.brokers,
    clientId: uniqueName('kafka-bus-test'),
    maxWaitTimeInMs: 100,
    heartbeatIntervalMs: 300,
    sessionTimeoutMs: 3_000,
    handlerRetryBackoff: { initialMs: 50, maxMs: 500 },
    publishTimeoutMs: 5_000,
    readyTimeoutMs: 1_000,
    ...overrides,
  });
}

describeEventBusContract(KafkaEventBus.name, () => newBus(), {
  deliveryTimeoutMs: 15_000,
  quietPeriodMs: 400,
  testTimeoutMs: 30_000,
});

describe(KafkaEventBus.name, () => {
  let bus: KafkaEventBus;
  const subscriptions: Subscription[] = [];

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
    await bus?.close();
  }, 30_000);

  async function collect(
    groupId: string,
    topic: string,
    target: DeliveredMessage[],
  ): Promise<void> {
    subscriptions.push(
      await bus.subscribe({
        groupId,
        topics: [topic],
        handler: async (message) => void target.push(message),
      }),
    );
  }

  it('turns unready and refuses to publish while the broker is down, then recovers with its consumer', async () => {
    bus = newBus();
    const topic = uniqueName('kafka.outage');
    const received: DeliveredMessage[] = [];
    await bus.publish([aMessage(topic, 'call-1', 0)]);
    await collect(uniqueName('group'), topic, received);
    await waitUntil(
      () => received.length === 1,
      15_000,
      () => 'the first message',
    );

    await mock.down();
    try {
      await waitUntil(
        async () => !(await bus.isReady()),
        5_000,
        () => 'isReady() to turn false',
      );
      const started = Date.now();
      await expect(bus.publish([aMessage(topic, 'call-1', 1)])).rejects.toMatchObject({
        code: EventsErrorCode.BusUnavailable,
      });
      expect(Date.now() - started).toBeLessThan(6_000);
    } finally {
      await mock.up();
    }

    await waitUntil(
      () => bus.isReady(),
      10_000,
      () => 'isReady() to turn true',
    );
    await bus.publish([aMessage(topic, 'call-1', 2)]);
    await waitUntil(
      () => received.some((message) => message.event.id === 'call-1#2'),
      25_000,
      () =>
        `the message published after the outage (got ${received.map((m) => m.event.id).join(',')})`,
    );
    // The refused publish never reached the log; what was delivered before is not lost.
    expect(received.map((message) => message.event.id)).toContain('call-1#0');
    expect(received.map((message) => message.event.id)).not.toContain('call-1#1');
  }, 45_000);

  it('shares partitions between two consumers of one group and loses nothing', async () => {
    bus = newBus();
    const topic = uniqueName('kafka.rebalance');
    const groupId = uniqueName('group');
    const first: DeliveredMessage[] = [];
    const second: DeliveredMessage[] = [];
    await collect(groupId, topic, first);
    await collect(groupId, topic, second);

    const published: string[] = [];
    let round = 0;
    // Publish until both members have been handed partitions; the join may still be settling.
    await waitUntil(
      async () => {
        const messages = Array.from({ length: 8 }, (_, i) => aMessage(topic, `call-${i}`, round));
        round += 1;
        await bus.publish(messages);
        published.push(...messages.map((message) => message.event.id));
        return first.length > 0 && second.length > 0;
      },
      25_000,
      () => `both members to receive (${first.length} and ${second.length})`,
      300,
    );
    await waitUntil(
      () =>
        new Set([...first, ...second].map((message) => message.event.id)).size >= published.length,
      15_000,
      () => `all ${published.length} messages`,
    );

    const delivered = new Set([...first, ...second].map((message) => message.event.id));
    expect([...delivered].sort()).toEqual([...published].sort());
    const partitionsOf = (messages: DeliveredMessage[]): Set<number> =>
      new Set(messages.map((m) => m.partition));
    expect(partitionsOf(first).size).toBeGreaterThan(0);
    expect(partitionsOf(second).size).toBeGreaterThan(0);
  }, 45_000);

  it('skips and commits past a malformed record, reporting it, and goes on', async () => {
    const invalid: InvalidKafkaRecord[] = [];
    bus = newBus({ onInvalidMessage: (record) => void invalid.push(record) });
    const topic = uniqueName('kafka.malformed');

    const raw = new Kafka({
      brokers: mock.brokers,
      clientId: 'raw-producer',
      logLevel: logLevel.NOTHING,
    });
    const producer = raw.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const good = encodeKafkaRecord(aMessage(topic, 'call-1', 1));
      const { [CloudEventHeader.Type]: _type, ...withoutType } = good.headers;
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'call-1', value: good.value, headers: withoutType },
          {
            key: 'call-1',
            value: good.value,
            headers: { ...good.headers, [CloudEventHeader.Time]: 'not a time' },
          },
          good,
        ],
      });
    } finally {
      await producer.disconnect();
    }

    const groupId = uniqueName('group');
    const received: DeliveredMessage[] = [];
    await collect(groupId, topic, received);
    await waitUntil(
      () => received.length === 1,
      15_000,
      () => 'the valid record',
    );
    expect(received[0].event.id).toBe('call-1#1');
    expect(invalid.map((record) => [record.offset, record.error.code])).toEqual([
      ['0', EventsErrorCode.InvalidEvent],
      ['1', EventsErrorCode.InvalidEvent],
    ]);
    expect(invalid[0].error.message).toContain(CloudEventHeader.Type);
    expect(bus.invalidMessageCount).toBe(2);

    // Committed past: the group does not see them again after re-subscribing.
    await subscriptions.pop()!.close();
    await bus.publish([aMessage(topic, 'call-1', 2)]);
    const again: DeliveredMessage[] = [];
    await collect(groupId, topic, again);
    await waitUntil(
      () => again.length === 1,
      15_000,
      () => 'the next record',
    );
    await sleep(300);
    expect(again.map((message) => message.event.id)).toEqual(['call-1#2']);
    expect(invalid).toHaveLength(2);
  }, 45_000);

  it('rejects subscribing while the broker is down with BusUnavailable', async () => {
    bus = newBus();
    await mock.down();
    try {
      await expect(
        bus.subscribe({
          groupId: uniqueName('group'),
          topics: [uniqueName('kafka.down')],
          handler: async () => undefined,
        }),
      ).rejects.toMatchObject({ code: EventsErrorCode.BusUnavailable });
    } finally {
      await mock.up();
    }
  }, 45_000);
});
