import { escapeUser, presentFrom, quoteDisplayName } from './presentation';

describe(presentFrom.name, () => {
  it('shows number and name', () => {
    expect(
      presentFrom(
        { number: '+31201234501', displayName: 'Alice "A" Jansen', restricted: false },
        'pbx.example',
        { trusted: false },
      ),
    ).toEqual({ from: '"Alice \\"A\\" Jansen" <sip:+31201234501@pbx.example>', headers: [] });
  });

  it('withholds a restricted identity and asserts it only to a trusted peer', () => {
    const p = { number: '+31201234501', displayName: 'Alice', restricted: true };
    expect(presentFrom(p, 'pbx.example', { trusted: false })).toEqual({
      from: '"Anonymous" <sip:anonymous@anonymous.invalid>',
      headers: [['Privacy', 'id']],
    });
    expect(presentFrom(p, 'pbx.example', { trusted: true }).headers).toContainEqual([
      'P-Asserted-Identity',
      '<sip:+31201234501@pbx.example>',
    ]);
  });

  it('escapes user parts and cleans display names', () => {
    expect(escapeUser('a b@c')).toBe('a%20b%40c');
    expect(quoteDisplayName('x\r\ny')).toBe('"xy"');
  });
});
