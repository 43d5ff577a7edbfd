// Shared value types of the platform: pure, no framework, no I/O.

export { err, ok, type Err, type Ok, type Result } from './result';

export {
  SERVICE_PACK_IDS,
  SERVICE_PACKS,
  type ServicePack,
  type ServicePackId,
} from './features/service-pack';
export {
  PROFILE_DEFINITIONS,
  PROFILES,
  parseProfile,
  servicePacksOf,
  type Profile,
  type ProfileDefinition,
  type UnknownProfileError,
} from './features/profile';
export {
  FEATURE_IDS,
  FEATURES,
  type FeatureAvailability,
  type FeatureDefinition,
  type FeatureId,
  type FeaturePart,
  type FeaturePartRef,
  type FeatureRef,
  type FeatureScope,
} from './features/feature-catalog';
export { featureDefinition, featuresOf, isAddOn, profileAllows } from './features/feature-matrix';
export {
  checkLicence,
  MIN_USER_PROFILES_PER_PBX,
  type LicenceProblem,
} from './features/licence-rule';

export {
  MAX_PHONE_NUMBER_INPUT,
  parsePhoneNumber,
  samePhoneNumber,
  type CountryCode,
  type E164,
  type PhoneNumber,
  type PhoneNumberError,
  type PhoneNumberErrorReason,
  type PhoneNumberResult,
  type PhoneNumberType,
} from './phone-number/phone-number';
export { dutchNumberKind, type DutchNumberKind } from './phone-number/dutch-number-kind';
export {
  BLOCK_SIZES,
  formatRange,
  lastNumberOf,
  numberRange,
  numbersIn,
  parseRange,
  rangeContains,
  splitRange,
  type BlockSize,
  type NumberRange,
} from './phone-number/number-range';

export { parseTimeZone, type TimeZone } from './schedule/time-zone';
export {
  formatTimeInterval,
  MINUTES_PER_DAY,
  parseTimeInterval,
  type TimeInterval,
} from './schedule/time-interval';
export {
  formatBusinessHours,
  formatScheduleProblem,
  parseBusinessHours,
  parseIsoDate,
  WEEKDAYS,
  type BusinessHours,
  type BusinessHoursInput,
  type Holiday,
  type IsoDate,
  type ScheduleProblem,
  type Weekday,
} from './schedule/business-hours';
export { wallClockAt, type WallClock } from './schedule/wall-clock';
export { isOpenAt } from './schedule/is-open-at';
export { CodedError } from './errors/coded-error';
export { isPromise, runSteps, wait, type MaybePromise, type Steps } from './maybe-promise';
export { ownString } from './own-string';
