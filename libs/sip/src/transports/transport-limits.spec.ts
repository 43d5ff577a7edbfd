import { SipTransportLayer } from './sip-transport-layer';
import { TransportErrorCode } from './transport-error';
import { DEFAULT_TRANSPORT_LIMITS, resolveTransportLimits } from './transport-limits';

describe(resolveTransportLimits.name, () => {
  it('fills the defaults the issue asks for', () => {
    expect(resolveTransportLimits({ idleTimeoutMs: 300 })).toEqual({
      ...DEFAULT_TRANSPORT_LIMITS,
      idleTimeoutMs: 300,
    });
    expect(DEFAULT_TRANSPORT_LIMITS).toMatchObject({
      maxConnections: 10000,
      maxConnectionsPerIp: 100,
      idleTimeoutMs: 30000,
      maxMessageBytes: 65536,
      tlsHandshakeTimeoutMs: 10000,
    });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p', (value) => {
    expect(() => resolveTransportLimits({ maxConnectionsPerIp: value })).toThrow(
      expect.objectContaining({ code: TransportErrorCode.InvalidOptions }),
    );
  });
});

describe('SipTransportLayer.start option checks', () => {
  it.each([
    [{ host: '', udpPort: 0 }, 'host is required'],
    [{ host: '127.0.0.1' }, 'at least one'],
    [{ host: '127.0.0.1', udpPort: 70000 }, 'udpPort'],
    [{ host: '127.0.0.1', tlsPort: 0 }, 'tls (cert and key) is required'],
    [{ host: '127.0.0.1', wssPort: 0 }, 'tls (cert and key) is required'],
  ])('refuses %p before binding anything', async (options, message) => {
    await expect(SipTransportLayer.start(options)).rejects.toMatchObject({
      code: TransportErrorCode.InvalidOptions,
      message: expect.stringContaining(message),
    });
  });
});
