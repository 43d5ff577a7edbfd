import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, WEBHOOK_HEADERS } from '@pbx/events-gateway';
import { eventually, freeUdpPort, sippAvailable } from '@pbx/testing';
import {
  sippCall,
  startSipPlatform,
  type SipPlatform,
  sippAnsweringPhone,
} from '../sip/sip-platform';

// Issue 6, partner events, end to end: a real call between two sipp phones through the built
// standalone platform reaches a partner's webhook as signed CloudEvents, in order.
const TOKEN = 'e2e-operator-token-partner-webhooks-0123456789abcdef';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const suite = sippAvailable() ? describe : describe.skip;

suite('partner webhooks for a real call', () => {
  let sip: SipPlatform;
  let receiver: Server;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    sip = await startSipPlatform({
      token: TOKEN,
      // sipp answers only the first challenge and knows MD5 only.
      digestAlgorithms: 'MD5,SHA-256',
      // The test's receiver listens on 127.0.0.1.
      env: { PBX_WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
    });
  }, 120_000);

  afterAll(async () => {
    await sip?.stop();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("delivers the call's started, answered and ended events, signed and in order", async () => {
    const admin = await sip.platform.post(
      '/api/v1/tokens',
      { role: 'group-admin', group: 'acme', label: 'crm integration' },
      TOKEN,
    );
    const adminToken = (admin.body as { token: string }).token;
    const { port } = receiver.address() as AddressInfo;
    const created = await sip.platform.post(
      '/api/v1/webhooks',
      { url: `http://127.0.0.1:${port}/pbx`, eventTypes: ['pbx.calls.v1.*'] },
      adminToken,
    );
    expect(created.status).toBe(201);
    const { secret } = created.body as { secret: string };

    // bob answers on his phone; alice calls 202 from hers.
    const bobPort = await freeUdpPort();
    await eventually(
      async () =>
        (await sip.register('bob', 's3cret-Bob', bobPort)).code === 0 ? true : undefined,
      20_000,
      'bob registering',
    );
    const bob = await sippAnsweringPhone(bobPort);
    const alice = await sippCall({
      remote: sip.remote,
      from: 'alice',
      password: 's3cret-Alice',
      dialed: '202',
      talkMs: 500,
    });
    expect(alice.code).toBe(0);
    expect((await bob.done).code).toBe(0);

    await eventually(
      async () =>
        received.some((r) => r.body.includes('"pbx.calls.v1.CallEnded"')) ? true : undefined,
      15_000,
      'the CallEnded delivery',
    );
    const events = received.map(
      (r) => JSON.parse(r.body) as { type: string; tenant: string; data: { callId: string } },
    );
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('pbx.calls.v1.CallStarted');
    expect(types.indexOf('pbx.calls.v1.CallAnswered')).toBeGreaterThan(0);
    expect(types.at(-1)).toBe('pbx.calls.v1.CallEnded');
    expect(types.indexOf('pbx.calls.v1.CallAnswered')).toBeLessThan(types.length - 1);
    expect(new Set(events.map((e) => e.data.callId)).size).toBe(1);
    expect(new Set(events.map((e) => e.tenant)).size).toBe(1);
    const now = Math.floor(Date.now() / 1000);
    for (const r of received) {
      const header = (name: string): string | undefined => r.headers[name] as string | undefined;
      expect(
        verifySignature(
          secret,
          {
            [WEBHOOK_HEADERS.id]: header(WEBHOOK_HEADERS.id),
            [WEBHOOK_HEADERS.timestamp]: header(WEBHOOK_HEADERS.timestamp),
            [WEBHOOK_HEADERS.signature]: header(WEBHOOK_HEADERS.signature),
          },
          r.body,
          now,
        ),
      ).toBeUndefined();
    }
  }, 60_000);
});
