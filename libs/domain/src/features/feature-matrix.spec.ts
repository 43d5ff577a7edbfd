import { FEATURE_IDS, type FeatureId } from './feature-catalog';
import { featuresOf, isAddOn, profileAllows } from './feature-matrix';
import { PROFILES, type Profile } from './profile';

function profilesAllowing(feature: Parameters<typeof profileAllows>[1]): Profile[] {
  return PROFILES.filter((profile) => profileAllows(profile, feature));
}

const PACK_P_AND_UP: Profile[] = [
  'business',
  'premium',
  'fixed-mobile-business',
  'fixed-mobile-premium',
];
const FIXED_MOBILE: Profile[] = ['fixed-mobile-business', 'fixed-mobile-premium'];

describe(profileAllows.name, () => {
  it('includes basic calls (U1) in every profile', () => {
    expect(profilesAllowing('U1')).toEqual([...PROFILES]);
  });

  it('includes voicemail (U20) from VastPremium up, not in Base+', () => {
    expect(profilesAllowing('U20')).toEqual(PACK_P_AND_UP);
  });

  it('includes fixed-mobile integration (M1-M9) only in fixed-mobile profiles', () => {
    for (const id of FEATURE_IDS.filter((candidate) => candidate.startsWith('M'))) {
      expect(profilesAllowing(id)).toEqual(FIXED_MOBILE);
    }
  });

  it('includes the I AM collaboration services (I1-I6) only in the Premium+ profiles', () => {
    for (const id of ['I1', 'I2', 'I3', 'I4', 'I5', 'I6'] as const) {
      expect(profilesAllowing(id)).toEqual(['premium', 'fixed-mobile-premium']);
    }
  });

  it('gives the mobile app (I7) to every profile but visual voicemail only with voicemail', () => {
    expect(profilesAllowing('I7')).toEqual([...PROFILES]);
    expect(profilesAllowing('I7.visual-voicemail')).toEqual(profilesAllowing('U20'));
  });

  it('grants basic forwarding in Base+ and selective forwarding from VastPremium up', () => {
    expect(profileAllows('base', 'U7')).toBe(true);
    expect(profilesAllowing('U7.selective')).toEqual(PACK_P_AND_UP);
  });

  it('grants *11 call move only with fixed-mobile integration', () => {
    expect(profilesAllowing('U27')).toEqual([...PROFILES]);
    expect(profilesAllowing('U27.call-move')).toEqual(FIXED_MOBILE);
  });

  it('never includes add-ons such as call recording or call centers', () => {
    for (const id of ['O2', 'O8', 'U24', 'G1', 'T9'] as const) {
      expect(profilesAllowing(id)).toEqual([]);
      expect(isAddOn(id)).toBe(true);
    }
    expect(isAddOn('U20')).toBe(false);
  });

  it('applies tenancy and number rules to every profile', () => {
    expect(profilesAllowing('N4')).toEqual([...PROFILES]);
  });

  it('refuses an undeclared part passed by an untyped caller', () => {
    expect(profileAllows('premium', 'U7.bogus' as 'U7.selective')).toBe(false);
  });
});

describe(featuresOf.name, () => {
  const difference = (a: Profile, b: Profile): FeatureId[] => {
    const lower = new Set(featuresOf(b));
    return featuresOf(a).filter((id) => !lower.has(id));
  };

  it('lists features in catalog order', () => {
    const features = featuresOf('premium');
    expect([...features]).toEqual(FEATURE_IDS.filter((id) => features.includes(id)));
  });

  it('sets Premium+ apart from Business+ by exactly the I AM services', () => {
    expect(difference('premium', 'business')).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I6']);
    expect(difference('business', 'premium')).toEqual([]);
  });

  it('adds VastMobiel to the fixed profile of the same name', () => {
    const mobile = FEATURE_IDS.filter((id) => id.startsWith('M'));
    expect(difference('fixed-mobile-business', 'business')).toEqual(mobile);
    expect(difference('fixed-mobile-premium', 'premium')).toEqual(mobile);
    expect(difference('business', 'fixed-mobile-business')).toEqual([]);
  });

  it('gives Base+ a subset of Business+', () => {
    expect(difference('base', 'business')).toEqual([]);
    expect(difference('business', 'base')).toContain('U20');
  });
});
