import { MediaError, MediaErrorCode } from '@pbx/telephony';
import type { PortPairBinder } from './port-pair-binder';
import { rtpPortsOf } from './port-range';
import { RtpPortPool } from './rtp-port-pool';

interface FakePair {
  readonly rtpPort: number;
  readonly rtcpPort: number;
}

/** Binds in memory; ports in `busy` are held by "another process". */
class FakeBinder implements PortPairBinder<FakePair> {
  readonly bound = new Set<number>();
  readonly busy = new Set<number>();

  async bind(rtpPort: number, rtcpPort: number): Promise<FakePair> {
    for (const port of [rtpPort, rtcpPort]) {
      if (this.busy.has(port) || this.bound.has(port)) {
        throw Object.assign(new Error(`bind EADDRINUSE 127.0.0.1:${port}`), { code: 'EADDRINUSE' });
      }
    }
    this.bound.add(rtpPort).add(rtcpPort);
    return { rtpPort, rtcpPort };
  }

  async unbind(pair: FakePair): Promise<void> {
    this.bound.delete(pair.rtpPort);
    this.bound.delete(pair.rtcpPort);
  }
}

describe(rtpPortsOf.name, () => {
  it('pairs each even port with the odd port after it, inside the range', () => {
    expect(rtpPortsOf({ start: 30000, end: 30005 })).toEqual([30000, 30002, 30004]);
    expect(rtpPortsOf({ start: 30001, end: 30006 })).toEqual([30002, 30004]);
    expect(rtpPortsOf({ start: 30000, end: 30000 })).toEqual([]);
  });

  it('refuses a range outside 1-65535 or upside down', () => {
    expect(() => rtpPortsOf({ start: 0, end: 10 })).toThrow(RangeError);
    expect(() => rtpPortsOf({ start: 20, end: 10 })).toThrow(RangeError);
    expect(() => rtpPortsOf({ start: 65534, end: 65536 })).toThrow(RangeError);
  });
});

describe(RtpPortPool.name, () => {
  it('hands out even/odd pairs in order and binds both ports', async () => {
    const binder = new FakeBinder();
    const pool = new RtpPortPool({ start: 40000, end: 40005 }, binder);
    const first = await pool.acquire();
    const second = await pool.acquire();
    expect([first.rtpPort, first.rtcpPort, second.rtpPort, second.rtcpPort]).toEqual([
      40000, 40001, 40002, 40003,
    ]);
    expect([...binder.bound].sort()).toEqual([40000, 40001, 40002, 40003]);
    expect(pool.inUse).toBe(2);
    expect(pool.capacity).toBe(3);
  });

  it('skips a pair when another process holds its RTP or its RTCP port', async () => {
    const binder = new FakeBinder();
    binder.busy.add(40001);
    const pool = new RtpPortPool({ start: 40000, end: 40005 }, binder);
    expect((await pool.acquire()).rtpPort).toBe(40002);
    expect(pool.skippedBusy).toBe(1);
  });

  it('throws NoPorts once every pair is taken or busy', async () => {
    const binder = new FakeBinder();
    binder.busy.add(40002);
    const pool = new RtpPortPool({ start: 40000, end: 40003 }, binder);
    await pool.acquire();
    const error = await pool.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).code).toBe(MediaErrorCode.NoPorts);
  });

  it('reuses a released pair last, and gives a pair that was busy another chance later', async () => {
    const binder = new FakeBinder();
    binder.busy.add(40002);
    const pool = new RtpPortPool({ start: 40000, end: 40005 }, binder);
    const a = await pool.acquire();
    const b = await pool.acquire(); // 40002 is busy: skipped to the back of the queue
    await pool.release(a);
    binder.busy.clear();
    const c = await pool.acquire();
    const d = await pool.acquire();
    expect([a, b, c, d].map((lease) => lease.rtpPort)).toEqual([40000, 40004, 40002, 40000]);
  });

  it('releases idempotently and closes the sockets', async () => {
    const binder = new FakeBinder();
    const pool = new RtpPortPool({ start: 40000, end: 40001 }, binder);
    const lease = await pool.acquire();
    await pool.release(lease);
    await pool.release(lease);
    expect(binder.bound.size).toBe(0);
    expect(pool.inUse).toBe(0);
    expect((await pool.acquire()).rtpPort).toBe(40000);
    await expect(pool.acquire()).rejects.toMatchObject({ code: MediaErrorCode.NoPorts });
  });

  it('passes on a bind error that is not a busy port, and keeps the pair', async () => {
    const binder = new FakeBinder();
    binder.bind = async (): Promise<FakePair> => {
      throw Object.assign(new Error('bind EADDRNOTAVAIL 192.0.2.1'), { code: 'EADDRNOTAVAIL' });
    };
    const pool = new RtpPortPool({ start: 40000, end: 40001 }, binder);
    await expect(pool.acquire()).rejects.toThrow(/EADDRNOTAVAIL/);
    expect(pool.inUse).toBe(0);
    expect(pool.capacity).toBe(1);
  });

  it('refuses a range without a single pair', () => {
    expect(() => new RtpPortPool({ start: 40001, end: 40002 }, new FakeBinder())).toThrow(
      /no RTP\/RTCP port pair/,
    );
  });
});
