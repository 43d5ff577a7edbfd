import { aorText, parseAccount } from './account';

describe(parseAccount.name, () => {
  it('reads username and domain, lowercasing only the domain', () => {
    expect(parseAccount('  alice@ACME.example ')).toEqual({
      ok: true,
      account: { username: 'alice', domain: 'acme.example' },
    });
  });

  it('accepts a pasted sip: URI', () => {
    const parsed = parseAccount('sip:bob-mobile@acme.example');
    expect(parsed.ok && aorText(parsed.account)).toBe('bob-mobile@acme.example');
  });

  it.each([
    ['', 'Enter your SIP username'],
    ['alice', 'with its domain'],
    ['@acme.example', 'with its domain'],
    ['alice@', 'with its domain'],
    ['Alice@acme.example', 'lowercase letters'],
    ['al ice@acme.example', 'lowercase letters'],
    ['alice@localhost', 'is not a domain name'],
  ])('refuses %j with a message saying what is wrong', (text, message) => {
    const parsed = parseAccount(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});
