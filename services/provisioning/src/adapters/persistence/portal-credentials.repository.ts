import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection, hashPassword, verifyPassword } from '@pbx/platform';

/** Users' self-service portal passwords (T8), scrypt-hashed. */
@Injectable()
export class PortalCredentials {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  async set(group: string, extension: string, password: string): Promise<void> {
    await this.database.query(
      `INSERT INTO provisioning_portal_credentials (group_name, extension, password_hash, updated_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (group_name, extension) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()`,
      [group, extension, await hashPassword(password)],
    );
  }

  async verify(group: string, extension: string, password: string): Promise<boolean> {
    const rows: { password_hash: string }[] = await this.database.query(
      'SELECT password_hash FROM provisioning_portal_credentials WHERE group_name = $1 AND extension = $2',
      [group, extension],
    );
    // Hash even when there is no such user, so timing does not tell which logins exist.
    return verifyPassword(password, rows[0]?.password_hash ?? DUMMY_HASH);
  }
}

const DUMMY_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
