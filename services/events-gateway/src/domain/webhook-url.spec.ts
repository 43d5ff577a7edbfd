import { isPrivateAddress, parseWebhookUrl } from './webhook-url';

describe(isPrivateAddress.name, () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '[::1]',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:db8::1', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );

  it('knows nothing about host names', () => {
    expect(isPrivateAddress('crm.example.com')).toBeUndefined();
  });
});

describe(parseWebhookUrl.name, () => {
  it('accepts http and https URLs, normalised', () => {
    expect(parseWebhookUrl('https://crm.example.com/hooks/pbx?x=1', false)).toEqual({
      ok: true,
      value: 'https://crm.example.com/hooks/pbx?x=1',
    });
    expect(parseWebhookUrl('HTTP://CRM.example.com', false)).toEqual({
      ok: true,
      value: 'http://crm.example.com/',
    });
  });

  it.each([
    ['ftp://crm.example.com/', 'only http and https'],
    ['crm.example.com/hook', 'is not an absolute URL'],
    ['https://user:pw@crm.example.com/', 'credentials in the URL'],
    ['https://crm.example.com/#x', 'fragment'],
    ['http://127.0.0.1:8080/hook', 'private'],
    ['http://localhost/hook', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'private'],
    ['http://[::1]/', 'private'],
    [`https://crm.example.com/${'x'.repeat(2000)}`, 'at most 2000'],
  ])('refuses %s', (url, reason) => {
    const result = parseWebhookUrl(url, false);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });

  it('allows private addresses when the platform is configured to', () => {
    expect(parseWebhookUrl('http://127.0.0.1:8080/hook', true).ok).toBe(true);
  });
});
