import type { Profile } from './profile';

/** The fewest user profiles a PBX may have (T6; original section 1.2). */
export const MIN_USER_PROFILES_PER_PBX = 2;

export interface LicenceProblem {
  readonly code: 'TOO_FEW_USER_PROFILES';
  readonly message: string;
}

/**
 * Checks the licence rule T6 for the user profiles of one PBX (a group or an enterprise group).
 * Returns every problem; an empty list means the licences are acceptable.
 */
export function checkLicence(userProfiles: readonly Profile[]): readonly LicenceProblem[] {
  if (userProfiles.length >= MIN_USER_PROFILES_PER_PBX) return [];
  return [
    {
      code: 'TOO_FEW_USER_PROFILES',
      message: `a PBX needs at least ${MIN_USER_PROFILES_PER_PBX} user profiles, found ${userProfiles.length}`,
    },
  ];
}
