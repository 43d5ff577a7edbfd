import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from './principal';

export interface IssuedToken {
  readonly id: string;
  /** Shown once; only its hash is stored. */
  readonly token: string;
  readonly expiresAt?: Date;
}

/** What a valid token grants: its principal, and whether it may only read (GET, HEAD). */
export interface TokenGrant {
  readonly principal: Principal;
  readonly readOnly: boolean;
}

export interface IssueOptions {
  /** The token may only read; the AuthGuard refuses it any other method. */
  readonly readOnly?: boolean;
}

export interface SqlRunner {
  query<T = unknown>(sql: string, params?: readonly unknown[]): Promise<T>;
}

const TOKEN_SHAPE = /^pbx_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface TokenRow {
  read_only: boolean;
  role: Principal['role'];
  tenant_id: string | null;
  group_id: string | null;
  user_id: string | null;
}

function toPrincipal(row: TokenRow): Principal | undefined {
  switch (row.role) {
    case 'operator':
      return { role: 'operator' };
    case 'enterprise-admin':
      return row.tenant_id ? { role: row.role, tenantId: row.tenant_id } : undefined;
    case 'group-admin':
      return row.tenant_id && row.group_id
        ? { role: row.role, tenantId: row.tenant_id, groupId: row.group_id }
        : undefined;
    case 'user':
      return row.tenant_id && row.group_id && row.user_id
        ? { role: row.role, tenantId: row.tenant_id, groupId: row.group_id, userId: row.user_id }
        : undefined;
    default:
      return undefined;
  }
}

/** API tokens (long-lived, for scripts) and session tokens (short-lived, from a login). */
export class ApiTokenStore {
  constructor(
    private readonly db: SqlRunner,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async issue(
    principal: Principal,
    label: string,
    ttlSeconds?: number,
    options: IssueOptions = {},
  ): Promise<IssuedToken> {
    const token = `pbx_${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const expiresAt =
      ttlSeconds === undefined ? undefined : new Date(this.now().getTime() + ttlSeconds * 1000);
    await this.db.query(
      `INSERT INTO platform_api_tokens (token_hash, token_id, role, tenant_id, group_id, user_id, label, expires_at, read_only)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        hashToken(token),
        id,
        principal.role,
        'tenantId' in principal ? principal.tenantId : null,
        'groupId' in principal ? principal.groupId : null,
        'userId' in principal ? principal.userId : null,
        label.slice(0, 200),
        expiresAt ?? null,
        options.readOnly === true,
      ],
    );
    return { id, token, expiresAt };
  }

  /** The principal of a valid, unexpired, unrevoked token; undefined for anything else. */
  async verify(token: string): Promise<Principal | undefined> {
    return (await this.grantOf(token))?.principal;
  }

  /** What a valid, unexpired, unrevoked token grants; undefined for anything else. */
  async grantOf(token: string): Promise<TokenGrant | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const rows: TokenRow[] = await this.db.query(
      `SELECT role, tenant_id, group_id, user_id, read_only FROM platform_api_tokens
        WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
      [hashToken(token), this.now()],
    );
    const principal = rows[0] ? toPrincipal(rows[0]) : undefined;
    return principal && { principal, readOnly: rows[0].read_only === true };
  }

  async revoke(id: string): Promise<boolean> {
    return (
      (await this.countUpdated(
        'UPDATE platform_api_tokens SET revoked_at = $2 WHERE token_id = $1 AND revoked_at IS NULL RETURNING 1',
        [id, this.now()],
      )) > 0
    );
  }

  /** Every token of a user or tenant, e.g. when the user is removed. */
  async revokeAllFor(tenantId: string, userId?: string): Promise<number> {
    return this.countUpdated(
      `UPDATE platform_api_tokens SET revoked_at = $3
        WHERE tenant_id = $1 AND ($2::text IS NULL OR user_id = $2) AND revoked_at IS NULL RETURNING 1`,
      [tenantId, userId ?? null, this.now()],
    );
  }

  /** Wrapped in a SELECT: drivers disagree on what an UPDATE's result looks like. */
  private async countUpdated(update: string, params: readonly unknown[]): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `WITH updated AS (${update}) SELECT count(*)::int AS n FROM updated`,
      params,
    );
    return rows[0]?.n ?? 0;
  }
}
