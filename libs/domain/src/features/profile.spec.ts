import { parseProfile, PROFILE_DEFINITIONS, PROFILES, servicePacksOf } from './profile';

describe(parseProfile.name, () => {
  it('reads every id', () => {
    for (const id of PROFILES) expect(parseProfile(id)).toEqual({ ok: true, value: id });
  });

  it('ignores case and surrounding blanks', () => {
    expect(parseProfile(' Fixed-Mobile-Premium ')).toEqual({
      ok: true,
      value: 'fixed-mobile-premium',
    });
  });

  it('reads display names and the original Dutch names', () => {
    expect(parseProfile('Premium+')).toEqual({ ok: true, value: 'premium' });
    expect(parseProfile('base+')).toEqual({ ok: true, value: 'base' });
    expect(parseProfile('Fixed-Mobile Business+')).toEqual({
      ok: true,
      value: 'fixed-mobile-business',
    });
    expect(parseProfile('Vast-Mobiel Premium+')).toEqual({
      ok: true,
      value: 'fixed-mobile-premium',
    });
  });

  it('refuses anything else, listing the valid ids', () => {
    expect(parseProfile('gold')).toEqual({
      ok: false,
      error: {
        code: 'UNKNOWN_PROFILE',
        input: 'gold',
        expected: PROFILES,
        message:
          'unknown profile "gold"; expected one of base, business, premium, fixed-mobile-business, fixed-mobile-premium',
      },
    });
    expect(parseProfile('').ok).toBe(false);
    expect(parseProfile('premium').ok).toBe(true);
    expect(parseProfile('premium++').ok).toBe(false);
  });

  it('cuts long input short in the message', () => {
    const result = parseProfile('x'.repeat(10_000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message.length).toBeLessThan(200);
  });
});

describe(servicePacksOf.name, () => {
  it('maps Base+ to VastBasis, Business+ and Premium+ to VastPremium, fixed-mobile to VastMobiel', () => {
    expect(servicePacksOf('base')).toEqual(['B']);
    expect(servicePacksOf('business')).toEqual(['B', 'P']);
    expect(servicePacksOf('premium')).toEqual(['B', 'P']);
    expect(servicePacksOf('fixed-mobile-business')).toEqual(['B', 'P', 'M']);
    expect(servicePacksOf('fixed-mobile-premium')).toEqual(['B', 'P', 'M']);
  });

  it('gives every profile its display name', () => {
    expect(PROFILES.map((id) => PROFILE_DEFINITIONS[id].displayName)).toEqual([
      'Base+',
      'Business+',
      'Premium+',
      'Fixed-Mobile Business+',
      'Fixed-Mobile Premium+',
    ]);
  });
});
