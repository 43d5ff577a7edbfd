import { createTestDatabase, type TestDatabase } from '@pbx/testing';
import { appendCall, appendTenant, CALL_TYPES } from './support/call-events';
import { startGateway, type Gateway } from './support/gateway-platform';
import { WebhookReceiver } from './support/webhook-receiver';

const delivered = async (gateway: Gateway): Promise<number> => {
  const text = await (await fetch(`${gateway.platform.url}/metrics`)).text();
  return Number(
    /pbx_webhook_attempts_total\{outcome="delivered"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0,
  );
};

// The second test keeps deliveries failing while the replicas stop one after the other; with the
// harness's 8 fast attempts they could be dead-lettered before the restart on a loaded machine.
const PATIENT = { PBX_WEBHOOK_MAX_ATTEMPTS: '100' }; // about 40 s of attempts at the 400 ms cap

describe('two events-gateway replicas on one database', () => {
  let database: TestDatabase;
  const gateways: Gateway[] = [];
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    gateways.push(await startGateway(database.url, PATIENT, 'replica-a'));
    gateways.push(await startGateway(database.url, PATIENT, 'replica-b'));
    await appendTenant(gateways[0].provisioning, 'acme');
  });

  afterAll(async () => {
    for (const r of receivers) await r.stop();
    for (const g of gateways) await g.platform.stop('test done');
    await database?.drop();
  });

  it('deliver every event once, in order, while both claim work', async () => {
    const [a, b] = gateways;
    const admin = await a.token({ role: 'enterprise-admin', tenantId: 'acme' });
    for (let i = 0; i < 4; i++) {
      const receiver = new WebhookReceiver();
      await receiver.start();
      receivers.push(receiver);
      // Made through either replica: they share the database.
      const created = await (i % 2 === 0 ? a : b).api('POST', '/api/v1/webhooks', admin, {
        url: receiver.url,
        eventTypes: ['pbx.calls.v1.*'],
      });
      expect(created.status).toBe(201);
    }
    const calls: string[] = [];
    for (let i = 0; i < 10; i++) calls.push(await appendCall(a.routing, 'acme'));
    for (const receiver of receivers) {
      const events = (await receiver.waitFor(40, 30_000)).map(
        (r) => JSON.parse(r.body) as { id: string; type: string; data: { callId: string } },
      );
      expect(new Set(events.map((e) => e.id)).size).toBe(40);
      for (const callId of calls) {
        expect(events.filter((e) => e.data.callId === callId).map((e) => e.type)).toEqual(
          CALL_TYPES,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const receiver of receivers) expect(receiver.received).toHaveLength(40);
    // Every attempt succeeded once: no replica sent what the other had sent.
    expect((await delivered(a)) + (await delivered(b))).toBe(160);
  });

  it('a restarted process delivers, in order, what was queued before it stopped', async () => {
    const [a] = gateways;
    const admin = await a.token({ role: 'enterprise-admin', tenantId: 'acme' });
    const receiver = new WebhookReceiver();
    await receiver.start();
    receivers.push(receiver);
    const created = await a.api('POST', '/api/v1/webhooks', admin, {
      url: receiver.url,
      eventTypes: ['pbx.calls.v1.CallStarted', 'pbx.calls.v1.CallEnded'],
    });
    await receiver.stop();
    const calls = [await appendCall(a.routing, 'acme'), await appendCall(a.routing, 'acme')];
    const url = `/api/v1/webhooks/${created.body.id as string}`;
    for (;;) {
      const { body } = await a.api('GET', url, admin);
      if (body.pendingDeliveries === 4 && body.state === 'failing') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const g of gateways.splice(0)) await g.platform.stop('restart');
    await receiver.start();
    gateways.push(await startGateway(database.url, PATIENT, 'replica-restarted'));
    const events = (await receiver.waitFor(4)).map(
      (r) => JSON.parse(r.body) as { type: string; data: { callId: string } },
    );
    // Each call's events in their order; two calls are two streams, which may interleave.
    for (const callId of calls) {
      expect(events.filter((e) => e.data.callId === callId).map((e) => e.type)).toEqual([
        'pbx.calls.v1.CallStarted',
        'pbx.calls.v1.CallEnded',
      ]);
    }
  });
});
