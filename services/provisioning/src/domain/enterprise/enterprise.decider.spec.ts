import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import type { EnterpriseEvent, EnterpriseState } from './enterprise';
import { enterpriseDecider, type EnterpriseCommand } from './enterprise.decider';
import { validateEnterpriseSpec, type EnterpriseSpec } from './enterprise-spec';
import { enterpriseStateToSpec } from './enterprise-state-to-spec';

function fold(events: readonly EnterpriseEvent[]): EnterpriseState {
  return events.reduce(enterpriseDecider.evolve, enterpriseDecider.initialState);
}

function given(...events: readonly EnterpriseEvent[]): {
  when: (command: EnterpriseCommand) => readonly EnterpriseEvent[];
} {
  const state = fold(events);
  return { when: (command) => enterpriseDecider.decide(command, state) };
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

function spec(input: unknown): EnterpriseSpec {
  const result = validateEnterpriseSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.spec;
}

const create = (input: unknown = { displayName: 'Holding BV' }): EnterpriseCommand => ({
  type: 'CreateEnterprise',
  name: 'holding',
  tenantId: 't1',
  spec: spec(input),
});
const apply = (input: unknown): EnterpriseCommand => ({
  type: 'ApplyEnterpriseSpec',
  name: 'holding',
  spec: spec(input),
});
const remove = (groups: readonly string[] = []): EnterpriseCommand => ({
  type: 'DeleteEnterprise',
  name: 'holding',
  groups,
});

const created: EnterpriseEvent = {
  type: 'EnterpriseCreated',
  enterpriseName: 'holding',
  tenantId: 't1',
  displayName: 'Holding BV',
};

describe('enterprise decider', () => {
  it('creates an enterprise with its tenant id and display name', () => {
    expect(given().when(create({ displayName: '  Holding BV ' }))).toEqual([created]);
    expect(fold([created])).toEqual({
      status: 'active',
      name: 'holding',
      tenantId: 't1',
      displayName: 'Holding BV',
    });
  });

  it('creates an enterprise without a display name', () => {
    expect(given().when(create({}))).toEqual([
      { type: 'EnterpriseCreated', enterpriseName: 'holding', tenantId: 't1' },
    ]);
  });

  it('refuses a name that is not a resource name', () => {
    const error = failureOf(() =>
      given().when({ ...create(), name: 'Holding BV' } as EnterpriseCommand),
    );
    expect(error.code).toBe(ProvisioningErrorCode.InvalidEnterpriseSpec);
    expect(error.message).toContain('metadata.name: "Holding BV" must be 1-63 lowercase letters');
  });

  it('refuses to create an enterprise twice', () => {
    expect(failureOf(() => given(created).when(create())).code).toBe(
      ProvisioningErrorCode.EnterpriseAlreadyExists,
    );
  });

  it('changes nothing when the same spec is applied again, also from its own get output', () => {
    expect(given(created).when(apply({ displayName: 'Holding BV' }))).toEqual([]);
    const state = fold([created]);
    if (state.status !== 'active') throw new Error('not active');
    expect(
      given(created).when({
        type: 'ApplyEnterpriseSpec',
        name: 'holding',
        spec: enterpriseStateToSpec(state),
      }),
    ).toEqual([]);
  });

  it('changes and removes the display name with EnterpriseChanged', () => {
    expect(given(created).when(apply({ displayName: 'Holding NV' }))).toEqual([
      { type: 'EnterpriseChanged', enterpriseName: 'holding', displayName: 'Holding NV' },
    ]);
    const removed = given(created).when(apply({}));
    expect(removed).toEqual([{ type: 'EnterpriseChanged', enterpriseName: 'holding' }]);
    expect(fold([created, ...removed])).toEqual({
      status: 'active',
      name: 'holding',
      tenantId: 't1',
    });
  });

  it('deletes an enterprise that has no groups', () => {
    expect(given(created).when(remove())).toEqual([
      { type: 'EnterpriseDeleted', enterpriseName: 'holding' },
    ]);
  });

  it('refuses to delete an enterprise that still has groups, naming them', () => {
    const error = failureOf(() =>
      given(created).when(remove(['holding-rotterdam', 'holding-amsterdam'])),
    );
    expect(error.code).toBe(ProvisioningErrorCode.EnterpriseHasGroups);
    expect(error.message).toBe(
      'enterprise holding still has groups holding-amsterdam, holding-rotterdam; delete them first',
    );
    expect(error.details.groups).toEqual(['holding-amsterdam', 'holding-rotterdam']);
    expect(failureOf(() => given(created).when(remove(['solo']))).message).toBe(
      'enterprise holding still has group solo; delete it first',
    );
  });

  it('refuses to change or delete an enterprise that does not exist', () => {
    expect(failureOf(() => given().when(apply({}))).code).toBe(
      ProvisioningErrorCode.EnterpriseNotFound,
    );
    expect(failureOf(() => given().when(remove())).code).toBe(
      ProvisioningErrorCode.EnterpriseNotFound,
    );
  });

  it('refuses every command once deleted, and never reuses the name', () => {
    const history: EnterpriseEvent[] = [
      created,
      { type: 'EnterpriseDeleted', enterpriseName: 'holding' },
    ];
    expect(fold(history)).toEqual({ status: 'deleted', name: 'holding', tenantId: 't1' });
    for (const command of [create(), apply({}), remove()]) {
      expect(failureOf(() => given(...history).when(command)).code).toBe(
        ProvisioningErrorCode.EnterpriseDeleted,
      );
    }
  });
});

describe(validateEnterpriseSpec.name, () => {
  it.each<[unknown, string[]]>([
    [{ displayname: 'x' }, ['displayname: unknown field; did you mean "displayName"?']],
    [{ displayName: '' }, ['displayName: must be 1-100 printable characters']],
    [{ displayName: 'x'.repeat(101) }, ['displayName: must be 1-100 printable characters']],
    [{ displayName: 42 }, ['displayName: must be a string; quote it in YAML']],
    ['holding', ['spec: must be an object']],
  ])('refuses %p', (input, problems) => {
    const result = validateEnterpriseSpec(input);
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(
      problems,
    );
  });
});
