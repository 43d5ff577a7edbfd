import { buildResponse } from '../messages/build-response';
import { parseMessage } from '../messages/parse-message';
import { SipStreamFramer } from '../messages/stream-framer';
import { responseTarget } from './response-target';
import type { InboundMessage } from './sip-transport';
import { SipTransportLayer } from './sip-transport-layer';
import { sipRequest } from './test-messages.fixtures';
import { selfSignedCertificate } from '@pbx/testing';
import { sleep, StreamPeer, waitFor } from './transport-test-kit';
import type { ConnectionRefusal } from './transport-observer';

/** Responses in what a stream peer received, framed as the layer frames them. */
function statuses(text: string): number[] {
  const out: number[] = [];
  for (const frame of new SipStreamFramer().push(Buffer.from(text))) {
    if (frame.kind !== 'message') continue;
    const r = parseMessage(frame.data);
    if (r.kind === 'message' && r.message.kind === 'response') out.push(r.message.status);
  }
  return out;
}

describe('SipTransportLayer over TCP', () => {
  let layer: SipTransportLayer;
  const inbound: InboundMessage[] = [];
  const refusals: ConnectionRefusal[] = [];
  const peers: StreamPeer[] = [];

  async function connect(): Promise<StreamPeer> {
    const peer = await StreamPeer.connect(layer.ports().tcp as number);
    peers.push(peer);
    return peer;
  }

  beforeEach(async () => {
    inbound.length = 0;
    refusals.length = 0;
    layer = await SipTransportLayer.start({
      host: '127.0.0.1',
      tcpPort: 0,
      limits: { idleTimeoutMs: 300, maxConnectionsPerIp: 5 },
      observer: {
        received: () => undefined,
        malformed: () => undefined,
        connectionsOpen: () => undefined,
        connectionRefused: (r) => refusals.push(r),
      },
    });
    layer.onMessage((m) => inbound.push(m));
  });

  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    await layer.close();
  });

  it('frames two messages in one write and one message split over writes', async () => {
    const phone = await connect();
    phone.write(Buffer.concat([sipRequest({ callId: 'one' }), sipRequest({ callId: 'two' })]));
    const split = sipRequest({ callId: 'three', body: 'v=0\r\n' });
    phone.write(split.subarray(0, 40));
    await sleep(30);
    phone.write(split.subarray(40, split.length - 3));
    await sleep(30);
    phone.write(split.subarray(split.length - 3));
    await waitFor('three messages', () => (inbound.length === 3 ? true : undefined));
    expect(inbound.map((m) => m.parsed.callId)).toEqual(['one', 'two', 'three']);
    expect(inbound[2].parsed.message.body.toString()).toBe('v=0\r\n');
    const source = inbound[0].source;
    expect(source).toMatchObject({ protocol: 'tcp', address: '127.0.0.1', port: phone.localPort });
    expect(source.connectionId).toEqual(expect.any(Number));
    expect(inbound[1].source).toBe(source);
  });

  it('sends the response back on the connection the request came on', async () => {
    const phone = await connect();
    phone.write(sipRequest({ via: 'SIP/2.0/TCP 10.1.1.1:5099;branch=z9hG4bKt1;rport' }));
    const m = await waitFor('the request', () => inbound[0]);
    if (m.parsed.message.kind !== 'request') throw new Error('not a request');
    await layer.send(
      buildResponse(m.parsed.message, 200),
      responseTarget(m.parsed.via[0], m.source),
    );
    await phone.waitForText('the 200', (t) => statuses(t).length === 1);
    expect(statuses(phone.text)).toEqual([200]);
    expect(phone.text).toContain(`rport=${phone.localPort};received=127.0.0.1`);
  });

  it('answers a CRLFCRLF ping with CRLF (RFC 5626 4.4.1)', async () => {
    const phone = await connect();
    phone.write('\r\n\r\n');
    await phone.waitForText('the pong', (t) => t === '\r\n');
  });

  it('answers a request without Content-Length with 400 and closes the connection', async () => {
    const phone = await connect();
    phone.write(sipRequest({ noContentLength: true, extraHeaders: ['Subject: x'] }));
    // Without Content-Length the framer waits for more; a second head shows the problem.
    phone.write(sipRequest({ noContentLength: true }));
    await phone.waitForClose();
    expect(statuses(phone.text)).toEqual([400]);
    expect(inbound).toHaveLength(0);
  });

  it('answers an endless header with 413 and closes the connection', async () => {
    const phone = await connect();
    const head = sipRequest()
      .toString()
      .replace(/\r\n\r\n$/, '\r\n');
    phone.write(head);
    for (let i = 0; i < 80 && !phone.closed; i++) {
      phone.write(`X-Filler-${i}: ${'y'.repeat(1000)}\r\n`);
      await sleep(1);
    }
    await phone.waitForClose();
    expect(statuses(phone.text)).toEqual([413]);
  });

  it('closes a connection holding a partial message past idleTimeoutMs (slowloris)', async () => {
    const phone = await connect();
    phone.write(sipRequest().subarray(0, 30));
    const opened = Date.now();
    await phone.waitForClose(3000);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(250);
    expect(layer.openConnections).toBe(0);
  });

  it('closes a connection that never sends anything, but keeps one that keeps talking', async () => {
    const silent = await connect();
    const talker = await connect();
    for (let i = 0; i < 6; i++) {
      talker.write(sipRequest({ callId: `t${i}` }));
      await sleep(100);
    }
    expect(silent.closed).toBe(true);
    expect(talker.closed).toBe(false);
  });

  it('refuses connections past maxConnectionsPerIp and recovers when they close', async () => {
    for (let i = 0; i < 5; i++) await connect();
    const extra = await connect();
    await extra.waitForClose();
    expect(refusals).toEqual(['max-connections-per-ip']);
    peers[0].close();
    await waitFor('the slot to free', () => (layer.openConnections === 4 ? true : undefined));
    const again = await connect();
    again.write(sipRequest({ callId: 'after' }));
    await waitFor('the request', () => inbound.find((m) => m.parsed.callId === 'after'));
  });

  it('opens a connection to a peer it has none with, and reuses it', async () => {
    const other = await SipTransportLayer.start({ host: '127.0.0.1', tcpPort: 0 });
    try {
      const got: InboundMessage[] = [];
      other.onMessage((m) => got.push(m));
      const request = parseMessage(sipRequest({ via: 'SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo' }));
      if (request.kind !== 'message') throw new Error('fixture');
      const target = {
        protocol: 'tcp' as const,
        address: '127.0.0.1',
        port: other.ports().tcp as number,
      };
      await Promise.all([layer.send(request.message, target), layer.send(request.message, target)]);
      await layer.send(request.message, target);
      await waitFor('three requests', () => (got.length === 3 ? true : undefined));
      expect(new Set(got.map((m) => m.source.connectionId)).size).toBe(1);
      expect(layer.openConnections).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('fails to start on a port in use, closing what it had bound', async () => {
    await expect(
      SipTransportLayer.start({ host: '127.0.0.1', udpPort: 0, tcpPort: layer.ports().tcp }),
    ).rejects.toMatchObject({ code: 'sip-transport.bind-failed' });
  });

  it('rejects a send to a TCP peer that is not there', async () => {
    const request = parseMessage(sipRequest());
    if (request.kind !== 'message') throw new Error('fixture');
    const probe = await SipTransportLayer.start({ host: '127.0.0.1', tcpPort: 0 });
    const port = probe.ports().tcp as number;
    await probe.close();
    await expect(
      layer.send(request.message, { protocol: 'tcp', address: '127.0.0.1', port }),
    ).rejects.toMatchObject({ code: 'sip-transport.connect-failed' });
  });
});

describe('SipTransportLayer over TLS', () => {
  const credentials = selfSignedCertificate();

  it('accepts SIP over TLS and answers on the same connection', async () => {
    const layer = await SipTransportLayer.start({
      host: '127.0.0.1',
      tlsPort: 0,
      tls: credentials,
    });
    const phone = await StreamPeer.connect(layer.ports().tls as number, { ca: credentials.cert });
    try {
      layer.onMessage((m) => {
        if (m.parsed.message.kind === 'request')
          void layer.send(
            buildResponse(m.parsed.message, 200),
            responseTarget(m.parsed.via[0], m.source),
          );
      });
      phone.write(sipRequest({ via: 'SIP/2.0/TLS phone.invalid;branch=z9hG4bKs1' }));
      await phone.waitForText('the 200', (t) => statuses(t).length === 1);
      expect(statuses(phone.text)).toEqual([200]);
      expect(phone.text).toContain('received=127.0.0.1');
      expect(layer.contactUri('tls', 'bob')).toBe(
        `sip:bob@127.0.0.1:${layer.ports().tls};transport=tls`,
      );
    } finally {
      phone.close();
      await layer.close();
    }
  });

  it('connects out over TLS, verifying the certificate, and refuses an untrusted one', async () => {
    const server = await SipTransportLayer.start({
      host: '127.0.0.1',
      tlsPort: 0,
      tls: credentials,
    });
    const trusting = await SipTransportLayer.start({
      host: '127.0.0.1',
      tlsPort: 0,
      tls: credentials,
      tlsClient: { ca: credentials.cert },
    });
    const strict = await SipTransportLayer.start({ host: '127.0.0.1', tcpPort: 0 });
    try {
      const got: InboundMessage[] = [];
      server.onMessage((m) => got.push(m));
      const request = parseMessage(sipRequest({ via: 'SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKo2' }));
      if (request.kind !== 'message') throw new Error('fixture');
      const target = {
        protocol: 'tls' as const,
        address: '127.0.0.1',
        port: server.ports().tls as number,
      };
      await trusting.send(request.message, target);
      await waitFor('the request over TLS', () => got[0]);
      await expect(strict.send(request.message, target)).rejects.toMatchObject({
        code: 'sip-transport.connect-failed',
      });
    } finally {
      await Promise.all([server.close(), trusting.close(), strict.close()]);
    }
  });

  it('drops a TLS peer that never completes the handshake', async () => {
    const layer = await SipTransportLayer.start({
      host: '127.0.0.1',
      tlsPort: 0,
      tls: credentials,
      limits: { tlsHandshakeTimeoutMs: 200 },
    });
    const raw = await StreamPeer.connect(layer.ports().tls as number);
    try {
      await raw.waitForClose(3000);
    } finally {
      raw.close();
      await layer.close();
    }
  });
});
