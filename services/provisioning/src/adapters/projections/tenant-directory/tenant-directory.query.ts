import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@pbx/platform';

export interface TenantListItem {
  readonly id: string;
  readonly name: string;
  readonly architecture: string;
  readonly domain: string;
  readonly createdAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** Keyset pagination on (lower(name), id): stable under concurrent inserts, no OFFSET scans. */
@Injectable()
export class TenantDirectoryQuery {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  async list(limit: number, cursor?: { name: string; id: string }): Promise<Page<TenantListItem>> {
    const rows: {
      tenant_id: string;
      name: string;
      architecture: string;
      domain: string;
      created_at: Date;
    }[] = await this.database.query(
      `SELECT tenant_id, name, architecture, domain, created_at FROM provisioning_tenants
          WHERE $2::text IS NULL OR (lower(name), tenant_id) > (lower($2::text), $3::uuid)
          ORDER BY lower(name), tenant_id LIMIT $1`,
      [limit + 1, cursor?.name ?? null, cursor?.id ?? null],
    );
    const items = rows.slice(0, limit).map((r) => ({
      id: r.tenant_id,
      name: r.name,
      architecture: r.architecture,
      domain: r.domain,
      createdAt: r.created_at.toISOString(),
    }));
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? {
          items,
          nextCursor: Buffer.from(JSON.stringify({ name: last.name, id: last.id })).toString(
            'base64url',
          ),
        }
      : { items };
  }
}
