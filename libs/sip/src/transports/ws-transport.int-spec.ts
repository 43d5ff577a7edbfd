import { WebSocket } from 'ws';
import { buildResponse } from '../messages/build-response';
import { parseMessage } from '../messages/parse-message';
import { responseTarget } from './response-target';
import type { InboundMessage } from './sip-transport';
import { SipTransportLayer } from './sip-transport-layer';
import { sipRequest } from './test-messages.fixtures';
import { TransportErrorCode } from './transport-error';
import { selfSignedCertificate } from '@pbx/testing';
import { StreamPeer, waitFor } from './transport-test-kit';
import type { ConnectionRefusal } from './transport-observer';

interface Client {
  readonly ws: WebSocket;
  readonly messages: string[];
}

function open(url: string, protocols: string[], ca?: Buffer): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, ca === undefined ? {} : { ca });
    const messages: string[] = [];
    ws.on('message', (data) => messages.push(String(data)));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
  });
}

function closed(ws: WebSocket): Promise<void> {
  return ws.readyState === WebSocket.CLOSED
    ? Promise.resolve()
    : new Promise((resolve) => ws.once('close', () => resolve()));
}

function answerEverything(layer: SipTransportLayer): void {
  layer.onMessage((m) => {
    if (m.parsed.message.kind === 'request')
      void layer.send(
        buildResponse(m.parsed.message, 200),
        responseTarget(m.parsed.via[0], m.source),
      );
  });
}

describe('SipTransportLayer over WebSocket (RFC 7118)', () => {
  let layer: SipTransportLayer;
  const inbound: InboundMessage[] = [];
  const refusals: ConnectionRefusal[] = [];
  const clients: WebSocket[] = [];

  beforeEach(async () => {
    inbound.length = 0;
    refusals.length = 0;
    layer = await SipTransportLayer.start({
      host: '127.0.0.1',
      wsPort: 0,
      limits: { idleTimeoutMs: 300 },
      observer: {
        received: () => undefined,
        malformed: () => undefined,
        connectionsOpen: () => undefined,
        connectionRefused: (r) => refusals.push(r),
      },
    });
  });

  afterEach(async () => {
    for (const ws of clients.splice(0)) ws.terminate();
    await layer.close();
  });

  it('carries one SIP message per WebSocket message, text or binary, both ways', async () => {
    answerEverything(layer);
    layer.onMessage((m) => {
      inbound.push(m);
      if (m.parsed.message.kind === 'request')
        void layer.send(
          buildResponse(m.parsed.message, 200),
          responseTarget(m.parsed.via[0], m.source),
        );
    });
    const client = await open(`ws://127.0.0.1:${layer.ports().ws}`, ['sip']);
    clients.push(client.ws);
    expect(client.ws.protocol).toBe('sip');
    const via = 'SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKw1;rport';
    client.ws.send(sipRequest({ via, callId: 'text', noContentLength: true }).toString());
    client.ws.send(sipRequest({ via, callId: 'binary' }), { binary: true });
    await waitFor('two answers', () => (client.messages.length === 2 ? true : undefined));
    expect(inbound.map((m) => m.parsed.callId)).toEqual(['text', 'binary']);
    expect(inbound[0].source).toMatchObject({ protocol: 'ws', address: '127.0.0.1' });
    for (const text of client.messages) {
      const r = parseMessage(Buffer.from(text));
      expect(r.kind === 'message' && r.message.kind === 'response' && r.message.status).toBe(200);
      expect(text).toContain('received=127.0.0.1');
    }
    expect(layer.contactUri('ws')).toBe(`sip:127.0.0.1:${layer.ports().ws};transport=ws`);
  });

  it('answers a CRLFCRLF keep-alive with CRLF', async () => {
    const client = await open(`ws://127.0.0.1:${layer.ports().ws}`, ['sip']);
    clients.push(client.ws);
    client.ws.send('\r\n\r\n');
    await waitFor('the pong', () => client.messages[0]);
    expect(client.messages).toEqual(['\r\n']);
  });

  it('refuses an upgrade without the sip subprotocol, and plain HTTP', async () => {
    await expect(open(`ws://127.0.0.1:${layer.ports().ws}`, [])).rejects.toThrow('HTTP 400');
    await expect(open(`ws://127.0.0.1:${layer.ports().ws}`, ['chat'])).rejects.toThrow('HTTP 400');
    expect(refusals).toEqual(['no-sip-subprotocol', 'no-sip-subprotocol']);
    const response = await fetch(`http://127.0.0.1:${layer.ports().ws}/`);
    expect(response.status).toBe(426);
    expect(layer.openConnections).toBe(0);
  });

  it('answers a malformed request and drops a WebSocket that never sends SIP', async () => {
    const client = await open(`ws://127.0.0.1:${layer.ports().ws}`, ['sip']);
    clients.push(client.ws);
    client.ws.send(sipRequest({ extraHeaders: ['Max-Forwards: -1'] }).toString());
    await waitFor('the 400', () => client.messages[0]);
    expect(client.messages[0]).toMatch(/^SIP\/2\.0 400 Bad Request/);
    const silent = await open(`ws://127.0.0.1:${layer.ports().ws}`, ['sip']);
    clients.push(silent.ws);
    await closed(silent.ws);
  });

  it('drops a socket that never finishes its upgrade', async () => {
    const raw = await StreamPeer.connect(layer.ports().ws as number);
    try {
      raw.write('GET / HTTP/1.1\r\nHost: x\r\n');
      await raw.waitForClose(3000);
    } finally {
      raw.close();
    }
  });

  it('rejects a send to a WebSocket peer it has no connection with, or no longer', async () => {
    const request = parseMessage(sipRequest());
    if (request.kind !== 'message') throw new Error('fixture');
    await expect(
      layer.send(request.message, { protocol: 'ws', address: '127.0.0.1', port: 40000 }),
    ).rejects.toMatchObject({ code: TransportErrorCode.NoConnection });
    layer.onMessage((m) => inbound.push(m));
    const client = await open(`ws://127.0.0.1:${layer.ports().ws}`, ['sip']);
    client.ws.send(sipRequest({ callId: 'c' }).toString());
    const source = (await waitFor('the request', () => inbound[0])).source;
    client.ws.terminate();
    await closed(client.ws);
    await waitFor('the server side to close', () =>
      layer.openConnections === 0 ? true : undefined,
    );
    await expect(layer.send(request.message, source)).rejects.toMatchObject({
      code: TransportErrorCode.NoConnection,
    });
  });
});

describe('SipTransportLayer over secure WebSocket', () => {
  it('accepts WSS with the sip subprotocol', async () => {
    const credentials = selfSignedCertificate();
    const layer = await SipTransportLayer.start({
      host: '127.0.0.1',
      wssPort: 0,
      tls: credentials,
    });
    answerEverything(layer);
    const client = await open(`wss://127.0.0.1:${layer.ports().wss}`, ['sip'], credentials.cert);
    try {
      client.ws.send(
        sipRequest({ via: 'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKs' }).toString(),
      );
      await waitFor('the answer', () => client.messages[0]);
      expect(client.messages[0]).toMatch(/^SIP\/2\.0 200 OK/);
      expect(layer.via('wss')).toEqual({
        transport: 'WSS',
        sentBy: `127.0.0.1:${layer.ports().wss}`,
      });
    } finally {
      client.ws.terminate();
      await layer.close();
    }
  });
});
