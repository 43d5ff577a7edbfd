import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@pbx/platform';
import type { GroupSpec } from '../domain/group/group-spec';
import type { SpecProblem } from '../domain/group/spec-problems';
import { claimProblems, claimsOf, type Claim, type HeldClaim } from './group-claims';

/**
 * What one group's spec may not take from the others: their domains, numbers and device names
 * (T4, N*). This is the early, friendly check; GroupRepository.save re-checks inside the
 * transaction that stores the change, which is what makes it a guarantee.
 */
@Injectable()
export class GroupConflicts {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  async check(name: string, spec: GroupSpec): Promise<SpecProblem[]> {
    const claims = claimsOf(spec);
    return claimProblems(
      claims,
      await heldElsewhere((sql, params) => this.database.query(sql, params), name, claims),
    );
  }
}

export type Sql = <T>(sql: string, params: readonly unknown[]) => Promise<T>;

export async function heldElsewhere(
  sql: Sql,
  name: string,
  claims: readonly Claim[],
): Promise<HeldClaim[]> {
  const rows = await sql<
    { kind: Claim['kind']; value: string; group_name: string; owner: string }[]
  >(
    `SELECT c.kind, c.value, c.group_name, c.owner FROM provisioning_claims c
       JOIN unnest($1::text[], $2::text[]) AS w(kind, value) ON (c.kind, c.value) = (w.kind, w.value)
      WHERE c.group_name <> $3 ORDER BY c.kind, c.value`,
    [claims.map((c) => c.kind), claims.map((c) => c.value), name],
  );
  return rows.map((r) => ({ kind: r.kind, value: r.value, group: r.group_name, owner: r.owner }));
}
