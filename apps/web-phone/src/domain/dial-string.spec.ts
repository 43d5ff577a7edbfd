import { dialUri, isDtmfTone, MAX_DIAL_LENGTH, parseDialString } from './dial-string';

describe(parseDialString.name, () => {
  it.each([
    ['202', '202'],
    [' 020 - 123 45 00 ', '0201234500'],
    ['+31 (0)20 123.4500', '+31201234500'],
    ['+31 (20) 1234500', '+31201234500'],
    ['0031 6 1234 5678', '0031612345678'],
    ['*31*0612345678', '*31*0612345678'],
    ['#21#', '#21#'],
    ['06\u00a012345678', '0612345678'],
  ])('normalises %j to %j', (text, digits) => {
    expect(parseDialString(text)).toEqual({ ok: true, digits });
  });

  it.each([
    ['', 'Enter a number'],
    ['  -  ', 'Enter a number'],
    ['bob', '"b" cannot be dialled'],
    ['020;drop', '";" cannot be dialled'],
    ['31+20', 'only in front'],
    ['+', 'after the "+"'],
    ['1'.repeat(MAX_DIAL_LENGTH + 1), `at most ${MAX_DIAL_LENGTH}`],
  ])('refuses %j', (text, message) => {
    const parsed = parseDialString(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});

describe(dialUri.name, () => {
  it('puts the dial string in the caller domain and escapes #', () => {
    expect(dialUri('+31201234500', 'acme.example')).toBe('sip:+31201234500@acme.example');
    expect(dialUri('*21#', 'acme.example')).toBe('sip:*21%23@acme.example');
  });
});

describe(isDtmfTone.name, () => {
  it('accepts the 16 RFC 4733 tones and nothing else', () => {
    expect([...'0123456789*#ABCD'].every(isDtmfTone)).toBe(true);
    expect(['', '12', 'E', 'a', '+', ' '].some(isDtmfTone)).toBe(false);
  });
});
