import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import type { OperatorTrunkEvent } from './operator-trunk';
import { operatorTrunkDecider, type OperatorTrunkCommand } from './operator-trunk.decider';
import { validateTrunkSpec, type OperatorTrunkSpec } from './trunk-spec';

function spec(input: Record<string, unknown>): OperatorTrunkSpec {
  const result = validateTrunkSpec(input, 'carrier');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.spec;
}

function given(...events: readonly OperatorTrunkEvent[]): {
  when: (command: OperatorTrunkCommand) => readonly OperatorTrunkEvent[];
} {
  const state = events.reduce(operatorTrunkDecider.evolve, operatorTrunkDecider.initialState);
  return { when: (command) => operatorTrunkDecider.decide(command, state) };
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

const input = {
  host: 'sip.carrier.example',
  username: 'platform',
  password: 'trunk-Secret',
  register: true,
};
const trunk = {
  name: 'carrier',
  host: 'sip.carrier.example',
  port: 5060,
  transport: 'udp' as const,
  credentials: { username: 'platform', password: 'trunk-Secret' },
  register: true,
  inboundAddresses: [],
};
const apply = (fields: Record<string, unknown>): OperatorTrunkCommand => ({
  type: 'ApplyTrunkSpec',
  spec: spec(fields),
});
const added: OperatorTrunkEvent = { type: 'TrunkAdded', trunk };

describe('operator trunk decider', () => {
  it('adds a trunk', () => {
    expect(given().when(apply(input))).toEqual([added]);
  });

  it('changes nothing on the same spec, nor on it without the password', () => {
    expect(given(added).when(apply(input))).toEqual([]);
    expect(given(added).when(apply({ ...input, password: undefined }))).toEqual([]);
  });

  it('changes a trunk with the whole trunk, keeping the stored password', () => {
    expect(given(added).when(apply({ ...input, password: undefined, transport: 'tcp' }))).toEqual([
      { type: 'TrunkChanged', trunk: { ...trunk, transport: 'tcp' } },
    ]);
  });

  it('refuses a new trunk with a username and no password', () => {
    const error = failureOf(() => given().when(apply({ ...input, password: undefined })));
    expect(error.code).toBe(ProvisioningErrorCode.InvalidTrunkSpec);
    expect(error.message).toBe('the trunk spec has 1 problem: password: required with a username');
  });

  it('removes a trunk, then refuses to remove it again, and adds it back under its name', () => {
    const removed = given(added).when({ type: 'RemoveTrunk', name: 'carrier' });
    expect(removed).toEqual([{ type: 'TrunkRemoved', name: 'carrier' }]);
    const error = failureOf(() =>
      given(added, ...removed).when({ type: 'RemoveTrunk', name: 'carrier' }),
    );
    expect(error.code).toBe(ProvisioningErrorCode.TrunkNotFound);
    expect(error.message).toBe('trunk carrier does not exist');
    const again = failureOf(() =>
      given(added, ...removed).when(apply({ ...input, password: undefined })),
    );
    expect(again.message).toContain('password: required with a username');
    expect(given(added, ...removed).when(apply(input))).toEqual([added]);
  });

  it('refuses to remove a trunk that never existed', () => {
    expect(failureOf(() => given().when({ type: 'RemoveTrunk', name: 'nope' })).code).toBe(
      ProvisioningErrorCode.TrunkNotFound,
    );
  });
});
