import { trunkToSpec } from '../trunk/trunk-changes';
import type { ActiveGroupState, DeviceDetails } from './group';
import { trustedGroupSpec, type DeviceSpec, type GroupSpec } from './group-spec';

/**
 * The canonical spec of a group, as `pbx get group <name> -o yaml` prints it: entries in the
 * order they were added, no passwords (a device or trunk without one keeps its credentials), a
 * user's presentation only when restricted, so applying it back changes nothing.
 */
export function groupStateToSpec(state: ActiveGroupState): GroupSpec {
  const devicesByOwner = new Map<string, DeviceSpec[]>();
  for (const device of state.devices.values()) {
    const owned = devicesByOwner.get(device.owner) ?? [];
    owned.push(deviceSpec(device));
    devicesByOwner.set(device.owner, owned);
  }
  return trustedGroupSpec({
    ...(state.enterprise !== undefined && { enterprise: state.enterprise }),
    domain: state.settings.domain,
    timezone: state.settings.timezone,
    mainNumber: state.settings.mainNumber,
    departments: [...state.departments.values()],
    users: [...state.users.values()].map((user) => ({
      ...user,
      devices: devicesByOwner.get(user.extension) ?? [],
    })),
    huntGroups: [...state.huntGroups.values()],
    schedules: [...state.schedules.values()],
    trunks: [...state.trunks.values()].map(trunkToSpec),
  });
}

function deviceSpec(device: DeviceDetails): DeviceSpec {
  return {
    username: device.username,
    kind: device.kind,
    flexHost: device.flexHost,
  };
}
