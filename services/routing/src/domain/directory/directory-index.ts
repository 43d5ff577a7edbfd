import {
  assertNever,
  type DirectoryChange,
  type DirectoryDepartment,
  type DirectoryDevice,
  type DirectoryGroup,
  type DirectoryHuntGroup,
  type DirectoryTrunk,
  type DirectoryUser,
  type DirectoryView,
  type NumberOwner,
} from './directory';

interface GroupEntry {
  group: DirectoryGroup;
  readonly users: Map<string, DirectoryUser>;
  readonly devices: Map<string, DirectoryDevice>;
  /** Device usernames by owner extension, in insertion order. */
  readonly devicesByOwner: Map<string, string[]>;
  readonly departments: Map<string, DirectoryDepartment>;
  readonly huntGroups: Map<string, DirectoryHuntGroup>;
}

const NO_DEVICES: readonly string[] = Object.freeze([]);
const byName = (a: DirectoryTrunk, b: DirectoryTrunk): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.trunkId < b.trunkId ? -1 : 1;

/**
 * The directory in memory, for route() on every INVITE: every lookup is a map access. Changes
 * are applied in the order the group's events were committed. Within a provisioning batch a number
 * or extension may briefly have two owners (uniqueness holds once the batch is applied), so an
 * owner that lets go of a number removes it from the number index only if it still points at
 * that owner.
 */
export class DirectoryIndex implements DirectoryView {
  readonly #groups = new Map<string, GroupEntry>();
  readonly #numbers = new Map<string, NumberOwner>();
  readonly #trunks = new Map<string, DirectoryTrunk>();
  #groupTrunks = new Map<string, readonly DirectoryTrunk[]>();
  #operatorTrunks: readonly DirectoryTrunk[] = [];
  #allTrunks: readonly DirectoryTrunk[] = [];

  apply(change: DirectoryChange): void {
    switch (change.kind) {
      case 'group-set':
        return this.setGroup(change.group);
      case 'group-deleted':
        return this.deleteGroup(change.groupId);
      case 'user-set':
        return this.setUser(change.user);
      case 'user-details': {
        const current = this.user(change.user.groupId, change.user.extension);
        if (current) this.setUser({ ...change.user, numbers: current.numbers });
        return;
      }
      case 'user-numbers': {
        const current = this.user(change.groupId, change.extension);
        if (current) this.setUser({ ...current, numbers: change.numbers });
        return;
      }
      case 'user-removed':
        return this.removeUser(change.groupId, change.extension);
      case 'device-set':
        return this.setDevice(change.device);
      case 'device-removed':
        return this.removeDevice(change.groupId, change.username);
      case 'department-set':
        return this.setDepartment(change.department);
      case 'department-removed': {
        const entry = this.#groups.get(change.groupId);
        const old = entry?.departments.get(change.name);
        if (!entry || !old) return;
        entry.departments.delete(change.name);
        this.release(
          old.number,
          (o) => o.kind === 'department' && o.name === old.name,
          old.groupId,
        );
        return;
      }
      case 'hunt-group-set':
        return this.setHuntGroup(change.huntGroup);
      case 'hunt-group-removed': {
        const entry = this.#groups.get(change.groupId);
        const old = entry?.huntGroups.get(change.extension);
        if (!entry || !old) return;
        entry.huntGroups.delete(change.extension);
        this.release(
          old.number,
          (o) => o.kind === 'hunt-group' && o.extension === old.extension,
          old.groupId,
        );
        return;
      }
      case 'trunk-set':
        this.#trunks.set(change.trunk.trunkId, change.trunk);
        return this.reindexTrunks();
      case 'trunk-removed':
        if (this.#trunks.delete(change.trunkId)) this.reindexTrunks();
        return;
      case 'reset':
        this.#groups.clear();
        this.#numbers.clear();
        this.#trunks.clear();
        return this.reindexTrunks();
      default:
        return assertNever(change);
    }
  }

  get size(): { groups: number; numbers: number; trunks: number } {
    return { groups: this.#groups.size, numbers: this.#numbers.size, trunks: this.#trunks.size };
  }

  group(groupId: string): DirectoryGroup | undefined {
    return this.#groups.get(groupId)?.group;
  }

  user(groupId: string, extension: string): DirectoryUser | undefined {
    return this.#groups.get(groupId)?.users.get(extension);
  }

  huntGroup(groupId: string, extension: string): DirectoryHuntGroup | undefined {
    return this.#groups.get(groupId)?.huntGroups.get(extension);
  }

  device(groupId: string, username: string): DirectoryDevice | undefined {
    return this.#groups.get(groupId)?.devices.get(username);
  }

  devicesOf(groupId: string, extension: string): readonly string[] {
    return this.#groups.get(groupId)?.devicesByOwner.get(extension) ?? NO_DEVICES;
  }

  ownerOfNumber(e164: string): NumberOwner | undefined {
    return this.#numbers.get(e164);
  }

  trunk(trunkId: string): DirectoryTrunk | undefined {
    return this.#trunks.get(trunkId);
  }

  groupTrunks(groupId: string): readonly DirectoryTrunk[] {
    return this.#groupTrunks.get(groupId) ?? [];
  }

  operatorTrunks(): readonly DirectoryTrunk[] {
    return this.#operatorTrunks;
  }

  allTrunks(): readonly DirectoryTrunk[] {
    return this.#allTrunks;
  }

  private entry(groupId: string): GroupEntry | undefined {
    return this.#groups.get(groupId);
  }

  private setGroup(group: DirectoryGroup): void {
    const entry = this.entry(group.groupId);
    if (!entry) {
      this.#groups.set(group.groupId, {
        group,
        users: new Map(),
        devices: new Map(),
        devicesByOwner: new Map(),
        departments: new Map(),
        huntGroups: new Map(),
      });
    } else {
      if (entry.group.mainNumber !== group.mainNumber) {
        this.release(entry.group.mainNumber, (o) => o.kind === 'main', group.groupId);
      }
      entry.group = group;
    }
    if (group.mainNumber)
      this.#numbers.set(group.mainNumber, { kind: 'main', groupId: group.groupId });
  }

  private deleteGroup(groupId: string): void {
    if (!this.#groups.delete(groupId)) return;
    for (const [number, owner] of this.#numbers) {
      if (owner.groupId === groupId) this.#numbers.delete(number);
    }
    let trunksChanged = false;
    for (const [trunkId, trunk] of this.#trunks) {
      if (trunk.groupId === groupId) trunksChanged = this.#trunks.delete(trunkId);
    }
    if (trunksChanged) this.reindexTrunks();
  }

  private setUser(user: DirectoryUser): void {
    const entry = this.entry(user.groupId);
    if (!entry) return;
    const old = entry.users.get(user.extension);
    entry.users.set(user.extension, user);
    const owns = (o: NumberOwner): boolean => o.kind === 'user' && o.extension === user.extension;
    for (const number of old?.numbers ?? []) {
      if (!user.numbers.includes(number)) this.release(number, owns, user.groupId);
    }
    for (const number of user.numbers) {
      this.#numbers.set(number, { kind: 'user', groupId: user.groupId, extension: user.extension });
    }
  }

  private removeUser(groupId: string, extension: string): void {
    const entry = this.entry(groupId);
    const old = entry?.users.get(extension);
    if (!entry || !old) return;
    entry.users.delete(extension);
    for (const number of old.numbers) {
      this.release(number, (o) => o.kind === 'user' && o.extension === extension, groupId);
    }
  }

  private setDevice(device: DirectoryDevice): void {
    const entry = this.entry(device.groupId);
    if (!entry) return;
    const old = entry.devices.get(device.username);
    if (old?.ownerExtension === device.ownerExtension) {
      entry.devices.set(device.username, device);
      return;
    }
    this.removeDevice(device.groupId, device.username);
    entry.devices.set(device.username, device);
    const owned = entry.devicesByOwner.get(device.ownerExtension);
    if (owned) owned.push(device.username);
    else entry.devicesByOwner.set(device.ownerExtension, [device.username]);
  }

  private removeDevice(groupId: string, username: string): void {
    const entry = this.entry(groupId);
    const old = entry?.devices.get(username);
    if (!entry || !old) return;
    entry.devices.delete(username);
    const owned = entry.devicesByOwner.get(old.ownerExtension);
    if (!owned) return;
    const rest = owned.filter((u) => u !== username);
    if (rest.length > 0) entry.devicesByOwner.set(old.ownerExtension, rest);
    else entry.devicesByOwner.delete(old.ownerExtension);
  }

  private setDepartment(department: DirectoryDepartment): void {
    const entry = this.entry(department.groupId);
    if (!entry) return;
    const old = entry.departments.get(department.name);
    entry.departments.set(department.name, department);
    if (old?.number !== department.number) {
      this.release(
        old?.number,
        (o) => o.kind === 'department' && o.name === department.name,
        department.groupId,
      );
    }
    if (department.number) {
      this.#numbers.set(department.number, {
        kind: 'department',
        groupId: department.groupId,
        name: department.name,
      });
    }
  }

  private setHuntGroup(huntGroup: DirectoryHuntGroup): void {
    const entry = this.entry(huntGroup.groupId);
    if (!entry) return;
    const old = entry.huntGroups.get(huntGroup.extension);
    entry.huntGroups.set(huntGroup.extension, huntGroup);
    if (old?.number !== huntGroup.number) {
      this.release(
        old?.number,
        (o) => o.kind === 'hunt-group' && o.extension === huntGroup.extension,
        huntGroup.groupId,
      );
    }
    if (huntGroup.number) {
      this.#numbers.set(huntGroup.number, {
        kind: 'hunt-group',
        groupId: huntGroup.groupId,
        extension: huntGroup.extension,
      });
    }
  }

  /** Drops `number` from the number index if it still belongs to the owner being changed. */
  private release(
    number: string | undefined,
    isOwner: (owner: NumberOwner) => boolean,
    groupId: string,
  ): void {
    if (!number) return;
    const owner = this.#numbers.get(number);
    if (owner && owner.groupId === groupId && isOwner(owner)) this.#numbers.delete(number);
  }

  private reindexTrunks(): void {
    const all = [...this.#trunks.values()].sort(byName);
    const byGroup = new Map<string, DirectoryTrunk[]>();
    const operator: DirectoryTrunk[] = [];
    for (const trunk of all) {
      if (trunk.groupId === undefined) {
        operator.push(trunk);
        continue;
      }
      const list = byGroup.get(trunk.groupId);
      if (list) list.push(trunk);
      else byGroup.set(trunk.groupId, [trunk]);
    }
    this.#allTrunks = all;
    this.#operatorTrunks = operator;
    this.#groupTrunks = byGroup;
  }
}
