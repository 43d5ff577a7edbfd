import { parsePhoneNumber, samePhoneNumber, type PhoneNumber } from './phone-number';

function valid(text: string, defaultCountry?: 'NL'): PhoneNumber {
  const result = parsePhoneNumber(text, defaultCountry);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe(parsePhoneNumber.name, () => {
  it('reads a Dutch regional number', () => {
    expect(valid('+31201234500')).toEqual({
      e164: '+31201234500',
      countryCode: 'NL',
      callingCode: '31',
      nationalNumber: '201234500',
      type: 'FIXED_LINE',
    });
  });

  it('types a Dutch mobile number', () => {
    expect(valid('+31612345678')).toMatchObject({ countryCode: 'NL', type: 'MOBILE' });
  });

  it('tolerates spaces, dashes and the (0) trunk prefix', () => {
    expect(valid('+31 20-123 4500').e164).toBe('+31201234500');
    expect(valid('+31 (0)20 123 4500').e164).toBe('+31201234500');
  });

  it('reads a national number with a default country', () => {
    expect(valid('020 123 4500', 'NL').e164).toBe('+31201234500');
  });

  it('reads Belgian and German numbers', () => {
    expect(valid('+32 2 555 12 34')).toMatchObject({
      e164: '+3225551234',
      countryCode: 'BE',
      callingCode: '32',
      type: 'FIXED_LINE',
    });
    expect(valid('+49 30 12345678')).toMatchObject({
      e164: '+493012345678',
      countryCode: 'DE',
      callingCode: '49',
      nationalNumber: '3012345678',
      type: 'FIXED_LINE',
    });
  });

  it('reports a truncated number as too short', () => {
    expect(parsePhoneNumber('+3120123')).toEqual({
      ok: false,
      reason: 'TOO_SHORT',
      error: '"+3120123" is not a valid phone number: too short',
    });
  });

  it('reports a number with digits to spare as too long', () => {
    expect(parsePhoneNumber('+312012345001')).toMatchObject({ ok: false, reason: 'TOO_LONG' });
  });

  it('reports an unknown country calling code', () => {
    expect(parsePhoneNumber('+999123')).toEqual({
      ok: false,
      reason: 'INVALID_COUNTRY',
      error: '"+999123" is not a valid phone number: invalid country calling code',
    });
  });

  it('reports a national number without a country as missing its calling code', () => {
    expect(parsePhoneNumber('0201234500')).toMatchObject({
      ok: false,
      reason: 'NO_COUNTRY_CODE',
    });
  });

  it('reports text that is not a number', () => {
    expect(parsePhoneNumber('hello')).toEqual({
      ok: false,
      reason: 'NOT_A_NUMBER',
      error: '"hello" is not a valid phone number: not a number',
    });
    expect(parsePhoneNumber('call +31201234500 now')).toMatchObject({ reason: 'NOT_A_NUMBER' });
  });

  it('reports a number of the right length outside the numbering plan', () => {
    expect(parsePhoneNumber('+31991234567')).toMatchObject({
      ok: false,
      reason: 'NOT_IN_NUMBERING_PLAN',
    });
  });

  it('refuses extensions, which E.164 cannot hold', () => {
    expect(parsePhoneNumber('+31201234500 ext. 12')).toMatchObject({ reason: 'HAS_EXTENSION' });
  });

  it('refuses input over 50 characters before parsing it', () => {
    const result = parsePhoneNumber(`+31201234500${' '.repeat(40)}`);
    expect(result).toEqual({
      ok: false,
      reason: 'INPUT_TOO_LONG',
      error: 'phone number input is too long (52 characters, at most 50)',
    });
  });
});

describe(samePhoneNumber.name, () => {
  it('compares by E.164 form', () => {
    expect(samePhoneNumber(valid('+31 20 123 4500'), valid('020-1234500', 'NL'))).toBe(true);
    expect(samePhoneNumber(valid('+31201234500'), valid('+31201234501'))).toBe(false);
  });
});
