import { describeEventBusContract } from './event-bus.contract';
import { aMessage, sleep, uniqueName, waitUntil } from './event-bus.test-kit';
import { DeliveredMessage } from './event-bus.port';
import { InProcessEventBus } from './in-process-event-bus';

describeEventBusContract(
  InProcessEventBus.name,
  () => new InProcessEventBus({ handlerRetryBackoff: { initialMs: 5, maxMs: 50 } }),
  { deliveryTimeoutMs: 2_000, quietPeriodMs: 50, testTimeoutMs: 5_000 },
);

describe(InProcessEventBus.name, () => {
  let bus: InProcessEventBus;

  afterEach(async () => {
    await bus.close();
  });

  it("never calls a handler inside the publisher's synchronous turn", async () => {
    bus = new InProcessEventBus();
    const topic = uniqueName('inproc.async');
    let inPublish = false;
    let calledDuringPublish = false;
    let calls = 0;
    await bus.subscribe({
      groupId: 'g',
      topics: [topic],
      handler: async () => {
        calls += 1;
        if (inPublish) calledDuringPublish = true;
      },
    });
    inPublish = true;
    const published = bus.publish([aMessage(topic, 'k', 0)]);
    await published;
    inPublish = false;
    await waitUntil(() => calls === 1, 1_000);
    expect(calledDuringPublish).toBe(false);
  });

  it('shares partitions between the members of one group without duplicates', async () => {
    bus = new InProcessEventBus({ partitions: 4 });
    const topic = uniqueName('inproc.share');
    const byMember: DeliveredMessage[][] = [[], []];
    for (const received of byMember) {
      await bus.subscribe({
        groupId: 'g',
        topics: [topic],
        handler: async (message) => void received.push(message),
      });
    }
    const messages = Array.from({ length: 200 }, (_, i) => aMessage(topic, `key-${i % 20}`, i));
    await bus.publish(messages);
    await waitUntil(() => byMember[0].length + byMember[1].length >= messages.length, 2_000);
    await sleep(50);

    expect(byMember[0].length).toBeGreaterThan(0);
    expect(byMember[1].length).toBeGreaterThan(0);
    const all = [...byMember[0], ...byMember[1]].map((message) => message.event.id).sort();
    expect(all).toEqual(messages.map((message) => message.event.id).sort());
    const partitionsOf = (received: DeliveredMessage[]): Set<number> =>
      new Set(received.map((m) => m.partition));
    const overlap = [...partitionsOf(byMember[0])].filter((p) => partitionsOf(byMember[1]).has(p));
    expect(overlap).toEqual([]);
  });

  it("hands a leaving member's partitions to the remaining one", async () => {
    bus = new InProcessEventBus({ partitions: 4 });
    const topic = uniqueName('inproc.handover');
    const stayed: string[] = [];
    await bus.subscribe({
      groupId: 'g',
      topics: [topic],
      handler: async (m) => void stayed.push(m.event.id),
    });
    const leaving = await bus.subscribe({
      groupId: 'g',
      topics: [topic],
      handler: async () => undefined,
    });
    await leaving.close();
    const messages = Array.from({ length: 40 }, (_, i) => aMessage(topic, `key-${i}`, i));
    await bus.publish(messages);
    await waitUntil(() => stayed.length >= messages.length, 2_000);
    expect(stayed.sort()).toEqual(messages.map((m) => m.event.id).sort());
  });

  it('copies envelopes so that later changes by the publisher do not reach consumers', async () => {
    bus = new InProcessEventBus();
    const topic = uniqueName('inproc.copy');
    const message = aMessage(topic, 'k', 7);
    await bus.publish([message]);
    (message.event.data as Uint8Array)[0] = 99;
    const received: DeliveredMessage[] = [];
    await bus.subscribe({
      groupId: 'g',
      topics: [topic],
      handler: async (m) => void received.push(m),
    });
    await waitUntil(() => received.length === 1, 1_000);
    expect([...received[0].event.data]).toEqual([7, 0]);
  });

  it('drops the oldest records beyond the retention and resumes a late group at the oldest kept', async () => {
    bus = new InProcessEventBus({ partitions: 1, retainPerPartition: 8 });
    const topic = uniqueName('inproc.retention');
    await bus.publish(Array.from({ length: 30 }, (_, i) => aMessage(topic, 'k', i)));
    const received: number[] = [];
    await bus.subscribe({
      groupId: 'g',
      topics: [topic],
      handler: async (m) => void received.push(Number(m.offset)),
    });
    await waitUntil(() => received.at(-1) === 29, 1_000);
    expect(received.length).toBeLessThanOrEqual(10);
    expect(received).toEqual(
      Array.from({ length: received.length }, (_, i) => 30 - received.length + i),
    );
  });

  it('tells onHandlerError about a failure and keeps retrying with a bounded backoff', async () => {
    const errors: unknown[] = [];
    bus = new InProcessEventBus({
      handlerRetryBackoff: { initialMs: 1, maxMs: 4 },
      onHandlerError: (error) => {
        errors.push(error);
        throw new Error('a broken listener changes nothing');
      },
    });
    const topic = uniqueName('inproc.errors');
    let attempts = 0;
    await bus.subscribe({
      groupId: 'g',
      topics: [topic],
      handler: async () => {
        attempts += 1;
        if (attempts < 6) throw new Error(`attempt ${attempts}`);
      },
    });
    await bus.publish([aMessage(topic, 'k', 0)]);
    await waitUntil(() => attempts === 6, 1_000);
    expect(errors).toHaveLength(5);
  });

  it('rejects a non-positive partition count', () => {
    bus = new InProcessEventBus();
    expect(() => new InProcessEventBus({ partitions: 0 })).toThrow(RangeError);
  });
});
