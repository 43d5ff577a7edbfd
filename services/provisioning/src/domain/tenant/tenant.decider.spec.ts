import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import type { TenantEvent } from './tenant';
import { tenantDecider, type TenantCommand } from './tenant.decider';

function given(...events: TenantEvent[]): { when: (c: TenantCommand) => readonly TenantEvent[] } {
  const state = events.reduce(tenantDecider.evolve, tenantDecider.initialState);
  return { when: (command) => tenantDecider.decide(command, state) };
}

function codeOf(fn: () => unknown): ProvisioningErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProvisioningError) return error.code;
    throw error;
  }
  return undefined;
}

const created: TenantEvent = {
  type: 'TenantCreated',
  tenantId: 't1',
  name: 'Acme',
  architecture: 'group',
  domain: 'acme.example',
};

describe('tenant decider', () => {
  it('creates a group with a normalised name and domain', () => {
    expect(
      given().when({
        type: 'CreateTenant',
        tenantId: 't1',
        name: ' Acme ',
        architecture: 'group',
        domain: 'ACME.example',
      }),
    ).toEqual([created]);
  });

  it('creates an enterprise without a domain of its own', () => {
    expect(
      given().when({
        type: 'CreateTenant',
        tenantId: 'e1',
        name: 'Holding',
        architecture: 'enterprise',
      }),
    ).toEqual([
      {
        type: 'TenantCreated',
        tenantId: 'e1',
        name: 'Holding',
        architecture: 'enterprise',
        domain: '',
      },
    ]);
  });

  it.each([
    [
      { name: '', architecture: 'group', domain: 'a.example' },
      ProvisioningErrorCode.InvalidTenantName,
    ],
    [
      { name: 'x'.repeat(101), architecture: 'group', domain: 'a.example' },
      ProvisioningErrorCode.InvalidTenantName,
    ],
    [
      { name: 'bad\u0000name', architecture: 'group', domain: 'a.example' },
      ProvisioningErrorCode.InvalidTenantName,
    ],
    [
      { name: 'Acme', architecture: 'kingdom', domain: 'a.example' },
      ProvisioningErrorCode.InvalidArchitecture,
    ],
    [
      { name: 'Acme', architecture: 'group', domain: 'not a domain' },
      ProvisioningErrorCode.InvalidDomain,
    ],
    [{ name: 'Acme', architecture: 'group' }, ProvisioningErrorCode.InvalidDomain],
    [
      { name: 'Acme', architecture: 'enterprise', domain: 'a.example' },
      ProvisioningErrorCode.InvalidDomain,
    ],
  ])('refuses to create %p with %s', (fields, code) => {
    expect(codeOf(() => given().when({ type: 'CreateTenant', tenantId: 't1', ...fields }))).toBe(
      code,
    );
  });

  it('refuses to create a tenant twice', () => {
    expect(
      codeOf(() =>
        given(created).when({
          type: 'CreateTenant',
          tenantId: 't1',
          name: 'A',
          architecture: 'group',
          domain: 'a.example',
        }),
      ),
    ).toBe(ProvisioningErrorCode.TenantAlreadyExists);
  });

  it('renames, and renaming to the same name changes nothing', () => {
    expect(given(created).when({ type: 'UpdateTenant', tenantId: 't1', name: 'Acme BV' })).toEqual([
      { type: 'TenantRenamed', tenantId: 't1', name: 'Acme BV' },
    ]);
    expect(given(created).when({ type: 'UpdateTenant', tenantId: 't1', name: 'Acme' })).toEqual([]);
  });

  it('refuses to turn a group into an enterprise (T3)', () => {
    expect(
      codeOf(() =>
        given(created).when({ type: 'UpdateTenant', tenantId: 't1', architecture: 'enterprise' }),
      ),
    ).toBe(ProvisioningErrorCode.ArchitectureIsFixed);
    expect(
      given(created).when({ type: 'UpdateTenant', tenantId: 't1', architecture: 'group' }),
    ).toEqual([]);
  });

  it('refuses to update a tenant that does not exist', () => {
    expect(codeOf(() => given().when({ type: 'UpdateTenant', tenantId: 't9', name: 'X' }))).toBe(
      ProvisioningErrorCode.TenantNotFound,
    );
  });
});
