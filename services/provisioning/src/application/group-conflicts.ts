import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@pbx/platform';
import type { GroupSpec } from '../domain/group/group-spec';
import type { SpecProblem } from '../domain/group/spec-problems';
import { groupsOfEnterprise, heldElsewhere, type Sql } from './claim-ledger';
import { claimProblems, claimsOf, enterpriseNameClaim, type GroupIdentity } from './group-claims';

/**
 * What one group's spec may not take from the others: their names, domains, numbers and device
 * names (T3, T4, N*). This is the early, friendly check; the repositories re-check inside the
 * transaction that stores the change, which is what makes it a guarantee.
 */
@Injectable()
export class GroupConflicts {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  private readonly sql: Sql = (sql, params) => this.database.query(sql, [...params]);

  async check(group: GroupIdentity, spec: GroupSpec, tenantId: string): Promise<SpecProblem[]> {
    const claims = claimsOf(group, spec);
    const problems = claimProblems(claims, await heldElsewhere(this.sql, claims));
    const numbers = claims.filter((c) => c.kind === 'number');
    const others: { number: string }[] = await this.database.query(
      `SELECT number FROM provisioning_inventory_numbers
        WHERE number = ANY($1::text[]) AND tenant_id <> $2 ORDER BY number`,
      [numbers.map((c) => c.value), tenantId],
    );
    for (const { number } of others) {
      const claim = numbers.find((c) => c.value === number);
      problems.push({
        path: claim?.path ?? 'spec',
        message: `"${number}" is in the number inventory of another customer`,
      });
    }
    return problems;
  }

  async checkEnterpriseName(name: string): Promise<SpecProblem[]> {
    const claim = enterpriseNameClaim(name);
    return claimProblems([claim], await heldElsewhere(this.sql, [claim]));
  }

  /** The live groups of an enterprise by the claims, which deleting it must find empty. */
  async groupsOfEnterprise(name: string): Promise<string[]> {
    return groupsOfEnterprise(this.sql, name);
  }
}
