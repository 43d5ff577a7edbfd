import {
  FEATURE_IDS,
  FEATURES,
  type FeatureAvailability,
  type FeatureDefinition,
  type FeatureId,
  type FeatureRef,
} from './feature-catalog';
import { servicePacksOf, type Profile } from './profile';

/**
 * Whether a user with this profile has the feature (or the part of a feature, `U7.selective`)
 * without ordering anything extra. Add-ons (user and group options) are never included: they are
 * ordered on top of a profile. Rules of every PBX (tenancy, billing, numbers) hold for every
 * profile.
 */
export function profileAllows(profile: Profile, feature: FeatureRef): boolean {
  return availableTo(profile, availabilityOf(feature));
}

/** Every feature a profile includes (see `profileAllows`), in catalog order. */
export function featuresOf(profile: Profile): readonly FeatureId[] {
  return FEATURE_IDS.filter((id) => profileAllows(profile, id));
}

/** The catalog entry of a feature. */
export function featureDefinition(id: FeatureId): FeatureDefinition {
  return FEATURES[id];
}

/** Whether a feature is ordered separately (a user or group option) rather than included. */
export function isAddOn(id: FeatureId): boolean {
  return FEATURES[id].availability.kind === 'add-on';
}

function availabilityOf(ref: FeatureRef): FeatureAvailability {
  const dot = ref.indexOf('.');
  if (dot < 0) return featureDefinition(ref as FeatureId).availability;
  const definition = featureDefinition(ref.slice(0, dot) as FeatureId);
  const key = ref.slice(dot + 1);
  const part = definition.parts?.find((candidate) => candidate.key === key);
  // The ref type admits only declared parts; an unknown one (an untyped caller) is not allowed.
  return part?.availability ?? { kind: 'add-on' };
}

function availableTo(profile: Profile, availability: FeatureAvailability): boolean {
  switch (availability.kind) {
    case 'pack':
      return servicePacksOf(profile).includes(availability.pack);
    case 'profiles':
      return availability.profiles.includes(profile);
    case 'every-pbx':
      return true;
    case 'add-on':
      return false;
    default:
      return assertNever(availability);
  }
}

function assertNever(value: never): never {
  throw new TypeError(`unexpected feature availability ${JSON.stringify(value)}`);
}
