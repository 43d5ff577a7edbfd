import { checkLicence } from './licence-rule';

describe(checkLicence.name, () => {
  it('refuses a PBX with one user profile', () => {
    expect(checkLicence(['premium'])).toEqual([
      {
        code: 'TOO_FEW_USER_PROFILES',
        message: 'a PBX needs at least 2 user profiles, found 1',
      },
    ]);
  });

  it('refuses a PBX without user profiles', () => {
    expect(checkLicence([]).map((problem) => problem.message)).toEqual([
      'a PBX needs at least 2 user profiles, found 0',
    ]);
  });

  it('accepts two or more profiles of any mix', () => {
    expect(checkLicence(['base', 'base'])).toEqual([]);
    expect(checkLicence(['base', 'premium', 'fixed-mobile-business'])).toEqual([]);
  });
});
