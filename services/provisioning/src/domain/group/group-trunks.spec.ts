import { parse, stringify } from 'yaml';
import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import type { ActiveGroupState, GroupEvent, GroupState } from './group';
import { groupDecider, type GroupCommand } from './group.decider';
import { acmeInput, edited, validSpec } from './group.fixtures';
import type { GroupSpec } from './group-spec';
import { groupStateToSpec } from './group-state-to-spec';

const fold = (events: readonly GroupEvent[]): GroupState =>
  events.reduce(groupDecider.evolve, groupDecider.initialState);

function active(state: GroupState): ActiveGroupState {
  if (state.status !== 'active') throw new Error(`group is ${state.status}`);
  return state;
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

const carrierInput = (): Record<string, unknown> => ({
  name: 'carrier',
  host: 'SIP.Carrier.example',
  transport: 'tls',
  username: 'acme-main',
  password: 'trunk-Secret-1',
  register: true,
  inboundAddresses: ['192.0.2.10'],
});
const carrier = {
  name: 'carrier',
  host: 'sip.carrier.example',
  port: 5061,
  transport: 'tls',
  credentials: { username: 'acme-main', password: 'trunk-Secret-1' },
  register: true,
  inboundAddresses: ['192.0.2.10'],
};

const acme = (changes: Record<string, unknown> = {}): GroupSpec =>
  validSpec(edited(acmeInput(), { trunks: [carrierInput()], ...changes }));
const create = (spec: GroupSpec): GroupCommand => ({
  type: 'CreateGroup',
  groupId: 'acme',
  tenantId: 't1',
  name: 'acme',
  spec,
});
const apply = (spec: GroupSpec): GroupCommand => ({
  type: 'ApplyGroupSpec',
  groupId: 'acme',
  spec,
});
const created = groupDecider.decide(create(acme()), groupDecider.initialState);
const when = (command: GroupCommand, history: readonly GroupEvent[] = created): GroupEvent[] => [
  ...groupDecider.decide(command, fold(history)),
];

describe('group trunks', () => {
  it('adds a group trunk in the creation batch, with the defaults filled in', () => {
    expect(created.filter((e) => e.type.startsWith('Trunk'))).toEqual([
      { type: 'TrunkAdded', groupId: 'acme', tenantId: 't1', trunk: carrier },
    ]);
    expect(active(fold(created)).trunks.get('carrier')).toEqual(carrier);
  });

  it('changes nothing when the same spec is applied again', () => {
    expect(when(apply(acme()))).toEqual([]);
  });

  it('changes nothing when the spec comes back from get, without the password, through YAML', () => {
    const spec = groupStateToSpec(active(fold(created)));
    expect(JSON.stringify(spec)).not.toContain('trunk-Secret-1');
    expect(spec.trunks).toEqual([
      {
        name: 'carrier',
        host: 'sip.carrier.example',
        port: 5061,
        transport: 'tls',
        username: 'acme-main',
        register: true,
        inboundAddresses: ['192.0.2.10'],
      },
    ]);
    expect(when(apply(validSpec(parse(stringify(spec)))))).toEqual([]);
  });

  it('changes a trunk with one TrunkChanged carrying the whole trunk and the kept password', () => {
    expect(when(apply(acme({ 'trunks[0].port': 5081, 'trunks[0].password': undefined })))).toEqual([
      {
        type: 'TrunkChanged',
        groupId: 'acme',
        tenantId: 't1',
        trunk: { ...carrier, port: 5081 },
      },
    ]);
  });

  it('changes the password alone with TrunkChanged', () => {
    const [event] = when(apply(acme({ 'trunks[0].password': 'new-Secret-2' })));
    expect(event).toEqual({
      type: 'TrunkChanged',
      groupId: 'acme',
      tenantId: 't1',
      trunk: { ...carrier, credentials: { username: 'acme-main', password: 'new-Secret-2' } },
    });
  });

  it('removes a trunk with TrunkRemoved, before the batch adds anything', () => {
    const events = when(
      apply(
        acme({
          trunks: [{ name: 'backup', host: '198.51.100.7' }],
          'users[2].name': 'Carol',
        }),
      ),
    );
    expect(events.map((e) => e.type)).toEqual(['TrunkRemoved', 'UserChanged', 'TrunkAdded']);
    expect(events[0]).toEqual({
      type: 'TrunkRemoved',
      groupId: 'acme',
      tenantId: 't1',
      name: 'carrier',
    });
    expect(events[2]).toMatchObject({
      trunk: {
        name: 'backup',
        host: '198.51.100.7',
        port: 5060,
        transport: 'udp',
        register: false,
      },
    });
  });

  it('refuses a new trunk with a username but no password', () => {
    const error = failureOf(() =>
      when(
        apply(
          acme({
            'trunks[1]': { name: 'backup', host: 'backup.carrier.example', username: 'acme' },
          }),
        ),
      ),
    );
    expect(error.code).toBe(ProvisioningErrorCode.InvalidGroupSpec);
    expect(error.details.problems).toEqual([
      { path: 'trunks[1].password', message: 'required with a username' },
    ]);
  });

  it('refuses to keep the stored password for another username', () => {
    const error = failureOf(() =>
      when(apply(acme({ 'trunks[0].username': 'acme-other', 'trunks[0].password': undefined }))),
    );
    expect(error.details.problems).toEqual([
      { path: 'trunks[0].password', message: 'required when the username changes' },
    ]);
  });

  it('drops the credentials when the username is left out', () => {
    const [event] = when(
      apply(
        acme({
          'trunks[0].username': undefined,
          'trunks[0].password': undefined,
          'trunks[0].register': false,
        }),
      ),
    );
    expect(event).toMatchObject({ type: 'TrunkChanged' });
    expect(event.type === 'TrunkChanged' && event.trunk.credentials).toBeUndefined();
  });
});

describe('caller-id presentation (U2)', () => {
  it('is allowed by default, and a restricted user is added restricted', () => {
    const events = groupDecider.decide(
      create(acme({ 'users[1].presentation': 'restricted' })),
      groupDecider.initialState,
    );
    const users = events.flatMap((e) => (e.type === 'UserAdded' ? [e.user] : []));
    expect(users.map((u) => u.presentation)).toEqual([undefined, 'restricted', undefined]);
  });

  it('emits UserChanged when it changes, and nothing when allowed is spelled out', () => {
    expect(when(apply(acme({ 'users[0].presentation': 'allowed' })))).toEqual([]);
    const restricted = when(apply(acme({ 'users[0].presentation': 'restricted' })));
    expect(restricted).toEqual([
      {
        type: 'UserChanged',
        groupId: 'acme',
        user: {
          extension: '201',
          name: 'Alice Jansen',
          email: 'alice@acme.example',
          profile: 'premium',
          presentation: 'restricted',
        },
      },
    ]);
    const history = [...created, ...restricted];
    expect(when(apply(acme()), history)).toEqual([
      {
        type: 'UserChanged',
        groupId: 'acme',
        user: {
          extension: '201',
          name: 'Alice Jansen',
          email: 'alice@acme.example',
          profile: 'premium',
        },
      },
    ]);
  });

  it('is shown by get only when restricted, and round-trips', () => {
    const history = [...created, ...when(apply(acme({ 'users[0].presentation': 'restricted' })))];
    const spec = groupStateToSpec(active(fold(history)));
    expect(spec.users.map((u) => u.presentation)).toEqual(['restricted', undefined, undefined]);
    expect(Object.keys(spec.users[1])).not.toContain('presentation');
    expect(when(apply(validSpec(parse(stringify(spec)))), history)).toEqual([]);
  });

  it('refuses another value', () => {
    const result = () => validSpec(edited(acmeInput(), { 'users[0].presentation': 'hidden' }));
    expect(result).toThrow(
      'users[0].presentation: unknown presentation "hidden"; expected one of allowed, restricted',
    );
  });
});
