import { Inject, Injectable } from '@nestjs/common';
import type { GroupSpec } from '../domain/group/group-spec';
import type { SpecProblem } from '../domain/group/spec-problems';
import { GroupDirectoryQuery } from '../adapters/projections/group-directory/group-directory.query';

/** What one group's spec may not take from the others: their numbers and domains (T4, N*). */
@Injectable()
export class GroupConflicts {
  constructor(@Inject(GroupDirectoryQuery) private readonly directory: GroupDirectoryQuery) {}

  async check(name: string, spec: GroupSpec): Promise<SpecProblem[]> {
    const problems: SpecProblem[] = [];
    const domainHolder = await this.directory.domainHolder(name, spec.domain);
    if (domainHolder) {
      problems.push({
        path: 'domain',
        message: `"${spec.domain}" is the domain of group ${domainHolder}`,
      });
    }
    const wanted = new Map<string, string>();
    if (spec.mainNumber) wanted.set(spec.mainNumber, 'mainNumber');
    spec.departments.forEach(
      (d, i) => d.number && wanted.set(d.number, `departments[${i}].number`),
    );
    spec.users.forEach((u, i) =>
      u.numbers.forEach((n, j) => wanted.set(n, `users[${i}].numbers[${j}]`)),
    );
    spec.huntGroups.forEach((h, i) => h.number && wanted.set(h.number, `huntGroups[${i}].number`));
    for (const held of await this.directory.numbersHeldElsewhere(name, [...wanted.keys()])) {
      problems.push({
        path: wanted.get(held.number) ?? 'spec',
        message: `"${held.number}" is already assigned to ${held.owner.replace(':', ' ')} of group ${held.group}`,
      });
    }
    return problems;
  }
}
