import pino from 'pino';
import type { TrunkDirectory, TrunkRoute } from '@pbx/telephony';
import { TrunkMatcher } from './trunk-matcher';

const trunk = (over: Partial<TrunkRoute>): TrunkRoute => ({
  trunkId: 't1',
  name: 'carrier',
  host: '192.0.2.10',
  port: 5060,
  transport: 'udp',
  register: false,
  inboundAddresses: [],
  ...over,
});

function directory(trunks: TrunkRoute[]): TrunkDirectory & { change(t: TrunkRoute[]): void } {
  let list = trunks;
  let listener: () => void = () => undefined;
  return {
    trunks: () => list,
    onChange: (l) => (listener = l),
    change: (t) => {
      list = t;
      listener();
    },
  };
}

const peer = (address: string, port: number) => ({ protocol: 'udp' as const, address, port });

describe(TrunkMatcher.name, () => {
  it('matches host and port exactly, inbound addresses by ip or ip:port', async () => {
    const dir = directory([trunk({ inboundAddresses: ['198.51.100.7', '198.51.100.8:5080'] })]);
    const matcher = new TrunkMatcher(dir, pino({ level: 'silent' }));
    await matcher.refresh();
    expect(matcher.match(peer('192.0.2.10', 5060))?.trunkId).toBe('t1');
    expect(matcher.match(peer('192.0.2.10', 5062))).toBeUndefined();
    expect(matcher.match(peer('198.51.100.7', 40000))?.trunkId).toBe('t1');
    expect(matcher.match(peer('198.51.100.8', 5080))?.trunkId).toBe('t1');
    expect(matcher.match(peer('198.51.100.8', 5081))).toBeUndefined();
  });

  it('follows changes of the trunk list and resolves host names', async () => {
    const dir = directory([]);
    const matcher = new TrunkMatcher(dir, pino({ level: 'silent' }));
    await matcher.refresh();
    expect(matcher.match(peer('127.0.0.1', 5070))).toBeUndefined();
    dir.change([trunk({ host: 'localhost', port: 5070 })]);
    await matcher.ready();
    expect(matcher.match(peer('127.0.0.1', 5070))?.name).toBe('carrier');
  });
});
