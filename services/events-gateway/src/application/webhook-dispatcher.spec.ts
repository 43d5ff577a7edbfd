import type { AttemptResult } from '../domain/retry-policy';
import type {
  AttemptRecord,
  ClaimedWebhook,
  DeliverySender,
  DispatchQueue,
  HeadDelivery,
  OutgoingDelivery,
  SentAttempt,
} from './webhook-dispatch.port';
import { WebhookDispatcher } from './webhook-dispatcher';

const head = (n: number): HeadDelivery => ({
  id: String(n),
  seq: String(n),
  eventId: `event-${n}`,
  eventTime: new Date(0),
  body: `{"n":${n}}`,
  attempts: 0,
});

/** One webhook's queue as the dispatcher sees it through the port. */
class FakeQueue implements DispatchQueue {
  readonly records: { head: string; attempt: AttemptRecord }[] = [];
  readonly released: string[] = [];
  claims = 0;
  #claimable: ClaimedWebhook[];

  constructor(
    private readonly pending: HeadDelivery[],
    claimable = true,
  ) {
    this.#claimable = claimable
      ? [{ webhookId: 'w1', url: 'https://crm.example/hook', secrets: ['s'], head: pending[0] }]
      : [];
  }

  async claim(limit: number): Promise<ClaimedWebhook[]> {
    this.claims++;
    return this.#claimable.splice(0, limit);
  }

  async record(
    webhookId: string,
    delivered: HeadDelivery,
    attempt: AttemptRecord,
  ): Promise<ClaimedWebhook | undefined> {
    this.records.push({ head: delivered.id, attempt });
    if (attempt.step.kind !== 'retry') this.pending.shift();
    const next = this.pending[0];
    return attempt.keepLease && next
      ? { webhookId, url: 'https://crm.example/hook', secrets: ['s'], head: next }
      : undefined;
  }

  async release(webhookId: string): Promise<void> {
    this.released.push(webhookId);
  }

  async nextDueInMs(): Promise<number | undefined> {
    return undefined;
  }
}

class FakeSender implements DeliverySender {
  readonly sent: OutgoingDelivery[] = [];
  results: AttemptResult[] = [];
  gate: Promise<void> = Promise.resolve();

  async send(delivery: OutgoingDelivery): Promise<SentAttempt> {
    this.sent.push(delivery);
    await this.gate;
    return { result: this.results.shift() ?? { kind: 'response', status: 204 } };
  }
}

const options = {
  concurrency: 4,
  pollMs: 60_000,
  retry: { maxAttempts: 3, baseMs: 1000, capMs: 60_000 },
  random: () => 0,
};

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A promise and the function that resolves it: a step a fake holds until the test lets it go. */
function gate(): { readonly passed: Promise<void>; readonly open: () => void } {
  let open = (): void => undefined;
  const passed = new Promise<void>((resolve) => (open = resolve));
  return { passed, open };
}

/** Stops a started dispatcher, checks that the stop waits for the held step, then releases it. */
async function stopWhileHeld(dispatcher: WebhookDispatcher, release: () => void): Promise<void> {
  await settle();
  const stopped = dispatcher.stop();
  let done = false;
  void stopped.then(() => (done = true));
  await settle();
  expect(done).toBe(false);
  release();
  await stopped;
}

describe(WebhookDispatcher.name, () => {
  it("sends a webhook's deliveries one after the other, in queue order, under one claim", async () => {
    const queue = new FakeQueue([head(1), head(2), head(3)]);
    const sender = new FakeSender();
    const dispatcher = new WebhookDispatcher(queue, sender, options);
    dispatcher.start();
    await settle();
    await dispatcher.stop();
    expect(sender.sent.map((d) => d.eventId)).toEqual(['event-1', 'event-2', 'event-3']);
    expect(sender.sent[0]).toEqual({
      url: 'https://crm.example/hook',
      secrets: ['s'],
      eventId: 'event-1',
      body: '{"n":1}',
    });
    expect(queue.records.map((r) => [r.head, r.attempt.step.kind, r.attempt.status])).toEqual([
      ['1', 'delivered', 204],
      ['2', 'delivered', 204],
      ['3', 'delivered', 204],
    ]);
  });

  it('gives the lease back on a failure, so the head waits for its backoff', async () => {
    const queue = new FakeQueue([head(1), head(2)]);
    const sender = new FakeSender();
    sender.results = [{ kind: 'response', status: 503 }];
    const dispatcher = new WebhookDispatcher(queue, sender, options);
    dispatcher.start();
    await settle();
    await dispatcher.stop();
    expect(sender.sent.map((d) => d.eventId)).toEqual(['event-1']);
    expect(queue.records[0].attempt).toEqual({
      step: { kind: 'retry', delayMs: 500, error: 'the receiver answered 503' },
      status: 503,
      keepLease: false,
    });
  });

  it('goes on after a dead letter: the next delivery is not held up', async () => {
    const queue = new FakeQueue([head(1), head(2)]);
    const sender = new FakeSender();
    sender.results = [{ kind: 'response', status: 422 }];
    const dispatcher = new WebhookDispatcher(queue, sender, options);
    dispatcher.start();
    await settle();
    await dispatcher.stop();
    expect(queue.records.map((r) => r.attempt.step.kind)).toEqual(['dead', 'delivered']);
  });

  it('releases a claimed webhook whose queue turned out empty', async () => {
    const queue = new FakeQueue([]);
    const dispatcher = new WebhookDispatcher(queue, new FakeSender(), options);
    dispatcher.start();
    await settle();
    await dispatcher.stop();
    expect(queue.released).toEqual(['w1']);
  });

  it('hands a busy webhook back after `fairness` deliveries so others get their turn', async () => {
    const queue = new FakeQueue([head(1), head(2), head(3)]);
    const dispatcher = new WebhookDispatcher(queue, new FakeSender(), { ...options, fairness: 2 });
    dispatcher.start();
    await settle();
    await dispatcher.stop();
    expect(queue.records.map((r) => r.attempt.keepLease)).toEqual([true, false]);
  });

  it('on stop, finishes the attempt under way and starts no other', async () => {
    const queue = new FakeQueue([head(1), head(2)]);
    const sender = new FakeSender();
    const sending = gate();
    sender.gate = sending.passed;
    const dispatcher = new WebhookDispatcher(queue, sender, options);
    dispatcher.start();
    await stopWhileHeld(dispatcher, sending.open);
    expect(sender.sent).toHaveLength(1);
    expect(queue.records[0].attempt.keepLease).toBe(false);
  });

  it('on stop during a claim, hands what the claim brings back instead of keeping its lease', async () => {
    const queue = new FakeQueue([head(1), head(2)]);
    const claiming = gate();
    const claim = queue.claim.bind(queue);
    queue.claim = async (limit: number): Promise<ClaimedWebhook[]> => {
      await claiming.passed;
      return claim(limit);
    };
    const sender = new FakeSender();
    const dispatcher = new WebhookDispatcher(queue, sender, options);
    dispatcher.start();
    await stopWhileHeld(dispatcher, claiming.open);
    // The claimed head was tried once and its lease given back with the record; nothing else.
    expect(sender.sent.map((d) => d.eventId)).toEqual(['event-1']);
    expect(queue.records.map((r) => r.attempt.keepLease)).toEqual([false]);
  });

  it('looks at the queue again when woken during a look', async () => {
    const queue = new FakeQueue([], false);
    const dispatcher = new WebhookDispatcher(queue, new FakeSender(), options);
    dispatcher.start();
    dispatcher.wake();
    dispatcher.wake();
    await settle();
    await dispatcher.stop();
    expect(queue.claims).toBe(2);
  });
});
