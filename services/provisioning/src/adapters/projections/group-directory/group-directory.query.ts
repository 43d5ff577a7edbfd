import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@pbx/platform';

@Injectable()
export class GroupDirectoryQuery {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

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
