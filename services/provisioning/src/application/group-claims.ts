import type { GroupSpec } from '../domain/group/group-spec';
import type { SpecProblem } from '../domain/group/spec-problems';

export type ClaimKind = 'name' | 'domain' | 'number' | 'device';

/**
 * A value that must be unique on the platform, and who holds it: `group:<name>`, or
 * `enterprise:<name>` for a domain the groups of one enterprise share (T4). Whoever else asks for
 * it is refused.
 */
export interface Claim {
  readonly kind: ClaimKind;
  readonly value: string;
  readonly holder: string;
  readonly owner: string;
  /** Where the document asks for it (relative to `spec`, or `metadata.name`), for the message. */
  readonly path: string;
}

export interface HeldClaim {
  readonly kind: ClaimKind;
  readonly value: string;
  readonly holder: string;
  readonly owner: string;
}

/** What claims depend on of a group: its name and its enterprise, both fixed at creation. */
export interface GroupIdentity {
  readonly name: string;
  readonly enterprise: string | undefined;
}

export const groupHolder = (name: string): string => `group:${name}`;
export const enterpriseHolder = (name: string): string => `enterprise:${name}`;

/** A standalone group holds its domain; a group of an enterprise shares it with its siblings. */
export function domainHolder(group: GroupIdentity): string {
  return group.enterprise === undefined
    ? groupHolder(group.name)
    : enterpriseHolder(group.enterprise);
}

/** "group acme" or "enterprise holding", from a holder. */
export function describeHolder(holder: string): string {
  const colon = holder.indexOf(':');
  return colon < 0 ? `group ${holder}` : `${holder.slice(0, colon)} ${holder.slice(colon + 1)}`;
}

/** An enterprise's name: groups and enterprises share one namespace (T3). */
export function enterpriseNameClaim(name: string): Claim {
  return {
    kind: 'name',
    value: name,
    holder: enterpriseHolder(name),
    owner: 'enterprise',
    path: 'metadata.name',
  };
}

/**
 * Everything a group's spec holds that must be unique on the platform: its name, its domain (held
 * by its enterprise if it has one), numbers (platform-wide) and device SIP names (`user@domain`,
 * unique across every group that uses the domain).
 */
export function claimsOf(group: GroupIdentity, spec: GroupSpec): Claim[] {
  const holder = groupHolder(group.name);
  const claims: Claim[] = [
    { kind: 'name', value: group.name, holder, owner: 'group', path: 'metadata.name' },
    {
      kind: 'domain',
      value: spec.domain,
      holder: domainHolder(group),
      owner: group.enterprise === undefined ? 'group' : 'enterprise',
      path: 'domain',
    },
  ];
  const number = (value: string, owner: string, path: string): void => {
    claims.push({ kind: 'number', value, holder, owner, path });
  };
  if (spec.mainNumber) number(spec.mainNumber, 'main', 'mainNumber');
  spec.departments.forEach((d, i) => {
    if (d.number) number(d.number, `department ${d.name}`, `departments[${i}].number`);
  });
  spec.users.forEach((u, i) => {
    u.numbers.forEach((n, j) => number(n, `user ${u.extension}`, `users[${i}].numbers[${j}]`));
    u.devices.forEach((d, j) =>
      claims.push({
        kind: 'device',
        value: `${d.username}@${spec.domain}`,
        holder,
        owner: `user ${u.extension}`,
        path: `users[${i}].devices[${j}].username`,
      }),
    );
  });
  spec.huntGroups.forEach((h, i) => {
    if (h.number) number(h.number, `hunt group ${h.extension}`, `huntGroups[${i}].number`);
  });
  return claims;
}

export function claimProblems(claims: readonly Claim[], held: readonly HeldClaim[]): SpecProblem[] {
  const byKey = new Map(claims.map((c) => [`${c.kind} ${c.value}`, c]));
  return held.map((h) => {
    const claim = byKey.get(`${h.kind} ${h.value}`);
    const holder = describeHolder(h.holder);
    const what =
      h.kind === 'name'
        ? `"${h.value}" is already the name of ${holder}`
        : h.kind === 'domain'
          ? h.holder.startsWith('enterprise:')
            ? `"${h.value}" is the domain of ${holder}; only groups of that enterprise may share it`
            : `"${h.value}" is the domain of ${holder}`
          : h.kind === 'number'
            ? `"${h.value}" is already assigned to ${h.owner} of ${holder}`
            : `device "${h.value}" already belongs to ${h.owner} of ${holder}`;
    return { path: claim?.path ?? 'spec', message: what };
  });
}
