import { Client } from 'pg';
import {
  createTestDatabase,
  eventually,
  freePort,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';
import { ACME, sipNodeEnvironment } from '../sip/sip-platform';

/** The standalone platform the web phone talks to: HTTP (the page), SIP over UDP and WS. */
export interface WebPhonePlatform {
  readonly database: TestDatabase;
  /** The running process; replaced by restart(). */
  platform(): PlatformProcess;
  readonly url: string;
  /** host:port of the SIP edge over UDP, for sipp. */
  readonly remote: string;
  readonly wsPort: number;
  /** Stops the process and starts it again on the same ports and database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebPhonePlatform(
  token: string,
  extraEnv: Record<string, string> = {},
): Promise<WebPhonePlatform> {
  const database = await createTestDatabase();
  const [httpPort, sipPort, wsPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    DATABASE_URL: database.url,
    PBX_OPERATOR_TOKEN: token,
    PBX_HTTP_PORT: String(httpPort),
    PBX_HTTP_HOST: '127.0.0.1',
    ...sipNodeEnvironment(sipPort),
    PBX_SIP_WS_PORT: String(wsPort),
    // sipp answers only the first challenge; the page copes with either order.
    PBX_SIP_DIGEST_ALGORITHMS: 'MD5,SHA-256',
    // e.g. WEBPHONE_LOG_LEVEL=debug with WEBPHONE_DEBUG=1 to see the edge's side of a failure.
    LOG_LEVEL: process.env.WEBPHONE_LOG_LEVEL,
    ...extraEnv,
  };
  let platform = await startPlatformProcess('standalone', env);
  const stop = async (): Promise<void> => {
    await platform.stop();
    await database.drop();
  };
  try {
    await platform.waitForReady(60_000);
    const applied = await platform.post('/api/v1/apply', { documents: [ACME] }, token);
    if (applied.status !== 200) throw new Error(`apply answered ${applied.status}`);
    await devicesKnown(database.url);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    database,
    platform: () => platform,
    url: platform.url,
    remote: `127.0.0.1:${sipPort}`,
    wsPort,
    async restart() {
      await platform.stop();
      platform = await startPlatformProcess('standalone', env);
      await platform.waitForReady(60_000);
    },
    stop,
  };
}

/**
 * Waits until the SIP edge's device directory holds acme's four devices: the apply answers
 * before the edge's projection has run. Not by trying to sign in: each refusal would count
 * towards the authentication throttle.
 */
async function devicesKnown(databaseUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await eventually(
      async () => {
        const rows = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM sip_edge_devices WHERE domain = 'acme.example'",
        );
        return rows.rows[0].n === 4 ? true : undefined;
      },
      10_000,
      "acme's devices in the SIP edge's directory",
    );
  } finally {
    await db.end();
  }
}
