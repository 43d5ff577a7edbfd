import { hostOfHeader, phoneConfigView } from './phone-config';

const settings = {
  sipPublicHost: undefined,
  sipHost: '0.0.0.0',
  sipWsPort: 5066,
  sipWssPort: 5067,
} as const;

describe(phoneConfigView.name, () => {
  it('names the WebSocket URLs on the host the browser used', () => {
    expect(phoneConfigView(settings, 'pbx.example.net:8080')).toEqual({
      wsUrl: 'ws://pbx.example.net:5066',
      wssUrl: 'wss://pbx.example.net:5067',
      iceServers: [],
    });
  });

  it('prefers the configured public SIP host', () => {
    expect(
      phoneConfigView({ ...settings, sipPublicHost: 'sip.example.net' }, '10.0.0.1:8080').wssUrl,
    ).toBe('wss://sip.example.net:5067');
    expect(phoneConfigView({ ...settings, sipPublicHost: '2001:db8::1' }, undefined).wsUrl).toBe(
      'ws://[2001:db8::1]:5066',
    );
  });

  it('falls back to the bound address for a missing or malformed Host', () => {
    expect(phoneConfigView(settings, 'evil.example/<script>').wsUrl).toBe('ws://127.0.0.1:5066');
    expect(phoneConfigView({ ...settings, sipHost: '192.0.2.5' }, undefined).wsUrl).toBe(
      'ws://192.0.2.5:5066',
    );
  });

  it('leaves out what is not listening', () => {
    expect(
      phoneConfigView({ ...settings, sipWsPort: undefined, sipWssPort: undefined }, 'a.example'),
    ).toEqual({
      iceServers: [],
    });
  });
});

describe(hostOfHeader.name, () => {
  it.each([
    ['127.0.0.1:8080', '127.0.0.1'],
    ['localhost', 'localhost'],
    ['[::1]:8080', '[::1]'],
    ['', undefined],
    ['a b', undefined],
    ['host:1:2', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, host) => {
    expect(hostOfHeader(header)).toBe(host);
  });
});
