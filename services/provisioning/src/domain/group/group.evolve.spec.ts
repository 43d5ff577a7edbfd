import { evolveGroup, evolveGroupAll, initialGroupState, type GroupEvent } from './group';
import { groupDecider } from './group.decider';
import { edited, largeGroupInput, validSpec } from './group.fixtures';
import { groupStateToSpec } from './group-state-to-spec';

function history(): GroupEvent[] {
  const created = groupDecider.decide(
    {
      type: 'CreateGroup',
      groupId: 'big',
      tenantId: 't',
      name: 'big',
      spec: validSpec(largeGroupInput(300)),
    },
    initialGroupState,
  );
  const state = evolveGroupAll(initialGroupState, created);
  const input = largeGroupInput(300);
  const users = input.users as { name: string }[];
  users[5].name = 'Renamed Five';
  const [removed] = users.splice(7, 1) as unknown as { extension: string }[];
  for (const hunt of (input.huntGroups ?? []) as { members: string[] }[]) {
    hunt.members = hunt.members.filter((m) => m !== removed.extension);
  }
  const changed = groupDecider.decide(
    { type: 'ApplyGroupSpec', groupId: 'big', spec: validSpec(edited(input, {})) },
    state,
  );
  return [...created, ...changed];
}

describe(evolveGroupAll.name, () => {
  it('gives the state that folding evolveGroup one event at a time gives', () => {
    const events = history();
    expect(events.length).toBeGreaterThan(300);
    const folded = events.reduce(evolveGroup, initialGroupState);
    const batched = evolveGroupAll(initialGroupState, events);
    expect(batched).toEqual(folded);
    if (batched.status !== 'active') throw new Error('expected an active group');
    expect(batched.users.get(users(5))?.name).toBe('Renamed Five');
  });

  it('never changes the state it starts from', () => {
    const events = history();
    const split = events.findIndex(
      (e) =>
        e.type !== 'GroupCreated' &&
        e.type !== 'UserAdded' &&
        e.type !== 'DeviceAdded' &&
        e.type !== 'HuntGroupAdded' &&
        e.type !== 'DepartmentAdded' &&
        e.type !== 'ScheduleSet' &&
        e.type !== 'GroupJoinedEnterprise',
    );
    const before = evolveGroupAll(initialGroupState, events.slice(0, split));
    if (before.status !== 'active') throw new Error('expected an active group');
    const snapshot = groupStateToSpec(before);
    const sizes = [before.users.size, before.devices.size];
    evolveGroupAll(before, events.slice(split));
    expect(groupStateToSpec(before)).toEqual(snapshot);
    expect([before.users.size, before.devices.size]).toEqual(sizes);
  });
});

function users(index: number): string {
  return (largeGroupInput(300).users as { extension: string }[])[index].extension;
}
