import { verifySignature, WEBHOOK_HEADERS } from '../src/domain/webhook-signature';
import { appendCall, appendTenant, CALL_TYPES } from './support/call-events';
import { eventually, startGateway, type Gateway } from './support/gateway-platform';
import { WebhookReceiver, type ReceivedDelivery } from './support/webhook-receiver';
import { createTestDatabase, type TestDatabase } from '@pbx/testing';

interface CloudEvent {
  specversion: string;
  id: string;
  type: string;
  subject: string;
  source: string;
  tenant: string;
  time: string;
  datacontenttype: string;
  data: { callId: string; [key: string]: unknown };
}

const events = (received: readonly ReceivedDelivery[]): CloudEvent[] =>
  received.map((r) => JSON.parse(r.body) as CloudEvent);

const header = (delivery: ReceivedDelivery, name: string): string | undefined => {
  const value = delivery.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

function verified(delivery: ReceivedDelivery, secret: string): string | undefined {
  return verifySignature(
    secret,
    {
      [WEBHOOK_HEADERS.id]: header(delivery, WEBHOOK_HEADERS.id),
      [WEBHOOK_HEADERS.timestamp]: header(delivery, WEBHOOK_HEADERS.timestamp),
      [WEBHOOK_HEADERS.signature]: header(delivery, WEBHOOK_HEADERS.signature),
    },
    delivery.body,
    Math.floor(Date.now() / 1000),
  );
}

describe('partner webhooks in a running platform', () => {
  let database: TestDatabase;
  let gateway: Gateway;
  let acme: string;
  let globex: string;
  const receivers: WebhookReceiver[] = [];

  async function receiver(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.start();
    receivers.push(r);
    return r;
  }

  async function createWebhook(
    token: string,
    url: string,
    eventTypes: string[] = ['pbx.calls.v1.*'],
  ): Promise<{ id: string; secret: string }> {
    const created = await gateway.api('POST', '/api/v1/webhooks', token, { url, eventTypes });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    gateway = await startGateway(database.url);
    await appendTenant(gateway.provisioning, 'acme');
    await appendTenant(gateway.provisioning, 'globex');
    acme = await gateway.token({ role: 'enterprise-admin', tenantId: 'acme' });
    globex = await gateway.token({ role: 'group-admin', tenantId: 'globex', groupId: 'globex' });
  });

  // A test that fails half-way must not leave webhooks that receive the next tests' events.
  afterEach(async () => {
    const { body } = await gateway.api('GET', '/api/v1/webhooks?limit=200', gateway.operatorToken);
    for (const webhook of body.items as { id: string }[]) {
      await gateway.api('DELETE', `/api/v1/webhooks/${webhook.id}`, gateway.operatorToken);
    }
  });

  afterAll(async () => {
    for (const r of receivers) await r.stop();
    await gateway?.platform.stop('test done');
    await database?.drop();
  });

  it("delivers a call's events in order as signed CloudEvents", async () => {
    const hook = await receiver();
    const { id, secret } = await createWebhook(acme, hook.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const callId = await appendCall(gateway.routing, 'acme');
    const received = await hook.waitFor(4);
    const cloudEvents = events(received);
    expect(cloudEvents.map((e) => e.type)).toEqual(CALL_TYPES);
    for (const [i, delivery] of received.entries()) {
      expect(verified(delivery, secret)).toBeUndefined();
      expect(verified(delivery, `${secret.slice(0, -5)}AAAA=`)).toBe('bad-signature');
      expect(header(delivery, 'content-type')).toBe('application/cloudevents+json; charset=utf-8');
      expect(header(delivery, WEBHOOK_HEADERS.id)).toBe(cloudEvents[i].id);
    }
    expect(cloudEvents[0]).toMatchObject({
      specversion: '1.0',
      source: '/pbx/routing',
      subject: `call-${callId}`,
      tenant: 'acme',
      datacontenttype: 'application/json',
      data: { callId, direction: 'CALL_DIRECTION_INTERNAL', dialed: '202' },
    });
    expect(cloudEvents[3].data).toMatchObject({
      cause: 'CALL_END_CAUSE_NORMAL',
      by: 'CALL_SIDE_CALLER',
    });

    // The receiver has the last event a moment before the platform has stored its answer.
    const webhook = await eventually(async () => {
      const { body } = await gateway.api('GET', `/api/v1/webhooks/${id}`, acme);
      return body.pendingDeliveries === 0 ? body : undefined;
    }, 'the last delivery to be recorded');
    expect(webhook).toMatchObject({ state: 'healthy', consecutiveFailures: 0, deadDeliveries: 0 });
    const deliveries = await gateway.api('GET', `/api/v1/webhooks/${id}/deliveries`, acme);
    expect(deliveries.body.items.map((d: { status: string }) => d.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
    // Newest first, with their attempts.
    expect(deliveries.body.items[0]).toMatchObject({
      eventType: 'pbx.calls.v1.CallEnded',
      attempts: 1,
      lastStatus: 204,
    });
    await gateway.api('DELETE', `/api/v1/webhooks/${id}`, acme);
  });

  it('queues while the receiver is down, shows the webhook failing, and resumes in order', async () => {
    const hook = await receiver();
    const { id, secret } = await createWebhook(acme, hook.url);
    await hook.stop();
    const first = await appendCall(gateway.routing, 'acme');
    const second = await appendCall(gateway.routing, 'acme');
    const failing = await eventually(async () => {
      const { body } = await gateway.api('GET', `/api/v1/webhooks/${id}`, acme);
      return body.consecutiveFailures >= 2 && body.pendingDeliveries === 8 ? body : undefined;
    }, 'the webhook to fail with every delivery queued');
    expect(failing).toMatchObject({ state: 'failing', deadDeliveries: 0 });
    expect(failing.lastError).toMatch(/ECONNREFUSED/);
    expect(Date.parse(failing.nextAttemptAt)).toBeGreaterThan(Date.parse(failing.lastFailureAt));
    const [head] = (
      await gateway.api('GET', `/api/v1/webhooks/${id}/deliveries?status=pending&limit=200`, acme)
    ).body.items.slice(-1);
    expect(head).toMatchObject({ eventType: 'pbx.calls.v1.CallStarted' });
    expect(head.attempts).toBeGreaterThanOrEqual(2);
    expect(head.lastError).toMatch(/ECONNREFUSED/);

    await hook.start();
    const received = await hook.waitFor(8);
    const cloudEvents = events(received);
    // Each call's events in their order; two calls are two streams, which may interleave.
    for (const callId of [first, second]) {
      expect(cloudEvents.filter((e) => e.data.callId === callId).map((e) => e.type)).toEqual(
        CALL_TYPES,
      );
    }
    for (const delivery of received) expect(verified(delivery, secret)).toBeUndefined();
    const healthy = await eventually(async () => {
      const { body } = await gateway.api('GET', `/api/v1/webhooks/${id}`, acme);
      return body.state === 'healthy' && body.pendingDeliveries === 0 ? body : undefined;
    }, 'the webhook to be healthy again');
    expect(healthy).toMatchObject({
      pendingDeliveries: 0,
      consecutiveFailures: 0,
      nextAttemptAt: null,
    });
    expect(hook.received).toHaveLength(8);
    await gateway.api('DELETE', `/api/v1/webhooks/${id}`, acme);
  });

  it('honours a 503 with Retry-After and keeps order behind the waiting delivery', async () => {
    const hook = await receiver();
    let refused = 0;
    hook.answer = () =>
      refused++ === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 };
    const { id } = await createWebhook(acme, hook.url);
    await appendCall(gateway.routing, 'acme');
    const received = await hook.waitFor(5);
    // The first attempt was refused; the retry came a second later, then the rest in order.
    expect(received[1].at - received[0].at).toBeGreaterThanOrEqual(950);
    expect(events(received).map((e) => e.type)).toEqual([CALL_TYPES[0], ...CALL_TYPES]);
    await gateway.api('DELETE', `/api/v1/webhooks/${id}`, acme);
  });

  it('dead-letters after the last attempt, moves on, and re-drives on request', async () => {
    const hook = await receiver();
    hook.answer = () => ({ status: 500 });
    const { id } = await createWebhook(acme, hook.url, ['pbx.calls.v1.CallStarted']);
    await appendCall(gateway.routing, 'acme');
    const dead = await eventually(
      async () => {
        const { body } = await gateway.api(
          'GET',
          `/api/v1/webhooks/${id}/deliveries?status=dead`,
          acme,
        );
        return body.items.length === 1 ? body.items[0] : undefined;
      },
      'the delivery to be dead-lettered',
      20_000,
    );
    expect(dead).toMatchObject({ attempts: 8, lastStatus: 500, nextAttemptAt: null });
    expect(dead.lastError).toBe('the receiver answered 500 (attempt 8 of 8): receiver says hi');
    expect(hook.received).toHaveLength(8);
    const webhook = (await gateway.api('GET', `/api/v1/webhooks/${id}`, acme)).body;
    // Failing, not disabled: the next event is tried at once.
    expect(webhook).toMatchObject({ state: 'failing', deadDeliveries: 1, pendingDeliveries: 0 });
    expect(webhook.consecutiveFailures).toBe(8);

    hook.answer = () => ({ status: 204 });
    await appendCall(gateway.routing, 'acme');
    await hook.waitFor(9);
    const redriven = await gateway.api(
      'POST',
      `/api/v1/webhooks/${id}/deliveries/${dead.id}/redrive`,
      acme,
    );
    expect(redriven).toMatchObject({ status: 200, body: { redriven: 1 } });
    const [again] = events(await hook.waitFor(10)).slice(-1);
    expect(again.id).toBe(dead.eventId);
    const after = await eventually(async () => {
      const { body } = await gateway.api(
        'GET',
        `/api/v1/webhooks/${id}/deliveries/${dead.id}`,
        acme,
      );
      return body.status === 'delivered' ? body : undefined;
    }, 'the re-driven delivery to be recorded');
    expect(after).toMatchObject({ status: 'delivered', attempts: 1, event: { id: dead.eventId } });
    // Nothing dead is left to re-drive.
    expect((await gateway.api('POST', `/api/v1/webhooks/${id}/redrive`, acme)).body).toEqual({
      redriven: 0,
    });
    await gateway.api('DELETE', `/api/v1/webhooks/${id}`, acme);
  });

  it('dead-letters at once an event the receiver refuses with 422, and re-drives all', async () => {
    const hook = await receiver();
    hook.answer = () => ({ status: 422 });
    const { id } = await createWebhook(acme, hook.url);
    await appendCall(gateway.routing, 'acme');
    await eventually(async () => {
      const { body } = await gateway.api('GET', `/api/v1/webhooks/${id}`, acme);
      return body.deadDeliveries === 4 ? true : undefined;
    }, 'four dead letters');
    expect(hook.received).toHaveLength(4);
    hook.answer = () => ({ status: 200 });
    expect((await gateway.api('POST', `/api/v1/webhooks/${id}/redrive`, acme)).body).toEqual({
      redriven: 4,
    });
    expect(
      events(await hook.waitFor(8))
        .slice(4)
        .map((e) => e.type),
    ).toEqual(CALL_TYPES);
    await gateway.api('DELETE', `/api/v1/webhooks/${id}`, acme);
  });

  it('holds deliveries while paused and sends them on resume', async () => {
    const hook = await receiver();
    const { id } = await createWebhook(acme, hook.url);
    const paused = await gateway.api('PATCH', `/api/v1/webhooks/${id}`, acme, { paused: true });
    expect(paused.body).toMatchObject({ state: 'paused', version: 2 });
    expect(paused.headers.get('etag')).toBe('"2"');
    await appendCall(gateway.routing, 'acme');
    await eventually(async () => {
      const { body } = await gateway.api('GET', `/api/v1/webhooks/${id}`, acme);
      return body.pendingDeliveries === 4 ? true : undefined;
    }, 'four deliveries queued');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.received).toHaveLength(0);
    const stale = await gateway.api(
      'PATCH',
      `/api/v1/webhooks/${id}`,
      acme,
      { paused: false },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    await gateway.api(
      'PATCH',
      `/api/v1/webhooks/${id}`,
      acme,
      { paused: false },
      { 'if-match': '"2"' },
    );
    expect(events(await hook.waitFor(4)).map((e) => e.type)).toEqual(CALL_TYPES);
    await gateway.api('DELETE', `/api/v1/webhooks/${id}`, acme);
  });

  it('rotates the secret: the new one signs, the old one still verifies for a while', async () => {
    const hook = await receiver();
    const { id, secret: old } = await createWebhook(acme, hook.url, ['pbx.calls.v1.CallStarted']);
    const rotated = await gateway.api('POST', `/api/v1/webhooks/${id}/rotate-secret`, acme);
    expect(rotated.status).toBe(200);
    const secret = rotated.body.secret as string;
    expect(secret).not.toBe(old);
    await appendCall(gateway.routing, 'acme');
    const [delivery] = await hook.waitFor(1);
    expect(verified(delivery, secret)).toBeUndefined();
    expect(verified(delivery, old)).toBeUndefined();
    expect(header(delivery, WEBHOOK_HEADERS.signature)?.split(' ')).toHaveLength(2);
    // The secret is never shown again.
    expect(
      JSON.stringify((await gateway.api('GET', `/api/v1/webhooks/${id}`, acme)).body),
    ).not.toContain(secret.slice(6, 20));
    await gateway.api('DELETE', `/api/v1/webhooks/${id}`, acme);
  });

  it('keeps each tenant to its own webhooks and events', async () => {
    const acmeHook = await receiver();
    const globexHook = await receiver();
    const mine = await createWebhook(acme, acmeHook.url, ['*']);
    const theirs = await createWebhook(globex, globexHook.url, ['*']);
    await appendCall(gateway.routing, 'globex');
    await appendCall(gateway.routing, 'acme');
    await acmeHook.waitFor(4);
    await globexHook.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(new Set(events(acmeHook.received).map((e) => e.tenant))).toEqual(new Set(['acme']));
    expect(new Set(events(globexHook.received).map((e) => e.tenant))).toEqual(new Set(['globex']));
    expect(acmeHook.received).toHaveLength(4);
    expect(globexHook.received).toHaveLength(4);

    for (const [method, path] of [
      ['GET', `/api/v1/webhooks/${theirs.id}`],
      ['PATCH', `/api/v1/webhooks/${theirs.id}`],
      ['DELETE', `/api/v1/webhooks/${theirs.id}`],
      ['GET', `/api/v1/webhooks/${theirs.id}/deliveries`],
      ['POST', `/api/v1/webhooks/${theirs.id}/redrive`],
      ['POST', `/api/v1/webhooks/${theirs.id}/rotate-secret`],
    ]) {
      const response = await gateway.api(
        method,
        path,
        acme,
        method === 'PATCH' ? { paused: true } : undefined,
      );
      expect({ path, status: response.status, code: response.body?.error?.code }).toEqual({
        path,
        status: 404,
        code: 'WEBHOOK_NOT_FOUND',
      });
    }
    const listed = await gateway.api('GET', '/api/v1/webhooks', acme);
    expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([mine.id]);
    expect((await gateway.api('GET', '/api/v1/webhooks?tenant=globex', acme)).body.items).toEqual(
      [],
    );
    const foreign = await gateway.api('POST', '/api/v1/webhooks', acme, {
      url: acmeHook.url,
      eventTypes: ['*'],
      tenant: 'globex',
    });
    expect(foreign.status).toBe(404);
    // The operator sees both and names the tenant to create one.
    const all = await gateway.api('GET', '/api/v1/webhooks', gateway.operatorToken);
    expect(all.body.items.map((w: { id: string }) => w.id).sort()).toEqual(
      [mine.id, theirs.id].sort(),
    );
    expect(
      (
        await gateway.api('POST', '/api/v1/webhooks', gateway.operatorToken, {
          url: acmeHook.url,
          eventTypes: ['*'],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await gateway.api('POST', '/api/v1/webhooks', gateway.operatorToken, {
          url: acmeHook.url,
          eventTypes: ['*'],
          tenant: 'initech',
        })
      ).body.error.code,
    ).toBe('TENANT_NOT_FOUND');
    await gateway.api('DELETE', `/api/v1/webhooks/${mine.id}`, acme);
    await gateway.api('DELETE', `/api/v1/webhooks/${theirs.id}`, globex);
  });

  it('refuses bad input with every problem named, and users altogether', async () => {
    const bad = await gateway.api('POST', '/api/v1/webhooks', acme, {
      url: 'ftp://crm.example.com/x',
      eventTypes: ['pbx.calls.v1.CallStart', 'pbx.calls.v1.*'],
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_REQUEST');
    expect(bad.body.error.message).toContain('extra');
    const shape = await gateway.api('POST', '/api/v1/webhooks', acme, {
      url: 'ftp://crm.example.com/x',
      eventTypes: ['pbx.calls.v1.CallStart', 'pbx.calls.v1.*'],
    });
    expect(shape.body.error.message).toBe(
      'url: only http and https URLs can receive webhooks, not ftp:; eventTypes: "pbx.calls.v1.CallStart" is not an event type the platform publishes',
    );
    expect(
      (
        await gateway.api('POST', '/api/v1/webhooks', acme, {
          url: 'https://x.example',
          eventTypes: [],
        })
      ).status,
    ).toBe(400);
    expect((await gateway.api('GET', '/api/v1/webhooks/not-a-uuid', acme)).status).toBe(404);
    expect((await gateway.api('GET', '/api/v1/webhooks?cursor=garbage', acme)).status).toBe(400);
    expect((await gateway.api('GET', '/api/v1/webhooks', 'nope')).status).toBe(401);
    const user = await gateway.token({
      role: 'user',
      tenantId: 'acme',
      groupId: 'acme-hq',
      userId: '201',
    });
    expect((await gateway.api('GET', '/api/v1/webhooks', user)).status).toBe(403);
  });

  it('counts deliveries and the queue in /metrics', async () => {
    const metrics = await (await fetch(`${gateway.platform.url}/metrics`)).text();
    expect(metrics).toMatch(/pbx_webhook_attempts_total\{outcome="delivered"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/pbx_webhook_attempts_total\{outcome="dead"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/pbx_webhook_queue_depth\{status="pending"[^}]*\} 0/);
    expect(metrics).toMatch(/pbx_webhook_delivery_latency_seconds_count\{[^}]*\} [1-9]/);
  });
});
