import type { Provider } from '@nestjs/common';
import { ApiTokenStore, DatabaseConnection } from '@pbx/platform';
import { AuthThrottle } from '../auth/auth-throttle';
import { PostgresDeviceDirectory } from '../directory/postgres-device-directory';
import { SourceRateLimit } from './source-rate-limit';
import { StartPhoneSession } from './start-phone-session';

/** A phone session lasts as long as a portal login's (provisioning's SESSION_TTL_SECONDS). */
export const PHONE_SESSION_TTL_SECONDS = 15 * 60;

/** The web phone's session use case, on the directory the registrar reads. */
export const phoneProviders: Provider[] = [
  {
    provide: StartPhoneSession,
    useFactory: (database: DatabaseConnection, tokens: ApiTokenStore): StartPhoneSession =>
      new StartPhoneSession({
        devices: new PostgresDeviceDirectory(database.dataSource),
        tokens,
        // Same limits as on REGISTER: 10 failures a minute per address, 5 per device.
        throttle: new AuthThrottle(),
        // A page signs in once and renews every 15 minutes; 30 a minute leaves room for a
        // whole office behind one NAT address and none for flooding the token table.
        rateLimit: new SourceRateLimit({ limit: 30, windowMs: 60_000 }),
        ttlSeconds: PHONE_SESSION_TTL_SECONDS,
      }),
    inject: [DatabaseConnection, ApiTokenStore],
  },
];
