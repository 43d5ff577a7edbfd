import { type Socket, createSocket } from 'node:dgram';
import { RtpPortPool } from './rtp-port-pool';
import { UdpPortPairBinder } from './udp-port-pair-binder';

/** A random even base in 40000-49000 so parallel test files do not meet. */
const base = 40000 + 2 * Math.floor(Math.random() * 4500);

function hold(port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(socket));
  });
}

describe(UdpPortPairBinder.name, () => {
  it('skips a pair whose RTCP port another socket holds, and frees both ports on release', async () => {
    const squatter = await hold(base + 1);
    const pool = new RtpPortPool(
      { start: base, end: base + 3 },
      new UdpPortPairBinder('127.0.0.1'),
    );
    try {
      const lease = await pool.acquire();
      expect([lease.rtpPort, lease.rtcpPort]).toEqual([base + 2, base + 3]);
      expect(lease.sockets.rtp.address().port).toBe(base + 2);
      expect(lease.sockets.rtcp.address().port).toBe(base + 3);
      expect(pool.skippedBusy).toBe(1);
      // The RTP socket bound before the RTCP bind failed was closed again: base is free.
      const probe = await hold(base);
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      await pool.release(lease);
      const again = await hold(base + 2);
      await new Promise<void>((resolve) => again.close(() => resolve()));
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('reports an address the host does not have as an error, not as a busy port', async () => {
    const pool = new RtpPortPool(
      { start: base, end: base + 1 },
      new UdpPortPairBinder('192.0.2.1'),
    );
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});
