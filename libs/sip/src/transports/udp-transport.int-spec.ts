import { buildResponse } from '../messages/build-response';
import { parseMessage } from '../messages/parse-message';
import { responseTarget } from './response-target';
import type { InboundMessage } from './sip-transport';
import { SipTransportLayer } from './sip-transport-layer';
import { sipRequest } from './test-messages.fixtures';
import { UdpPeer, waitFor } from './transport-test-kit';
import { TransportErrorCode } from './transport-error';

function statusOf(data: Buffer): number | undefined {
  const r = parseMessage(data);
  return r.kind === 'message' && r.message.kind === 'response' ? r.message.status : undefined;
}

describe('SipTransportLayer over UDP', () => {
  let layer: SipTransportLayer;
  let phone: UdpPeer;
  const inbound: InboundMessage[] = [];
  const malformed: (number | undefined)[] = [];

  beforeEach(async () => {
    inbound.length = 0;
    malformed.length = 0;
    layer = await SipTransportLayer.start({
      host: '127.0.0.1',
      udpPort: 0,
      observer: {
        received: () => undefined,
        malformed: (_p, status) => malformed.push(status),
        connectionsOpen: () => undefined,
        connectionRefused: () => undefined,
      },
    });
    layer.onMessage((m) => inbound.push(m));
    phone = await UdpPeer.open();
  });

  afterEach(async () => {
    await phone.close();
    await layer.close();
  });

  it('stamps received and rport and routes the response back to the source port', async () => {
    const udpPort = layer.ports().udp as number;
    await phone.send(
      sipRequest({ via: 'SIP/2.0/UDP 10.9.9.9:5062;branch=z9hG4bKu1;rport' }),
      udpPort,
    );
    await waitFor('the request', () => inbound[0]);
    expect(inbound).toHaveLength(1);
    const m = inbound[0];
    expect(m.source).toEqual({ protocol: 'udp', address: '127.0.0.1', port: phone.port });
    expect(m.parsed.via[0]).toMatchObject({ received: '127.0.0.1', rport: phone.port });
    if (m.parsed.message.kind !== 'request') throw new Error('not a request');

    const target = responseTarget(m.parsed.via[0], m.source);
    expect(target).toEqual({ protocol: 'udp', address: '127.0.0.1', port: phone.port });
    const answer = phone.next('the 200');
    await layer.send(buildResponse(m.parsed.message, 200), target);
    const response = parseMessage(await answer);
    if (response.kind !== 'message' || response.message.kind !== 'response')
      throw new Error('unparsable response');
    expect(response.message.status).toBe(200);
    expect(response.message.headers.get('Via')).toBe(
      `SIP/2.0/UDP 10.9.9.9:5062;branch=z9hG4bKu1;rport=${phone.port};received=127.0.0.1`,
    );
  });

  it('answers a malformed request with 400 on the wire and hands it to nobody', async () => {
    const udpPort = layer.ports().udp as number;
    const answer = phone.next('the 400');
    await phone.send(sipRequest({ extraHeaders: ['CSeq: 2 OPTIONS'] }), udpPort);
    const data = await answer;
    expect(statusOf(data)).toBe(400);
    expect(data.toString()).toContain('Bad Request (more than one CSeq)');
    expect(inbound).toHaveLength(0);
    expect(malformed).toEqual([400]);
  });

  it('answers 505 and 416 with the right status', async () => {
    const udpPort = layer.ports().udp as number;
    let answer = phone.next('the 505');
    await phone.send(
      Buffer.from(sipRequest().toString().replace(' SIP/2.0\r\n', ' SIP/3.0\r\n')),
      udpPort,
    );
    expect(statusOf(await answer)).toBe(505);
    answer = phone.next('the 416');
    await phone.send(
      Buffer.from(sipRequest().toString().replace('sip:edge@example.com SIP', 'http://x SIP')),
      udpPort,
    );
    expect(statusOf(await answer)).toBe(416);
  });

  it('drops garbage and keep-alives silently and keeps working', async () => {
    const udpPort = layer.ports().udp as number;
    await phone.send(Buffer.from([0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42]), udpPort);
    await phone.send(Buffer.from('hello world\r\n\r\n'), udpPort);
    await phone.send(Buffer.from('\r\n\r\n'), udpPort);
    await phone.send(sipRequest({ callId: 'after-garbage' }), udpPort);
    await waitFor('the request', () => inbound[0]);
    expect(inbound.map((m) => m.parsed.callId)).toEqual(['after-garbage']);
    expect(phone.received).toHaveLength(0);
    expect(malformed).toEqual([undefined, undefined]);
  });

  it('keeps receiving after the handler throws', async () => {
    const udpPort = layer.ports().udp as number;
    let calls = 0;
    layer.onMessage((m) => {
      calls++;
      if (m.parsed.callId === 'first') throw new Error('handler bug');
      inbound.push(m);
    });
    await phone.send(sipRequest({ callId: 'first' }), udpPort);
    await phone.send(sipRequest({ callId: 'second' }), udpPort);
    await waitFor('the second request', () => inbound[0]);
    expect(calls).toBe(2);
    expect(inbound.map((m) => m.parsed.callId)).toEqual(['second']);
  });

  it('sends datagrams larger than the path MTU over UDP all the same', async () => {
    const body = 'x'.repeat(4000);
    const request = parseMessage(sipRequest({ body }));
    if (request.kind !== 'message') throw new Error('fixture');
    const got = phone.next('the large datagram');
    await layer.send(request.message, { protocol: 'udp', address: '127.0.0.1', port: phone.port });
    expect((await got).length).toBeGreaterThan(4000);
  });

  it('sends what is sent in one turn in order, each send settled, and fails a bad port alone', async () => {
    const target = { protocol: 'udp' as const, address: '127.0.0.1', port: phone.port };
    const messages = [1, 2, 3, 4, 5].map((n) => {
      const r = parseMessage(sipRequest({ callId: `batch-${n}` }));
      if (r.kind !== 'message') throw new Error('fixture');
      return r.message;
    });
    const sends = messages.map((m, i) =>
      i === 2 ? layer.send(m, { ...target, port: 70_000 }) : layer.send(m, target),
    );
    const settled = await Promise.allSettled(sends);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(settled[2]).toMatchObject({ reason: { code: TransportErrorCode.SendFailed } });
    await waitFor('four datagrams', () => phone.received[3]);
    expect(phone.received.map((d) => /Call-ID: (\S+)/.exec(d.toString())?.[1])).toEqual([
      'batch-1',
      'batch-2',
      'batch-4',
      'batch-5',
    ]);
  });

  it('still sends what was sent just before it closed', async () => {
    const r = parseMessage(sipRequest({ callId: 'last-words' }));
    if (r.kind !== 'message') throw new Error('fixture');
    const sent = layer.send(r.message, { protocol: 'udp', address: '127.0.0.1', port: phone.port });
    await layer.close();
    await sent;
    await waitFor('the last datagram', () => phone.received[0]);
    expect(phone.received[0].toString()).toContain('Call-ID: last-words');
  });

  it('lets a datagram screen take datagrams before the parser, and parses what it leaves', async () => {
    const udpPort = layer.ports().udp as number;
    const screened: string[] = [];
    layer.setDatagramScreen((data, source) => {
      const callId = /Call-ID: (\S+)/.exec(data.toString())?.[1] ?? '';
      screened.push(`${callId} ${source.protocol}:${source.port}`);
      if (callId === 'broken') throw new Error('screen bug');
      return callId === 'taken';
    });
    for (const callId of ['taken', 'left', 'broken'])
      await phone.send(sipRequest({ callId }), udpPort);
    await waitFor('two requests', () => inbound[1]);
    expect(screened).toEqual([
      `taken udp:${phone.port}`,
      `left udp:${phone.port}`,
      `broken udp:${phone.port}`,
    ]);
    // What it took never reaches the parser or the handler; a screen that throws costs nothing.
    expect(inbound.map((m) => m.parsed.callId)).toEqual(['left', 'broken']);
    layer.setDatagramScreen(null);
    await phone.send(sipRequest({ callId: 'taken' }), udpPort);
    await waitFor('the third request', () => inbound[2]);
    expect(screened).toHaveLength(3);
  });

  it('describes itself and rejects what it cannot do', async () => {
    const udpPort = layer.ports().udp as number;
    expect(layer.via('udp')).toEqual({ transport: 'UDP', sentBy: `127.0.0.1:${udpPort}` });
    expect(layer.contactUri('udp', 'alice')).toBe(`sip:alice@127.0.0.1:${udpPort}`);
    expect(layer.isReliable('udp')).toBe(false);
    expect(() => layer.via('tcp')).toThrow(
      expect.objectContaining({ code: TransportErrorCode.NotListening }),
    );
    const request = parseMessage(sipRequest());
    if (request.kind !== 'message') throw new Error('fixture');
    await expect(
      layer.send(request.message, { protocol: 'ws', address: '127.0.0.1', port: 1 }),
    ).rejects.toMatchObject({ code: TransportErrorCode.NoConnection });
    await layer.close();
    await layer.close();
    await expect(
      layer.send(request.message, { protocol: 'udp', address: '127.0.0.1', port: phone.port }),
    ).rejects.toMatchObject({ code: TransportErrorCode.Closed });
  });
});
