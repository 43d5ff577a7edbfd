import {
  createTestDatabase,
  startKafkaMock,
  type KafkaMock,
  type TestDatabase,
} from '@pbx/testing';
import { appendCall, appendTenant, CALL_TYPES } from './support/call-events';
import { startGateway, type Gateway } from './support/gateway-platform';
import { WebhookReceiver } from './support/webhook-receiver';

// The distributed shape: events reach the fan-out through Kafka (librdkafka's mock cluster,
// topics with 4 partitions), keyed by stream, so a call's events stay in order.
describe('webhooks fed through Kafka', () => {
  let database: TestDatabase;
  let kafka: KafkaMock;
  let gateway: Gateway;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    database = await createTestDatabase();
    kafka = await startKafkaMock();
    gateway = await startGateway(database.url, { KAFKA_BROKERS: kafka.brokers.join(',') });
    await appendTenant(gateway.provisioning, 'acme');
    await receiver.start();
  }, 60_000);

  afterAll(async () => {
    await receiver.stop();
    await gateway?.platform.stop('test done');
    await kafka?.stop();
    await database?.drop();
  });

  it("delivers every call's events in order", async () => {
    const admin = await gateway.token({ role: 'enterprise-admin', tenantId: 'acme' });
    const created = await gateway.api('POST', '/api/v1/webhooks', admin, {
      url: receiver.url,
      eventTypes: ['pbx.calls.v1.*'],
    });
    expect(created.status).toBe(201);
    const calls: string[] = [];
    for (let i = 0; i < 5; i++) calls.push(await appendCall(gateway.routing, 'acme'));
    const events = (await receiver.waitFor(20, 30_000)).map(
      (r) => JSON.parse(r.body) as { id: string; type: string; data: { callId: string } },
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(20);
    for (const callId of calls) {
      expect(events.filter((e) => e.data.callId === callId).map((e) => e.type)).toEqual(CALL_TYPES);
    }
  }, 60_000);
});
