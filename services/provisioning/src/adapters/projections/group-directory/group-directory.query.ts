import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@pbx/platform';

export interface DirectoryGroup {
  readonly name: string;
  readonly domain: string;
  readonly users: number;
}

@Injectable()
export class GroupDirectoryQuery {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  async names(): Promise<string[]> {
    const rows: { name: string }[] = await this.database.query(
      'SELECT name FROM provisioning_groups WHERE deleted_at IS NULL ORDER BY name',
    );
    return rows.map((r) => r.name);
  }

  /**
   * The live groups that serve `domain` (users log in as `extension@domain`, T4): one for a
   * standalone group's domain, possibly several for a domain the groups of an enterprise share.
   */
  async groupsOfDomain(domain: string): Promise<string[]> {
    const rows: { name: string }[] = await this.database.query(
      'SELECT name FROM provisioning_groups WHERE domain = $1 AND deleted_at IS NULL ORDER BY name LIMIT 100',
      [domain],
    );
    return rows.map((r) => r.name);
  }

  async enterpriseNames(): Promise<string[]> {
    const rows: { name: string }[] = await this.database.query(
      'SELECT name FROM provisioning_enterprises WHERE deleted_at IS NULL ORDER BY name',
    );
    return rows.map((r) => r.name);
  }

  /** The live operator-wide trunks, by name. */
  async trunkNames(): Promise<string[]> {
    const rows: { name: string }[] = await this.database.query(
      'SELECT name FROM provisioning_trunks WHERE deleted_at IS NULL ORDER BY name',
    );
    return rows.map((r) => r.name);
  }

  /** The live groups of an enterprise, by name. */
  async groupsOfEnterprise(enterprise: string): Promise<DirectoryGroup[]> {
    const rows: { name: string; domain: string; users: number }[] = await this.database.query(
      `SELECT name, domain, users FROM provisioning_groups
        WHERE enterprise = $1 AND deleted_at IS NULL ORDER BY name`,
      [enterprise],
    );
    return rows.map((r) => ({ name: r.name, domain: r.domain, users: Number(r.users) }));
  }
}
