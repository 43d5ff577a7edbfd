import { ProvisioningError, ProvisioningErrorCode } from '../domain/provisioning.error';
import { groupSpecError, type GroupSpec } from '../domain/group/group-spec';
import { enterpriseHasGroupsError } from '../domain/enterprise/enterprise.decider';
import { enterpriseSpecError } from '../domain/enterprise/enterprise-spec';
import {
  claimProblems,
  claimsOf,
  domainHolder,
  enterpriseHolder,
  enterpriseNameClaim,
  groupHolder,
  type Claim,
  type GroupIdentity,
  type HeldClaim,
} from './group-claims';

/**
 * `provisioning_claims` and `provisioning_group_domains`: who holds which name, domain, number
 * and device SIP name. Every write runs in the transaction that appends the holder's events, so
 * the table's primary key (kind, value) decides between concurrent applies and what is stored
 * always matches the event streams.
 *
 * A domain shared by the groups of an enterprise is held by the enterprise (T4); each group's row
 * in provisioning_group_domains says which domain it uses, so the hold ends with the last group
 * that uses it. The claims of one domain holder (a standalone group, or all groups of one
 * enterprise) change one transaction at a time (an advisory lock), so that a group leaving a
 * shared domain and a sibling taking it, or two saves of one group, wait for each other instead
 * of racing or deadlocking; holders that share nothing never wait for each other.
 */
export type Sql = <T>(sql: string, params: readonly unknown[]) => Promise<T>;

/** The claims among `claims` that someone other than the claim's holder holds. */
export async function heldElsewhere(sql: Sql, claims: readonly Claim[]): Promise<HeldClaim[]> {
  const rows = await sql<
    { kind: HeldClaim['kind']; value: string; holder: string; owner: string }[]
  >(
    `SELECT c.kind, c.value, c.holder, c.owner FROM provisioning_claims c
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS w(kind, value, holder)
         ON (c.kind, c.value) = (w.kind, w.value)
      WHERE c.holder <> w.holder ORDER BY c.kind, c.value`,
    [claims.map((c) => c.kind), claims.map((c) => c.value), claims.map((c) => c.holder)],
  );
  return rows.map((r) => ({ kind: r.kind, value: r.value, holder: r.holder, owner: r.owner }));
}

/** Takes what is free, keeps what `claims` already hold; never touches another holder's row. */
async function insertClaims(sql: Sql, claims: readonly Claim[], groupName?: string): Promise<void> {
  // One order for every transaction, so that two overlapping applies wait instead of deadlocking.
  const sorted = [...claims].sort((a, b) =>
    a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1,
  );
  await sql(
    `INSERT INTO provisioning_claims (kind, value, holder, owner, group_name)
     SELECT w.kind, w.value, w.holder, w.owner, w.group_name
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         AS w(kind, value, holder, owner, group_name)
     ON CONFLICT (kind, value) DO UPDATE SET owner = EXCLUDED.owner
       WHERE provisioning_claims.holder = EXCLUDED.holder`,
    [
      sorted.map((c) => c.kind),
      sorted.map((c) => c.value),
      sorted.map((c) => c.holder),
      sorted.map((c) => c.owner),
      sorted.map((c) =>
        groupName !== undefined && c.holder === groupHolder(groupName) ? groupName : null,
      ),
    ],
  );
}

/**
 * Makes a group's claims those of `spec` (none once deleted) and fails the transaction, naming
 * each holder, if another group or enterprise holds one of them. A new group of an enterprise
 * locks the enterprise's name row, so the enterprise cannot be deleted under it.
 */
export async function syncGroupClaims(
  sql: Sql,
  group: GroupIdentity,
  spec: GroupSpec | undefined,
  created: boolean,
): Promise<void> {
  await sql('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `provisioning-claims:${domainHolder(group)}`,
  ]);
  if (created && group.enterprise !== undefined) await lockEnterprise(sql, group.enterprise);
  const claims = spec ? claimsOf(group, spec) : [];
  await sql(
    `DELETE FROM provisioning_claims c WHERE c.holder = $1
       AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS w(kind, value)
                        WHERE (w.kind, w.value) = (c.kind, c.value))`,
    [groupHolder(group.name), claims.map((c) => c.kind), claims.map((c) => c.value)],
  );
  await insertClaims(sql, claims, group.name);

  const previous = await sql<{ domain: string }[]>(
    'SELECT domain FROM provisioning_group_domains WHERE group_name = $1',
    [group.name],
  );
  if (spec) {
    await sql(
      `INSERT INTO provisioning_group_domains (group_name, domain, enterprise_name) VALUES ($1, $2, $3)
       ON CONFLICT (group_name) DO UPDATE SET domain = EXCLUDED.domain`,
      [group.name, spec.domain, group.enterprise ?? null],
    );
  } else {
    await sql('DELETE FROM provisioning_group_domains WHERE group_name = $1', [group.name]);
  }
  const left = previous[0]?.domain;
  if (group.enterprise !== undefined && left !== undefined && left !== spec?.domain) {
    await releaseSharedDomain(sql, group.enterprise, left);
  }

  const held = await heldElsewhere(sql, claims);
  if (held.length > 0) throw groupSpecError(claimProblems(claims, held));
}

/**
 * Ends the enterprise's hold on `domain` unless another of its groups still uses it. Runs under
 * the enterprise's lock, so no sibling is taking the domain meanwhile.
 */
async function releaseSharedDomain(sql: Sql, enterprise: string, domain: string): Promise<void> {
  const holder = enterpriseHolder(enterprise);
  await sql(
    `DELETE FROM provisioning_claims c WHERE c.kind = 'domain' AND c.value = $1 AND c.holder = $2
       AND NOT EXISTS (SELECT 1 FROM provisioning_group_domains u
                        WHERE u.domain = $1 AND u.enterprise_name = $3)`,
    [domain, holder, enterprise],
  );
}

async function lockEnterprise(sql: Sql, enterprise: string): Promise<void> {
  const rows = await sql<unknown[]>(
    "SELECT 1 FROM provisioning_claims WHERE kind = 'name' AND value = $1 AND holder = $2 FOR SHARE",
    [enterprise, enterpriseHolder(enterprise)],
  );
  if (rows.length === 0) {
    const message = `no enterprise named "${enterprise}"; create it first with a kind: Enterprise document`;
    throw new ProvisioningError(
      ProvisioningErrorCode.EnterpriseNotFound,
      `enterprise ${enterprise} does not exist`,
      { problems: [{ path: 'enterprise', message }] },
    );
  }
}

/** A new enterprise's name; refused if a group or enterprise has it. */
export async function claimEnterpriseName(sql: Sql, name: string): Promise<void> {
  const claim = enterpriseNameClaim(name);
  await insertClaims(sql, [claim]);
  const held = await heldElsewhere(sql, [claim]);
  if (held.length > 0) throw enterpriseSpecError(claimProblems([claim], held));
}

/**
 * Releases a deleted enterprise's name, or fails naming its groups: removing the name row first
 * waits for any group being created in the enterprise, which the check then sees.
 */
export async function releaseEnterprise(sql: Sql, name: string): Promise<void> {
  const holder = enterpriseHolder(name);
  await sql("DELETE FROM provisioning_claims WHERE kind = 'name' AND value = $1 AND holder = $2", [
    name,
    holder,
  ]);
  const groups = await groupsOfEnterprise(sql, name);
  if (groups.length > 0) throw enterpriseHasGroupsError(name, groups);
  await sql('DELETE FROM provisioning_claims WHERE holder = $1', [holder]);
}

/** The live groups of an enterprise, as the claims know them (consistent, not a read model). */
export async function groupsOfEnterprise(sql: Sql, name: string): Promise<string[]> {
  const rows = await sql<{ group_name: string }[]>(
    'SELECT group_name FROM provisioning_group_domains WHERE enterprise_name = $1 ORDER BY group_name',
    [name],
  );
  return rows.map((r) => r.group_name);
}
