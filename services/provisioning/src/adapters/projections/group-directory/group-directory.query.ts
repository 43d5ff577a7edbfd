import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@pbx/platform';

export interface NumberHolder {
  readonly number: string;
  readonly group: string;
  readonly owner: string;
}

@Injectable()
export class GroupDirectoryQuery {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  /** Which of `numbers` another group than `group` holds. */
  async numbersHeldElsewhere(group: string, numbers: readonly string[]): Promise<NumberHolder[]> {
    if (numbers.length === 0) return [];
    const rows: { number: string; group_name: string; owner: string }[] = await this.database.query(
      `SELECT number, group_name, owner FROM provisioning_group_numbers
        WHERE number = ANY($1::text[]) AND group_name <> $2 ORDER BY number`,
      [numbers, group],
    );
    return rows.map((r) => ({ number: r.number, group: r.group_name, owner: r.owner }));
  }

  /** The live group other than `group` that uses `domain`, if any. */
  async domainHolder(group: string, domain: string): Promise<string | undefined> {
    const rows: { name: string }[] = await this.database.query(
      'SELECT name FROM provisioning_groups WHERE domain = $1 AND name <> $2 AND deleted_at IS NULL LIMIT 1',
      [domain, group],
    );
    return rows[0]?.name;
  }

  async names(): Promise<string[]> {
    const rows: { name: string }[] = await this.database.query(
      'SELECT name FROM provisioning_groups WHERE deleted_at IS NULL ORDER BY name',
    );
    return rows.map((r) => r.name);
  }

  /** The live group that serves `domain` (users log in as `extension@domain`, T4). */
  async groupOfDomain(domain: string): Promise<string | undefined> {
    const rows: { name: string }[] = await this.database.query(
      'SELECT name FROM provisioning_groups WHERE domain = $1 AND deleted_at IS NULL ORDER BY name LIMIT 1',
      [domain],
    );
    return rows[0]?.name;
  }
}
