import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, WEBHOOK_HEADERS } from '../../domain/webhook-signature';
import { WebhookSender } from './webhook-sender';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe(WebhookSender.name, () => {
  let server: Server;
  let base: string;
  let handler: (path: string) => { status: number; headers?: Record<string, string> } | 'hang';
  const seen: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        seen.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = handler(request.url ?? '/');
        if (answer !== 'hang') {
          response.writeHead(answer.status, answer.headers).end('x'.repeat(10_000));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const delivery = (url: string) => ({ url, secrets: [SECRET], eventId: 'e-1', body: '{"a":1}' });
  const open = new WebhookSender({ timeoutMs: 500, allowPrivate: true });

  it('posts the signed CloudEvent and reports the status', async () => {
    handler = () => ({ status: 204 });
    expect(await open.send(delivery(`${base}/ok`))).toEqual({
      result: { kind: 'response', status: 204, retryAfter: undefined },
      answer: '',
    });
    const { headers, body } = seen.at(-1)!;
    expect(body).toBe('{"a":1}');
    expect(headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(
      verifySignature(
        SECRET,
        {
          [WEBHOOK_HEADERS.id]: headers[WEBHOOK_HEADERS.id] as string,
          [WEBHOOK_HEADERS.timestamp]: headers[WEBHOOK_HEADERS.timestamp] as string,
          [WEBHOOK_HEADERS.signature]: headers[WEBHOOK_HEADERS.signature] as string,
        },
        body,
        Math.floor(Date.now() / 1000),
      ),
    ).toBeUndefined();
  });

  it('keeps Retry-After and the start of the answer, and does not follow redirects', async () => {
    handler = () => ({ status: 503, headers: { 'retry-after': '7' } });
    const refused = await open.send(delivery(`${base}/busy`));
    expect(refused.result).toEqual({ kind: 'response', status: 503, retryAfter: '7' });
    expect(refused.answer).toHaveLength(200);
    handler = (path) =>
      path === '/moved' ? { status: 302, headers: { location: '/ok' } } : { status: 204 };
    const before = seen.length;
    expect((await open.send(delivery(`${base}/moved`))).result).toMatchObject({ status: 302 });
    expect(seen.length).toBe(before + 1);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    handler = () => 'hang';
    const started = Date.now();
    expect((await open.send(delivery(`${base}/slow`))).result).toEqual({
      kind: 'timeout',
      timeoutMs: 500,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a refused connection as a network error with its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = (await open.send(delivery(`http://127.0.0.1:${port}/hook`))).result;
    expect(result).toMatchObject({ kind: 'network-error' });
    expect((result as { message: string }).message).toMatch(/^ECONNREFUSED/);
  });

  it('refuses private addresses, by literal and by what a name resolves to, without sending', async () => {
    const guarded = new WebhookSender({ timeoutMs: 500, allowPrivate: false });
    const before = seen.length;
    expect((await guarded.send(delivery(`${base}/ok`))).result).toEqual({
      kind: 'network-error',
      message: '127.0.0.1 is a private address',
    });
    const port = new URL(base).port;
    const named = (await guarded.send(delivery(`http://localhost:${port}/ok`))).result;
    expect((named as { message: string }).message).toMatch(
      /^localhost resolves to the private address (127\.0\.0\.1|::1)$/,
    );
    expect(seen.length).toBe(before);
  });
});
