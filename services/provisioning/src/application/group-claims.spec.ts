import { acmeInput, validSpec } from '../domain/group/group.fixtures';
import { claimProblems, claimsOf, domainHolder } from './group-claims';

const spec = validSpec(acmeInput());

describe(claimsOf.name, () => {
  it('has a standalone group hold its name, domain, numbers and device names', () => {
    const claims = claimsOf({ name: 'acme', enterprise: undefined }, spec);
    expect(claims.map((c) => `${c.kind} ${c.value} ${c.holder}`)).toEqual([
      'name acme group:acme',
      'domain acme.example group:acme',
      'number +31201234500 group:acme',
      'number +31201234501 group:acme',
      'device alice@acme.example group:acme',
      'device bob@acme.example group:acme',
      'device bob-mobile@acme.example group:acme',
      'device carol@acme.example group:acme',
    ]);
  });

  it('has a group of an enterprise share its domain through the enterprise, and keep the rest', () => {
    const claims = claimsOf({ name: 'acme', enterprise: 'holding' }, spec);
    expect(claims.filter((c) => c.holder !== 'group:acme')).toEqual([
      {
        kind: 'domain',
        value: 'acme.example',
        holder: 'enterprise:holding',
        owner: 'enterprise',
        path: 'domain',
      },
    ]);
    expect(domainHolder({ name: 'acme', enterprise: 'holding' })).toBe('enterprise:holding');
  });
});

describe(claimProblems.name, () => {
  const claims = claimsOf({ name: 'globex', enterprise: undefined }, spec);

  it.each([
    [
      { kind: 'domain', value: 'acme.example', holder: 'group:acme', owner: 'group' },
      'domain: "acme.example" is the domain of group acme',
    ],
    [
      { kind: 'domain', value: 'acme.example', holder: 'enterprise:holding', owner: 'enterprise' },
      'domain: "acme.example" is the domain of enterprise holding; only groups of that enterprise may share it',
    ],
    [
      { kind: 'number', value: '+31201234501', holder: 'group:acme', owner: 'user 201' },
      'users[0].numbers[0]: "+31201234501" is already assigned to user 201 of group acme',
    ],
    [
      { kind: 'device', value: 'bob@acme.example', holder: 'group:acme', owner: 'user 202' },
      'users[1].devices[0].username: device "bob@acme.example" already belongs to user 202 of group acme',
    ],
    [
      { kind: 'name', value: 'globex', holder: 'enterprise:globex', owner: 'enterprise' },
      'metadata.name: "globex" is already the name of enterprise globex',
    ],
  ] as const)('names the holder of %p', (held, problem) => {
    expect(claimProblems(claims, [held]).map((p) => `${p.path}: ${p.message}`)).toEqual([problem]);
  });
});
