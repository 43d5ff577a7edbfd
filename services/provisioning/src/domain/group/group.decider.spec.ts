import { createHash } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import { digestCredentials } from './digest-credentials';
import type { ActiveGroupState, GroupEvent, GroupState } from './group';
import { groupDecider, type GroupCommand } from './group.decider';
import { acmeInput, edited, largeGroupInput, validSpec } from './group.fixtures';
import type { GroupSpec } from './group-spec';
import { groupStateToSpec } from './group-state-to-spec';

function fold(events: readonly GroupEvent[]): GroupState {
  return events.reduce(groupDecider.evolve, groupDecider.initialState);
}

function given(...events: readonly GroupEvent[]): {
  when: (command: GroupCommand) => readonly GroupEvent[];
} {
  const state = fold(events);
  return { when: (command) => groupDecider.decide(command, state) };
}

function failureOf(fn: () => unknown): ProvisioningError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProvisioningError) return error;
    throw error;
  }
  throw new Error('expected a ProvisioningError');
}

function active(state: GroupState): ActiveGroupState {
  if (state.status !== 'active') throw new Error(`group is ${state.status}`);
  return state;
}

const hex = (algorithm: string, text: string): string =>
  createHash(algorithm).update(text).digest('hex');
const ha1 = (username: string, password: string, realm = 'acme.example') => ({
  ha1Md5: hex('md5', `${username}:${realm}:${password}`),
  ha1Sha256: hex('sha256', `${username}:${realm}:${password}`),
});

const acme = (changes: Record<string, unknown> = {}): GroupSpec =>
  validSpec(edited(acmeInput(), changes));
const create = (spec: GroupSpec = acme()): GroupCommand => ({
  type: 'CreateGroup',
  groupId: 'g1',
  tenantId: 't1',
  name: 'acme',
  spec,
});
const apply = (spec: GroupSpec, name?: string): GroupCommand => ({
  type: 'ApplyGroupSpec',
  groupId: 'g1',
  spec,
  ...(name !== undefined && { name }),
});

/** The acme group as created from the example manifest. */
const created: readonly GroupEvent[] = given().when(create());
/** The acme manifest as `pbx get -o yaml` would give it back: no passwords. */
const acmeWithoutPasswords = (changes: Record<string, unknown> = {}): GroupSpec =>
  acme({
    'users[0].devices[0].password': undefined,
    'users[1].devices[0].password': undefined,
    'users[1].devices[1].password': undefined,
    'users[2].devices[0].password': undefined,
    ...changes,
  });

describe('group decider', () => {
  it('derives HA1s as RFC 7616 does (known vector)', () => {
    const md5 = createHash('md5').update('alice:acme.example:s3cret-Alice').digest('hex');
    expect(digestCredentials('alice', 'acme.example', 's3cret-Alice')).toEqual({
      ha1Md5: md5,
      ha1Sha256: createHash('sha256').update('alice:acme.example:s3cret-Alice').digest('hex'),
    });
    expect(md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it('creates the acme group with its users, devices and hunt group', () => {
    expect(created).toEqual([
      {
        type: 'GroupCreated',
        groupId: 'g1',
        tenantId: 't1',
        name: 'acme',
        settings: {
          domain: 'acme.example',
          timezone: 'Europe/Amsterdam',
          mainNumber: '+31201234500',
        },
      },
      {
        type: 'UserAdded',
        groupId: 'g1',
        user: {
          extension: '201',
          name: 'Alice Jansen',
          email: 'alice@acme.example',
          profile: 'premium',
          numbers: ['+31201234501'],
        },
      },
      {
        type: 'UserAdded',
        groupId: 'g1',
        user: {
          extension: '202',
          name: 'Bob de Vries',
          email: 'bob@acme.example',
          profile: 'business',
          numbers: [],
        },
      },
      {
        type: 'UserAdded',
        groupId: 'g1',
        user: { extension: '203', name: 'Carol Smit', profile: 'base', numbers: [] },
      },
      {
        type: 'DeviceAdded',
        groupId: 'g1',
        device: {
          username: 'alice',
          owner: '201',
          kind: 'softphone',
          flexHost: false,
          credentials: ha1('alice', 's3cret-Alice'),
        },
      },
      {
        type: 'DeviceAdded',
        groupId: 'g1',
        device: {
          username: 'bob',
          owner: '202',
          kind: 'deskphone',
          flexHost: false,
          credentials: ha1('bob', 's3cret-Bob'),
        },
      },
      {
        type: 'DeviceAdded',
        groupId: 'g1',
        device: {
          username: 'bob-mobile',
          owner: '202',
          kind: 'softphone',
          flexHost: false,
          credentials: ha1('bob-mobile', 's3cret-Bob2'),
        },
      },
      {
        type: 'DeviceAdded',
        groupId: 'g1',
        device: {
          username: 'carol',
          owner: '203',
          kind: 'deskphone',
          flexHost: false,
          credentials: ha1('carol', 's3cret-Carol'),
        },
      },
      {
        type: 'HuntGroupAdded',
        groupId: 'g1',
        huntGroup: { extension: '600', name: 'Sales', policy: 'circular', members: ['201', '202'] },
      },
    ]);
  });

  it('never puts a password in an event', () => {
    expect(JSON.stringify(created)).not.toMatch(/s3cret/);
  });

  it('changes nothing when the same spec is applied again, passwords included', () => {
    expect(given(...created).when(apply(acme()))).toEqual([]);
  });

  it('changes nothing when users, devices and hunt groups are listed in another order', () => {
    const input = acmeInput();
    const users = input.users as unknown[];
    expect(
      given(...created).when(apply(validSpec({ ...input, users: [...users].reverse() }))),
    ).toEqual([]);
  });

  it('renames one user with only UserChanged', () => {
    expect(given(...created).when(apply(acme({ 'users[1].name': 'Bob van Vries' })))).toEqual([
      {
        type: 'UserChanged',
        groupId: 'g1',
        user: {
          extension: '202',
          name: 'Bob van Vries',
          email: 'bob@acme.example',
          profile: 'business',
        },
      },
    ]);
  });

  it('changes a profile (a licence change) with UserChanged and numbers with UserNumbersChanged', () => {
    expect(
      given(...created).when(
        apply(acme({ 'users[2].profile': 'premium', 'users[2].numbers': ['+31201234503'] })),
      ),
    ).toEqual([
      {
        type: 'UserChanged',
        groupId: 'g1',
        user: { extension: '203', name: 'Carol Smit', profile: 'premium' },
      },
      { type: 'UserNumbersChanged', groupId: 'g1', extension: '203', numbers: ['+31201234503'] },
    ]);
  });

  it('removes one device with only DeviceRemoved', () => {
    expect(
      given(...created).when(
        apply(acme({ 'users[1].devices': [{ username: 'bob', kind: 'deskphone' }] })),
      ),
    ).toEqual([{ type: 'DeviceRemoved', groupId: 'g1', username: 'bob-mobile' }]);
  });

  it('changes a password with only DeviceCredentialsChanged', () => {
    expect(
      given(...created).when(apply(acme({ 'users[0].devices[0].password': 'n3w-Secret' }))),
    ).toEqual([
      {
        type: 'DeviceCredentialsChanged',
        groupId: 'g1',
        username: 'alice',
        credentials: ha1('alice', 'n3w-Secret'),
      },
    ]);
  });

  it('keeps the credentials of a device given without password', () => {
    const events = given(...created).when(
      apply(acmeWithoutPasswords({ 'users[0].devices[0].flexHost': true })),
    );
    expect(events).toEqual([
      {
        type: 'DeviceChanged',
        groupId: 'g1',
        device: { username: 'alice', owner: '201', kind: 'softphone', flexHost: true },
      },
    ]);
    const state = active(fold([...created, ...events]));
    expect(state.devices.get('alice')?.credentials).toEqual(ha1('alice', 's3cret-Alice'));
  });

  it('refuses a new device without password', () => {
    const error = failureOf(() =>
      given(...created).when(
        apply(acme({ 'users[2].devices[1]': { username: 'carol-soft', kind: 'softphone' } })),
      ),
    );
    expect(error.code).toBe(ProvisioningErrorCode.InvalidGroupSpec);
    expect(error.details.problems).toEqual([
      { path: 'users[2].devices[1].password', message: 'required for a new device' },
    ]);
  });

  it('round-trips state to spec to apply without changes, also through YAML', () => {
    const state = active(fold(created));
    const spec = groupStateToSpec(state);
    expect(JSON.stringify(spec)).not.toMatch(/password/);
    expect(given(...created).when(apply(spec))).toEqual([]);
    const reread = validSpec(parse(stringify({ spec })).spec);
    expect(given(...created).when(apply(reread))).toEqual([]);
  });

  it('round-trips a group with departments, schedules and hunt group numbers', () => {
    const rich = acme({
      departments: [{ name: 'Support', number: '+31201234590' }, { name: 'Sales' }],
      'users[0].department': 'Support',
      'huntGroups[0].number': '+31201234560',
      schedules: [
        { name: 'office', type: 'business-hours', days: { mon: ['08:30-12:00', '13:00-17:30'] } },
        { name: 'closed', type: 'holidays', dates: ['2025-12-25'] },
      ],
    });
    const events = given().when(create(rich));
    const spec = groupStateToSpec(active(fold(events)));
    expect(given(...events).when(apply(validSpec(parse(stringify(spec)))))).toEqual([]);
  });

  describe('domain change', () => {
    it('is refused when a device that stays has no password in the apply', () => {
      const error = failureOf(() =>
        given(...created).when(
          apply(acme({ domain: 'acme.test', 'users[2].devices[0].password': undefined })),
        ),
      );
      expect(error.code).toBe(ProvisioningErrorCode.InvalidGroupSpec);
      expect(error.details.problems).toEqual([
        {
          path: 'domain',
          message:
            "changing the domain needs every device's password in the same apply, because digest credentials are bound to the realm",
        },
      ]);
      expect(error.message).toContain('domain: changing the domain needs every device');
    });

    it('re-keys every device when all passwords are given', () => {
      expect(given(...created).when(apply(acme({ domain: 'acme.test' })))).toEqual([
        {
          type: 'GroupSettingsChanged',
          groupId: 'g1',
          name: 'acme',
          settings: {
            domain: 'acme.test',
            timezone: 'Europe/Amsterdam',
            mainNumber: '+31201234500',
          },
        },
        ...[
          ['alice', 's3cret-Alice'],
          ['bob', 's3cret-Bob'],
          ['bob-mobile', 's3cret-Bob2'],
          ['carol', 's3cret-Carol'],
        ].map(([username, password]) => ({
          type: 'DeviceCredentialsChanged',
          groupId: 'g1',
          username,
          credentials: ha1(username, password, 'acme.test'),
        })),
      ]);
    });

    it('does not need the password of a device that is removed in the same apply', () => {
      const events = given(...created).when(
        apply(acme({ domain: 'acme.test', 'users[2].devices': [] })),
      );
      expect(events.map((e) => e.type)).toEqual([
        'GroupSettingsChanged',
        'DeviceRemoved',
        'DeviceCredentialsChanged',
        'DeviceCredentialsChanged',
        'DeviceCredentialsChanged',
      ]);
    });
  });

  it('changes settings and the name with one GroupSettingsChanged', () => {
    expect(given(...created).when(apply(acme({ timezone: 'Europe/Brussels' }), 'acme-bv'))).toEqual(
      [
        {
          type: 'GroupSettingsChanged',
          groupId: 'g1',
          name: 'acme-bv',
          settings: {
            domain: 'acme.example',
            timezone: 'Europe/Brussels',
            mainNumber: '+31201234500',
          },
        },
      ],
    );
  });

  it('removes a user after moving away their devices and dropping their memberships', () => {
    // Alice (201) leaves; her softphone goes to Carol, Dave (204) joins the hunt group.
    const events = given(...created).when(
      apply(
        acme({
          users: [
            (acmeInput().users as unknown[])[1],
            {
              ...((acmeInput().users as unknown[])[2] as object),
              devices: [
                { username: 'carol', kind: 'deskphone' },
                { username: 'alice', kind: 'softphone' },
              ],
            },
            { extension: '204', name: 'Dave Bakker', profile: 'base' },
          ],
          'huntGroups[0].members': ['202', '204'],
        }),
      ),
    );
    expect(events).toEqual([
      {
        type: 'UserAdded',
        groupId: 'g1',
        user: { extension: '204', name: 'Dave Bakker', profile: 'base', numbers: [] },
      },
      {
        type: 'DeviceChanged',
        groupId: 'g1',
        device: { username: 'alice', owner: '203', kind: 'softphone', flexHost: false },
      },
      {
        type: 'HuntGroupChanged',
        groupId: 'g1',
        huntGroup: { extension: '600', name: 'Sales', policy: 'circular', members: ['202', '204'] },
      },
      { type: 'UserRemoved', groupId: 'g1', extension: '201' },
    ]);
  });

  it('keeps every reference valid after each event of a large change', () => {
    const before = given().when(
      create(
        acme({
          departments: [{ name: 'Support' }],
          'users[0].department': 'Support',
          schedules: [{ name: 'closed', type: 'holidays', dates: ['2025-12-25'] }],
        }),
      ),
    );
    const after = given(...before).when(
      apply(
        acme({
          departments: [{ name: 'Backoffice', number: '+31201234591' }],
          users: [
            {
              extension: '205',
              name: 'Alice Jansen',
              profile: 'premium',
              department: 'Backoffice',
              numbers: ['+31201234501'],
              devices: [{ username: 'alice', kind: 'softphone' }],
            },
            (acmeInput().users as unknown[])[1],
            {
              extension: '600',
              name: 'Carol Smit',
              profile: 'base',
              devices: [{ username: 'carol', kind: 'deskphone' }],
            },
          ],
          huntGroups: [
            { extension: '601', name: 'Sales', policy: 'regular', members: ['205', '600'] },
          ],
          schedules: [{ name: 'office', type: 'business-hours', days: { fri: ['09:00-17:00'] } }],
        }),
      ),
    );
    let state = active(fold(before));
    for (const event of after) {
      state = active(groupDecider.evolve(state, event));
      for (const device of state.devices.values()) expect(state.users.has(device.owner)).toBe(true);
      for (const huntGroup of state.huntGroups.values()) {
        for (const member of huntGroup.members) expect(state.users.has(member)).toBe(true);
      }
      for (const user of state.users.values()) {
        if (user.department) expect(state.departments.has(user.department)).toBe(true);
      }
    }
    expect(after.map((e) => e.type)).toEqual([
      'HuntGroupRemoved',
      'ScheduleRemoved',
      'DepartmentAdded',
      'ScheduleSet',
      'UserAdded',
      'UserAdded',
      'DeviceChanged',
      'DeviceChanged',
      'HuntGroupAdded',
      'UserRemoved',
      'UserRemoved',
      'DepartmentRemoved',
    ]);
    expect(given(...before, ...after).when(apply(groupStateToSpec(state)))).toEqual([]);
  });

  it('sets a changed schedule and leaves an unchanged one alone', () => {
    const office = { name: 'office', type: 'business-hours', days: { mon: ['08:00-17:00'] } };
    const closed = { name: 'closed', type: 'holidays', dates: ['2025-12-25'] };
    const before = given().when(create(acme({ schedules: [office, closed] })));
    expect(
      given(...before).when(
        apply(acme({ schedules: [office, { ...closed, dates: ['2025-12-25', '2025-12-26'] }] })),
      ),
    ).toEqual([
      {
        type: 'ScheduleSet',
        groupId: 'g1',
        schedule: { name: 'closed', type: 'holidays', dates: ['2025-12-25', '2025-12-26'] },
      },
    ]);
  });

  it('refuses to create a group twice, or to apply to or delete a group that does not exist', () => {
    expect(failureOf(() => given(...created).when(create())).code).toBe(
      ProvisioningErrorCode.GroupAlreadyExists,
    );
    expect(failureOf(() => given().when(apply(acme()))).code).toBe(
      ProvisioningErrorCode.GroupNotFound,
    );
    expect(failureOf(() => given().when({ type: 'DeleteGroup', groupId: 'g1' })).code).toBe(
      ProvisioningErrorCode.GroupNotFound,
    );
  });

  it('refuses a group name that is not a resource name', () => {
    const error = failureOf(() => given().when({ ...create(), name: 'Acme BV' } as GroupCommand));
    expect(error.code).toBe(ProvisioningErrorCode.InvalidGroupSpec);
    expect(error.message).toContain('metadata.name: "Acme BV" must be 1-63 lowercase letters');
  });

  it('deletes a group, which then refuses every command', () => {
    const deleted = given(...created).when({ type: 'DeleteGroup', groupId: 'g1' });
    expect(deleted).toEqual([{ type: 'GroupDeleted', groupId: 'g1' }]);
    const history = [...created, ...deleted];
    expect(fold(history)).toEqual({
      status: 'deleted',
      groupId: 'g1',
      tenantId: 't1',
      name: 'acme',
    });
    for (const command of [
      apply(acme()),
      { type: 'DeleteGroup', groupId: 'g1' } as const,
      create(),
    ]) {
      expect(failureOf(() => given(...history).when(command)).code).toBe(
        ProvisioningErrorCode.GroupDeleted,
      );
    }
  });

  describe('group of an enterprise (T2, T3)', () => {
    const ofHolding = (changes: Record<string, unknown> = {}): GroupSpec =>
      acme({ enterprise: 'holding', ...changes });
    const inHolding: readonly GroupEvent[] = given().when(create(ofHolding()));

    it('joins its enterprise in the creation batch, right after GroupCreated', () => {
      expect(inHolding.slice(0, 3).map((e) => e.type)).toEqual([
        'GroupCreated',
        'GroupJoinedEnterprise',
        'UserAdded',
      ]);
      expect(inHolding[1]).toEqual({
        type: 'GroupJoinedEnterprise',
        groupId: 'g1',
        enterpriseName: 'holding',
      });
      expect(inHolding.slice(2)).toEqual(created.slice(1));
      expect(active(fold(inHolding)).enterprise).toBe('holding');
    });

    it('shows the enterprise in its spec, so that get | apply changes nothing', () => {
      const spec = groupStateToSpec(active(fold(inHolding)));
      expect(Object.keys(spec)[0]).toBe('enterprise');
      expect(spec.enterprise).toBe('holding');
      expect(given(...inHolding).when(apply(validSpec(parse(stringify(spec)))))).toEqual([]);
      expect(groupStateToSpec(active(fold(created))).enterprise).toBeUndefined();
    });

    it.each<[string, readonly GroupEvent[], GroupSpec, string]>([
      [
        'a standalone group joining an enterprise',
        created,
        ofHolding(),
        'acme is a standalone Group and cannot join enterprise holding: Group or Enterprise is fixed when a group is created and can never change; order a new group in the enterprise instead',
      ],
      [
        'a group leaving its enterprise',
        inHolding,
        acme(),
        'acme belongs to enterprise holding and cannot leave it: Group or Enterprise is fixed when a group is created and can never change; order a new standalone group instead',
      ],
      [
        'a group moving to another enterprise',
        inHolding,
        ofHolding({ enterprise: 'other' }),
        'acme belongs to enterprise holding and cannot move to enterprise other: Group or Enterprise is fixed when a group is created and can never change; order a new group in other instead',
      ],
    ])('refuses %s as an architecture change', (_what, history, spec, message) => {
      const error = failureOf(() => given(...history).when(apply(spec)));
      expect(error.code).toBe(ProvisioningErrorCode.ArchitectureIsFixed);
      expect(error.message).toBe(message);
      expect(error.details.problems).toEqual([{ path: 'enterprise', message }]);
    });

    it('changes other settings of an enterprise group as usual', () => {
      expect(
        given(...inHolding)
          .when(apply(ofHolding({ 'users[1].name': 'Bob van Vries' })))
          .map((e) => e.type),
      ).toEqual(['UserChanged']);
    });
  });

  it('applies a group of 1,000 users as one batch and re-applies it without changes', () => {
    // The whole test, hashing 1,000 passwords and folding 2,002 events three times included,
    // takes about 0.1 s on a laptop; quadratic diffing would show as seconds. Deliberately not
    // timed: a timed assertion would be flaky on a loaded CI machine.
    const spec = validSpec(largeGroupInput(1000));
    const events = given().when({ ...create(spec), name: 'big' } as GroupCommand);
    expect(events).toHaveLength(1 + 1000 + 1000 + 1);
    expect(given(...events).when(apply(spec, 'big'))).toEqual([]);
    const renamed = edited(largeGroupInput(1000), { 'users[999].name': 'Last User' });
    expect(
      given(...events)
        .when(apply(validSpec(renamed), 'big'))
        .map((e) => e.type),
    ).toEqual(['UserChanged']);
  });
});
