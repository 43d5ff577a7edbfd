import { parseMessage } from '../messages/parse-message';
import { InboundPipeline } from './inbound-pipeline';
import type { InboundMessage, Peer, TransportProtocol } from './sip-transport';
import { sipRequest } from './test-messages.fixtures';
import { DEFAULT_TRANSPORT_LIMITS } from './transport-limits';
import type { TransportObserver } from './transport-observer';

const SOURCE: Peer = { protocol: 'udp', address: '203.0.113.7', port: 40123 };

function setup(): {
  pipeline: InboundPipeline;
  counts: { received: TransportProtocol[]; malformed: [TransportProtocol, number | undefined][] };
  warn: jest.Mock;
} {
  const counts = {
    received: [] as TransportProtocol[],
    malformed: [] as [TransportProtocol, number | undefined][],
  };
  const observer: TransportObserver = {
    received: (p) => counts.received.push(p),
    malformed: (p, s) => counts.malformed.push([p, s]),
    connectionsOpen: () => undefined,
    connectionRefused: () => undefined,
  };
  const warn = jest.fn();
  const pipeline = new InboundPipeline(DEFAULT_TRANSPORT_LIMITS, observer, {
    warn,
    debug: () => undefined,
  });
  return { pipeline, counts, warn };
}

describe(InboundPipeline.name, () => {
  it('hands well-formed requests to the handler with the top Via stamped', () => {
    const { pipeline, counts } = setup();
    const seen: InboundMessage[] = [];
    pipeline.setHandler((m) => seen.push(m));
    expect(pipeline.process(sipRequest(), SOURCE, false)).toBeNull();
    expect(seen).toHaveLength(1);
    expect(seen[0].source).toBe(SOURCE);
    expect(seen[0].parsed.via[0]).toMatchObject({ received: '203.0.113.7', rport: 40123 });
    expect(seen[0].parsed.message.headers.get('Via')).toContain(';rport=40123');
    expect(counts.received).toEqual(['udp']);
  });

  it('does not stamp responses', () => {
    const { pipeline } = setup();
    const seen: InboundMessage[] = [];
    pipeline.setHandler((m) => seen.push(m));
    const response = Buffer.from(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;rport\r\nTo: <sip:a@b>;tag=1\r\n' +
        'From: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
    );
    pipeline.process(response, SOURCE, false);
    expect(seen[0].parsed.via[0].rport).toBe(true);
  });

  it('survives a handler that throws, and logs it', () => {
    const { pipeline, warn, counts } = setup();
    pipeline.setHandler(() => {
      throw new Error('boom');
    });
    expect(pipeline.process(sipRequest(), SOURCE, false)).toBeNull();
    expect(pipeline.process(sipRequest(), SOURCE, false)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(counts.received).toHaveLength(2);
  });

  it('answers a broken request with the parse error status and counts it', () => {
    const { pipeline, counts } = setup();
    const broken = sipRequest({ extraHeaders: ['Max-Forwards: many'] });
    const reply = pipeline.process(broken, SOURCE, false);
    expect(reply).not.toBeNull();
    const r = parseMessage(reply as Buffer);
    if (r.kind !== 'message' || r.message.kind !== 'response') throw new Error('bad reply');
    expect(r.message.status).toBe(400);
    expect(r.message.reason).toMatch(/^Bad Request \(.*Max-Forwards/);
    expect(r.callId).toBe('a84b4c76e66710@pc33');
    expect(counts.malformed).toEqual([['udp', 400]]);
  });

  it('answers 505 to an unsupported version and requires Content-Length on streams', () => {
    const { pipeline } = setup();
    const v3 = Buffer.from(sipRequest().toString().replace('SIP/2.0\r\n', 'SIP/3.0\r\n'));
    const status = (b: Buffer | null): number | undefined => {
      const r = b === null ? null : parseMessage(b);
      return r?.kind === 'message' && r.message.kind === 'response' ? r.message.status : undefined;
    };
    expect(status(pipeline.process(v3, SOURCE, false))).toBe(505);
    const tcp: Peer = { protocol: 'tcp', address: '203.0.113.7', port: 1, connectionId: 1 };
    expect(status(pipeline.process(sipRequest({ noContentLength: true }), tcp, true))).toBe(400);
    expect(status(pipeline.process(sipRequest({ noContentLength: true }), SOURCE, false))).toBe(
      undefined,
    );
  });

  it('drops garbage, broken responses and keep-alives without an answer', () => {
    const { pipeline, counts } = setup();
    const handler = jest.fn();
    pipeline.setHandler(handler);
    expect(pipeline.process(Buffer.from('\u0000\u0001hello'), SOURCE, false)).toBeNull();
    expect(
      pipeline.process(Buffer.from('SIP/2.0 200 OK\r\nVia: x\r\n\r\n'), SOURCE, false),
    ).toBeNull();
    expect(pipeline.process(Buffer.from('\r\n\r\n'), SOURCE, false)).toBeNull();
    expect(handler).not.toHaveBeenCalled();
    expect(counts.malformed).toEqual([
      ['udp', undefined],
      ['udp', undefined],
    ]);
  });
});
