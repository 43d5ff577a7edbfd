import { parseMessage, type ParsedMessage } from '../messages/parse-message';
import { serializeMessage } from '../messages/serialize-message';
import { sipRequest } from './test-messages.fixtures';
import { stampTopVia, stampViaValue } from './via-stamp';

function parsed(via: string): ParsedMessage {
  const r = parseMessage(sipRequest({ via }));
  if (r.kind !== 'message') throw new Error(`fixture does not parse: ${JSON.stringify(r)}`);
  return r;
}

describe(stampTopVia.name, () => {
  it('fills rport and adds received, in the header and in via[0] (RFC 3581 4)', () => {
    const p = parsed('SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bKa');
    expect(stampTopVia(p, '203.0.113.7', 40123)).toBe(true);
    expect(p.message.headers.get('Via')).toBe(
      'SIP/2.0/UDP 10.0.0.5:5060;rport=40123;branch=z9hG4bKa;received=203.0.113.7',
    );
    expect(p.via[0]).toMatchObject({ received: '203.0.113.7', rport: 40123, branch: 'z9hG4bKa' });
    // The stamped field parses back to the same Via.
    const again = parseMessage(serializeMessage(p.message));
    expect(again.kind === 'message' && again.via[0]).toEqual(p.via[0]);
  });

  it('adds received when rport is asked for even if sent-by equals the source (RFC 3581 4)', () => {
    const p = parsed('SIP/2.0/UDP 203.0.113.7:40123;branch=z9hG4bKa;rport');
    stampTopVia(p, '203.0.113.7', 40123);
    expect(p.message.headers.get('Via')).toBe(
      'SIP/2.0/UDP 203.0.113.7:40123;branch=z9hG4bKa;rport=40123;received=203.0.113.7',
    );
  });

  it('adds received only when sent-by differs without rport (RFC 3261 18.2.1)', () => {
    const same = parsed('SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bKa');
    expect(stampTopVia(same, '203.0.113.7', 5060)).toBe(false);
    expect(same.message.headers.get('Via')).toBe('SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bKa');

    const named = parsed('SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa');
    stampTopVia(named, '203.0.113.7', 5060);
    expect(named.message.headers.get('Via')).toBe(
      'SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa;received=203.0.113.7',
    );
    expect(named.via[0].rport).toBeNull();
  });

  it('overwrites a received or rport the client wrote itself', () => {
    const p = parsed('SIP/2.0/UDP 10.0.0.5;received=198.51.100.1;rport=9;branch=z9hG4bKa');
    stampTopVia(p, '203.0.113.7', 40000);
    expect(p.message.headers.get('Via')).toBe(
      'SIP/2.0/UDP 10.0.0.5;rport=40000;branch=z9hG4bKa;received=203.0.113.7',
    );
    expect(p.via[0].params.filter((x) => x.name === 'received')).toHaveLength(1);
  });

  it('stamps only the first via-parm of a combined Via field', () => {
    const p = parsed('SIP/2.0/UDP 10.0.0.5;rport;branch=z9hG4bKa , SIP/2.0/UDP 10.0.0.9;rport');
    stampTopVia(p, '203.0.113.7', 7000);
    expect(p.message.headers.get('Via')).toBe(
      'SIP/2.0/UDP 10.0.0.5;rport=7000;branch=z9hG4bKa;received=203.0.113.7 , SIP/2.0/UDP 10.0.0.9;rport',
    );
    expect(p.via[1].rport).toBe(true);
  });

  it('brackets an IPv6 source in received', () => {
    const p = parsed('SIP/2.0/UDP [2001:db8::1];rport;branch=z9hG4bKa');
    stampTopVia(p, '2001:db8::2', 5060);
    expect(p.via[0].received).toBe('[2001:db8::2]');
    const again = parseMessage(serializeMessage(p.message));
    expect(again.kind === 'message' && again.via[0].received).toBe('[2001:db8::2]');
  });
});

describe(stampViaValue.name, () => {
  it('leaves quoted parameter values alone', () => {
    expect(stampViaValue('SIP/2.0/UDP h;x="a;rport,b";rport', '192.0.2.1', 1)).toBe(
      'SIP/2.0/UDP h;x="a;rport,b";rport=1;received=192.0.2.1',
    );
  });
});
