import { FEATURES, featuresOf, type FeatureId } from '@pbx/domain';
import type { ActiveGroupState, Device, User } from '../../domain/group/group';

export interface DeviceView {
  readonly username: string;
  readonly owner: string;
  readonly kind: string;
  readonly flexHost: boolean;
  /** `username@domain`, what the device registers as. */
  readonly sipUri: string;
}

export interface UserView {
  readonly extension: string;
  readonly name: string;
  readonly email?: string;
  readonly profile: string;
  readonly department?: string;
  /** U2: the caller-id presentation default of the user's calls. */
  readonly presentation: 'allowed' | 'restricted';
  readonly numbers: readonly string[];
  readonly devices: readonly DeviceView[];
  /** User features the profile includes (T5 and the feature matrix), e.g. U20 voicemail. */
  readonly features: readonly FeatureId[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

export function deviceView(state: ActiveGroupState, device: Device): DeviceView {
  return {
    username: device.username,
    owner: device.owner,
    kind: device.kind,
    flexHost: device.flexHost,
    sipUri: `sip:${device.username}@${state.settings.domain}`,
  };
}

export function userView(
  state: ActiveGroupState,
  user: User,
  devicesByOwner: ReadonlyMap<string, readonly Device[]> = indexDevices(state),
): UserView {
  const devices = devicesByOwner.get(user.extension) ?? [];
  return {
    extension: user.extension,
    name: user.name,
    ...(user.email ? { email: user.email } : {}),
    profile: user.profile,
    ...(user.department ? { department: user.department } : {}),
    presentation: user.presentation ?? 'allowed',
    numbers: user.numbers,
    devices: devices.map((d) => deviceView(state, d)),
    features: featuresOf(user.profile).filter((id) => FEATURES[id].scope === 'user'),
  };
}

/** A group's devices by owning user: built once per request, not once per user. */
export function indexDevices(state: ActiveGroupState): Map<string, Device[]> {
  const index = new Map<string, Device[]>();
  for (const device of state.devices.values()) {
    const owned = index.get(device.owner);
    if (owned) owned.push(device);
    else index.set(device.owner, [device]);
  }
  return index;
}

const collator = new Intl.Collator('en', { numeric: true });
const byKey = (a: string, b: string): number => collator.compare(a, b);

/** Keyset pages over a group's entries: the cursor is the last key of the previous page. */
export function page<T>(
  entries: Iterable<[string, T]>,
  limit: number,
  cursor: string | undefined,
): { items: [string, T][]; nextCursor?: string } {
  const sorted = [...entries].sort(([a], [b]) => byKey(a, b));
  const from = cursor === undefined ? sorted : sorted.filter(([key]) => byKey(key, cursor) > 0);
  const items = from.slice(0, limit);
  return from.length > limit ? { items, nextCursor: items[items.length - 1][0] } : { items };
}
