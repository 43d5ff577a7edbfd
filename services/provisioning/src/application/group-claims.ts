import type { GroupSpec } from '../domain/group/group-spec';
import type { SpecProblem } from '../domain/group/spec-problems';

export interface Claim {
  readonly kind: 'domain' | 'number' | 'device';
  readonly value: string;
  readonly owner: string;
  /** Where the spec asks for it, for the problem message. */
  readonly path: string;
}

export interface HeldClaim {
  readonly kind: Claim['kind'];
  readonly value: string;
  readonly group: string;
  readonly owner: string;
}

/** Everything a group's spec holds that must be unique on the platform. */
export function claimsOf(spec: GroupSpec): Claim[] {
  const claims: Claim[] = [{ kind: 'domain', value: spec.domain, owner: 'group', path: 'domain' }];
  if (spec.mainNumber)
    claims.push({ kind: 'number', value: spec.mainNumber, owner: 'main', path: 'mainNumber' });
  spec.departments.forEach((d, i) => {
    if (d.number)
      claims.push({
        kind: 'number',
        value: d.number,
        owner: `department ${d.name}`,
        path: `departments[${i}].number`,
      });
  });
  spec.users.forEach((u, i) => {
    u.numbers.forEach((n, j) =>
      claims.push({
        kind: 'number',
        value: n,
        owner: `user ${u.extension}`,
        path: `users[${i}].numbers[${j}]`,
      }),
    );
    u.devices.forEach((d, j) =>
      claims.push({
        kind: 'device',
        value: `${d.username}@${spec.domain}`,
        owner: `user ${u.extension}`,
        path: `users[${i}].devices[${j}].username`,
      }),
    );
  });
  spec.huntGroups.forEach((h, i) => {
    if (h.number)
      claims.push({
        kind: 'number',
        value: h.number,
        owner: `hunt group ${h.extension}`,
        path: `huntGroups[${i}].number`,
      });
  });
  return claims;
}

export function claimProblems(claims: readonly Claim[], held: readonly HeldClaim[]): SpecProblem[] {
  const byKey = new Map(claims.map((c) => [`${c.kind} ${c.value}`, c]));
  return held.map((h) => {
    const claim = byKey.get(`${h.kind} ${h.value}`);
    const what =
      h.kind === 'domain'
        ? `"${h.value}" is the domain of group ${h.group}`
        : h.kind === 'number'
          ? `"${h.value}" is already assigned to ${h.owner} of group ${h.group}`
          : `device "${h.value}" already belongs to ${h.owner} of group ${h.group}`;
    return { path: claim?.path ?? 'spec', message: what };
  });
}
