import { EventsError, EventsErrorCode } from '../events.error';
import {
  BusMessage,
  DeliveredMessage,
  EventBus,
  MessageHandler,
  Subscription,
} from './event-bus.port';
import {
  aMessage,
  anEnvelope,
  sequenceOf,
  sleep,
  uniqueName,
  waitUntil,
} from './event-bus.test-kit';

export interface EventBusContractOptions {
  /** Upper bound for any single wait for deliveries. */
  readonly deliveryTimeoutMs: number;
  /** How long to keep listening when checking that nothing more arrives. */
  readonly quietPeriodMs: number;
  /** Bound on each test, hooks included. */
  readonly testTimeoutMs: number;
}

/**
 * The behaviour every EventBus adapter owes its callers (CONVENTIONS.md, "One contract suite per
 * port"). `factory` returns a fresh bus per test; the suite closes it.
 */
export function describeEventBusContract(
  name: string,
  factory: () => EventBus | Promise<EventBus>,
  options: EventBusContractOptions = {
    deliveryTimeoutMs: 5_000,
    quietPeriodMs: 200,
    testTimeoutMs: 10_000,
  },
): void {
  const { deliveryTimeoutMs, quietPeriodMs, testTimeoutMs } = options;

  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;
    const subscriptions: Subscription[] = [];

    beforeEach(async () => {
      bus = await factory();
    }, testTimeoutMs);

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
      await bus.close();
    }, testTimeoutMs);

    async function collect(
      groupId: string,
      topics: readonly string[],
      handler?: MessageHandler,
    ): Promise<DeliveredMessage[]> {
      const received: DeliveredMessage[] = [];
      subscriptions.push(
        await bus.subscribe({
          groupId,
          topics,
          handler: async (message) => {
            await handler?.(message);
            received.push(message);
          },
        }),
      );
      return received;
    }

    function idsOf(messages: readonly BusMessage[]): string[] {
      return messages.map((message) => message.event.id);
    }

    function interleaved(topic: string, keys: readonly string[], perKey: number): BusMessage[] {
      const messages: BusMessage[] = [];
      for (let seq = 0; seq < perKey; seq += 1)
        for (const key of keys) messages.push(aMessage(topic, key, seq));
      return messages;
    }

    it(
      'is ready while open',
      async () => {
        await waitUntil(
          () => bus.isReady(),
          deliveryTimeoutMs,
          () => 'isReady()',
        );
      },
      testTimeoutMs,
    );

    it(
      'delivers every published message to a group with its envelope intact',
      async () => {
        const topic = uniqueName('contract.envelope');
        const sent = [
          {
            topic,
            key: 'call-1',
            event: anEnvelope({
              subject: 'call-1',
              tenant: 'acme',
              type: 'pbx.calls.v1.CallStarted',
            }),
          },
          {
            topic,
            key: 'call-2',
            event: anEnvelope({ subject: 'call-2', time: new Date('1999-12-31T23:59:59.001Z') }),
          },
          // An all-defaults protobuf message encodes to zero bytes: still an event.
          {
            topic,
            key: 'call-3',
            event: anEnvelope({ subject: 'call-3', data: new Uint8Array(0) }),
          },
          {
            topic,
            key: 'call-é',
            event: anEnvelope({
              subject: 'call-é',
              data: Uint8Array.from({ length: 300 }, (_, i) => i % 256),
            }),
          },
        ];
        await bus.publish(sent);

        const received = await collect(uniqueName('group'), [topic]);
        await waitUntil(
          () => received.length >= sent.length,
          deliveryTimeoutMs,
          () => `${received.length}/${sent.length}`,
        );

        expect(received).toHaveLength(sent.length);
        for (const original of sent) {
          const got = received.find((message) => message.event.id === original.event.id);
          expect(got).toBeDefined();
          expect(got!.topic).toBe(topic);
          expect(got!.key).toBe(original.key);
          expect(Number.isInteger(got!.partition) && got!.partition >= 0).toBe(true);
          expect(got!.offset).toMatch(/^\d+$/);
          expect({ ...got!.event, data: [...got!.event.data] }).toEqual({
            ...original.event,
            data: [...original.event.data],
          });
          expect(got!.event.time.getTime()).toBe(original.event.time.getTime());
        }
      },
      testTimeoutMs,
    );

    it(
      'keeps the order of each key across many messages and several keys',
      async () => {
        const topic = uniqueName('contract.order');
        const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
        const perKey = 40;
        const messages = interleaved(topic, keys, perKey);
        // Several publishes, so order must hold across calls and not only within one batch.
        for (let i = 0; i < messages.length; i += 50) await bus.publish(messages.slice(i, i + 50));

        const received = await collect(uniqueName('group'), [topic]);
        await waitUntil(
          () => received.length >= messages.length,
          deliveryTimeoutMs,
          () => `${received.length}/${messages.length}`,
        );

        for (const key of keys) {
          const sequence = received.filter((message) => message.key === key).map(sequenceOf);
          expect(sequence).toEqual(Array.from({ length: perKey }, (_, i) => i));
          const partitions = new Set(
            received.filter((message) => message.key === key).map((m) => m.partition),
          );
          expect(partitions.size).toBe(1);
        }
        await sleep(quietPeriodMs);
        expect(received).toHaveLength(messages.length);
      },
      testTimeoutMs,
    );

    it(
      'gives each of two groups every message',
      async () => {
        const topic = uniqueName('contract.groups');
        const messages = interleaved(topic, ['x', 'y', 'z'], 5);
        const [first, second] = await Promise.all([
          collect(uniqueName('group-a'), [topic]),
          collect(uniqueName('group-b'), [topic]),
        ]);
        await bus.publish(messages);

        const expected = idsOf(messages).sort();
        await waitUntil(
          () => first.length >= messages.length && second.length >= messages.length,
          deliveryTimeoutMs,
          () => `${first.length} and ${second.length} of ${messages.length}`,
        );
        expect(idsOf(first).sort()).toEqual(expected);
        expect(idsOf(second).sort()).toEqual(expected);
      },
      testTimeoutMs,
    );

    it(
      'redelivers a message whose handler rejected, before anything later in its partition',
      async () => {
        const topic = uniqueName('contract.retry');
        const messages = [0, 1, 2, 3, 4].map((seq) => aMessage(topic, 'only-key', seq));
        await bus.publish(messages);

        const attempts: string[] = [];
        let failed = false;
        await collect(uniqueName('group'), [topic], async (message) => {
          attempts.push(message.event.id);
          if (message.event.id === 'only-key#2' && !failed) {
            failed = true;
            throw new Error('transient failure');
          }
        });
        await waitUntil(
          () => attempts.length >= 6,
          deliveryTimeoutMs,
          () => `attempts ${attempts.join(',')}`,
        );
        await sleep(quietPeriodMs);

        expect(attempts).toEqual([
          'only-key#0',
          'only-key#1',
          'only-key#2',
          'only-key#2',
          'only-key#3',
          'only-key#4',
        ]);
      },
      testTimeoutMs,
    );

    it(
      'hands a batch handler consecutive messages of one partition, in order, at most maxBatchSize at a time',
      async () => {
        const topic = uniqueName('contract.batch');
        const messages = interleaved(topic, ['a', 'b', 'c'], 20);
        await bus.publish(messages);
        const batches: DeliveredMessage[][] = [];
        subscriptions.push(
          await bus.subscribe({
            groupId: uniqueName('group'),
            topics: [topic],
            maxBatchSize: 7,
            batchHandler: async (batch) => {
              batches.push([...batch]);
            },
          }),
        );
        const count = (): number => batches.reduce((n, b) => n + b.length, 0);
        await waitUntil(
          () => count() >= messages.length,
          deliveryTimeoutMs,
          () => `${count()}/${messages.length}`,
        );
        await sleep(quietPeriodMs);
        expect(count()).toBe(messages.length);
        for (const batch of batches) {
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(7);
          expect(new Set(batch.map((m) => m.partition)).size).toBe(1);
          const offsets = batch.map((m) => BigInt(m.offset));
          offsets.forEach((o, i) => i === 0 || expect(o).toBe(offsets[i - 1] + 1n));
        }
        for (const key of ['a', 'b', 'c']) {
          const seqs = batches
            .flat()
            .filter((m) => m.key === key)
            .map(sequenceOf);
          expect(seqs).toEqual([...Array(20).keys()]);
        }
      },
      testTimeoutMs,
    );

    it(
      'redelivers the whole batch whose handler rejected, before anything later',
      async () => {
        const topic = uniqueName('contract.batch-retry');
        await bus.publish([0, 1, 2, 3, 4, 5].map((seq) => aMessage(topic, 'only-key', seq)));
        const attempts: string[][] = [];
        let failed = false;
        subscriptions.push(
          await bus.subscribe({
            groupId: uniqueName('group'),
            topics: [topic],
            maxBatchSize: 4,
            batchHandler: async (batch) => {
              attempts.push(idsOf(batch));
              if (!failed && batch.some((m) => m.event.id === 'only-key#2')) {
                failed = true;
                throw new Error('transient failure');
              }
            },
          }),
        );
        const ids = (): string[] => attempts.slice(1).flat();
        await waitUntil(
          () => failed && new Set(ids()).size >= 6 && ids().includes('only-key#5'),
          deliveryTimeoutMs,
          () => `attempts ${JSON.stringify(attempts)}`,
        );
        await sleep(quietPeriodMs);
        // The failed batch comes again from its first message; nothing is skipped or reordered.
        expect(attempts[1][0]).toBe(attempts[0][0]);
        const delivered = attempts.slice(1).flat();
        expect(delivered).toEqual([0, 1, 2, 3, 4, 5].map((seq) => `only-key#${seq}`));
      },
      testTimeoutMs,
    );

    it(
      'refuses a subscription with both or neither handler, or a bad batch size',
      async () => {
        const topics = [uniqueName('contract.options')];
        const handler = async (): Promise<void> => undefined;
        for (const options of [
          { groupId: 'g', topics, handler, batchHandler: handler },
          { groupId: 'g', topics },
          { groupId: 'g', topics, batchHandler: handler, maxBatchSize: 0 },
        ]) {
          await expect(
            bus.subscribe(options as unknown as Parameters<EventBus['subscribe']>[0]),
          ).rejects.toMatchObject({ code: EventsErrorCode.InvalidEvent });
        }
      },
      testTimeoutMs,
    );

    it(
      'holds back only the partition of a failing message',
      async () => {
        const topic = uniqueName('contract.isolation');
        const keys = Array.from({ length: 12 }, (_, i) => `stream-${i}`);
        const stuckKey = keys[0];
        let failing = true;
        let stuckPartition: number | undefined;
        const received = await collect(uniqueName('group'), [topic], async (message) => {
          if (message.key === stuckKey) stuckPartition = message.partition;
          if (failing && message.key === stuckKey) throw new Error('still failing');
        });
        await bus.publish(keys.map((key) => aMessage(topic, key, 0)));

        await waitUntil(
          () => stuckPartition !== undefined,
          deliveryTimeoutMs,
          () => 'the failing delivery',
        );
        await waitUntil(
          () => received.filter((message) => message.partition !== stuckPartition).length > 0,
          deliveryTimeoutMs,
          () => 'deliveries from other partitions',
        );
        const elsewhere = received.filter((message) => message.partition !== stuckPartition);
        expect(elsewhere.length).toBeGreaterThan(0);
        expect(received.some((message) => message.key === stuckKey)).toBe(false);

        failing = false;
        await waitUntil(
          () => received.length >= keys.length,
          deliveryTimeoutMs,
          () => `${received.length}/${keys.length}`,
        );
        expect(received.map((message) => message.key).sort()).toEqual([...keys].sort());
      },
      testTimeoutMs,
    );

    it(
      'resumes a re-subscribed group after its last committed offset',
      async () => {
        const topic = uniqueName('contract.resume');
        const groupId = uniqueName('group');
        const before = interleaved(topic, ['p', 'q', 'r'], 3);
        const after = interleaved(topic, ['p', 'q', 'r'], 6).slice(before.length);
        await bus.publish(before);

        const firstRun: DeliveredMessage[] = [];
        const firstSubscription = await bus.subscribe({
          groupId,
          topics: [topic],
          handler: async (message) => {
            firstRun.push(message);
          },
        });
        await waitUntil(
          () => firstRun.length >= before.length,
          deliveryTimeoutMs,
          () => `${firstRun.length}/${before.length}`,
        );
        await firstSubscription.close();

        await bus.publish(after);
        const secondRun = await collect(groupId, [topic]);
        await waitUntil(
          () => secondRun.length >= after.length,
          deliveryTimeoutMs,
          () => `${secondRun.length}/${after.length}`,
        );
        await sleep(quietPeriodMs);

        expect(idsOf(firstRun).sort()).toEqual(idsOf(before).sort());
        expect(idsOf(secondRun).sort()).toEqual(idsOf(after).sort());
      },
      testTimeoutMs,
    );

    it(
      'starts a new group at the end when fromBeginning is false',
      async () => {
        const topic = uniqueName('contract.latest');
        await bus.publish([aMessage(topic, 'k', 0)]);
        const received: DeliveredMessage[] = [];
        subscriptions.push(
          await bus.subscribe({
            groupId: uniqueName('group'),
            topics: [topic],
            fromBeginning: false,
            handler: async (message) => {
              received.push(message);
            },
          }),
        );
        await bus.publish([aMessage(topic, 'k', 1)]);
        await waitUntil(
          () => received.length >= 1,
          deliveryTimeoutMs,
          () => 'the later message',
        );
        await sleep(quietPeriodMs);
        expect(idsOf(received)).toEqual(['k#1']);
      },
      testTimeoutMs,
    );

    it(
      'rejects an invalid envelope with InvalidEvent and publishes nothing of the batch',
      async () => {
        const topic = uniqueName('contract.invalid');
        const valid = aMessage(topic, 'k', 0);
        const invalid = aMessage(topic, 'k', 1, { id: '' });
        await expect(bus.publish([valid, invalid])).rejects.toMatchObject({
          code: EventsErrorCode.InvalidEvent,
        });
        await expect(
          bus.publish([aMessage(topic, 'k', 2, { time: new Date(Number.NaN) })]),
        ).rejects.toBeInstanceOf(EventsError);
        await expect(bus.publish([{ ...valid, key: '' }])).rejects.toMatchObject({
          code: EventsErrorCode.InvalidEvent,
        });

        await bus.publish([aMessage(topic, 'k', 3)]);
        const received = await collect(uniqueName('group'), [topic]);
        await waitUntil(
          () => received.length >= 1,
          deliveryTimeoutMs,
          () => 'the valid message',
        );
        await sleep(quietPeriodMs);
        expect(idsOf(received)).toEqual(['k#3']);
      },
      testTimeoutMs,
    );

    it(
      'closes twice without error and refuses to publish afterwards',
      async () => {
        const subscription = await bus.subscribe({
          groupId: uniqueName('group'),
          topics: [uniqueName('contract.close')],
          handler: async () => undefined,
        });
        await subscription.close();
        await subscription.close();
        await bus.close();
        await bus.close();
        await expect(
          bus.publish([aMessage(uniqueName('contract.close'), 'k', 0)]),
        ).rejects.toMatchObject({
          code: EventsErrorCode.BusUnavailable,
        });
        expect(await bus.isReady()).toBe(false);
      },
      testTimeoutMs,
    );
  });
}
