import { err, ok, quoteInput, type Result } from '../result';
import { SERVICE_PACKS, type ServicePackId } from './service-pack';

/** User profiles (T5), in the order the original lists them. */
export const PROFILES = [
  'base',
  'business',
  'premium',
  'fixed-mobile-business',
  'fixed-mobile-premium',
] as const;

export type Profile = (typeof PROFILES)[number];

export interface ProfileDefinition {
  readonly id: Profile;
  readonly displayName: string;
  /** The name in the original service description. */
  readonly dutchName: string;
  /** Fixed-mobile profiles are a mobile subscription plus a Vast-Mobiel module (section 1.3). */
  readonly kind: 'fixed' | 'fixed-mobile';
  /** The largest service pack of the profile; it contains the smaller ones. */
  readonly servicePack: ServicePackId;
}

/**
 * Business+ and Premium+ share the VastPremium pack; Premium+ adds the I AM collaboration
 * services (section 1.3, 4.4: features I1-I6), which the feature table grants by profile. The
 * fixed-mobile profiles add to the mobile subscription the same functions as the fixed profiles
 * of the same name (section 5.9) plus the VastMobiel pack.
 */
export const PROFILE_DEFINITIONS: {
  readonly [K in Profile]: ProfileDefinition & { readonly id: K };
} = {
  base: {
    id: 'base',
    displayName: 'Base+',
    dutchName: 'Base+',
    kind: 'fixed',
    servicePack: 'B',
  },
  business: {
    id: 'business',
    displayName: 'Business+',
    dutchName: 'Business+',
    kind: 'fixed',
    servicePack: 'P',
  },
  premium: {
    id: 'premium',
    displayName: 'Premium+',
    dutchName: 'Premium+',
    kind: 'fixed',
    servicePack: 'P',
  },
  'fixed-mobile-business': {
    id: 'fixed-mobile-business',
    displayName: 'Fixed-Mobile Business+',
    dutchName: 'Vast-Mobiel Business+',
    kind: 'fixed-mobile',
    servicePack: 'M',
  },
  'fixed-mobile-premium': {
    id: 'fixed-mobile-premium',
    displayName: 'Fixed-Mobile Premium+',
    dutchName: 'Vast-Mobiel Premium+',
    kind: 'fixed-mobile',
    servicePack: 'M',
  },
};

/** Every service pack a profile includes, smallest first (Business+ → B, P). */
export function servicePacksOf(profile: Profile): readonly ServicePackId[] {
  return SERVICE_PACKS[PROFILE_DEFINITIONS[profile].servicePack].contains;
}

export interface UnknownProfileError {
  readonly code: 'UNKNOWN_PROFILE';
  readonly input: string;
  readonly expected: readonly Profile[];
  readonly message: string;
}

const MAX_PROFILE_TEXT = 64;

const PROFILE_BY_NAME: ReadonlyMap<string, Profile> = new Map(
  PROFILES.flatMap((id) => {
    const definition = PROFILE_DEFINITIONS[id];
    return [id, definition.displayName, definition.dutchName].map(
      (name) => [name.toLowerCase(), id] as const,
    );
  }),
);

/**
 * Reads a profile from its id (`premium`), its display name (`Premium+`) or its Dutch name
 * (`Vast-Mobiel Premium+`), ignoring case and surrounding blanks.
 */
export function parseProfile(text: string): Result<Profile, UnknownProfileError> {
  const found =
    text.length <= MAX_PROFILE_TEXT ? PROFILE_BY_NAME.get(text.trim().toLowerCase()) : undefined;
  if (found !== undefined) return ok(found);
  return err({
    code: 'UNKNOWN_PROFILE',
    input: text,
    expected: PROFILES,
    message: `unknown profile ${quoteInput(text)}; expected one of ${PROFILES.join(', ')}`,
  });
}
