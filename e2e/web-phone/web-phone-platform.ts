import {
  createTestDatabase,
  freePort,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';
import { ACME, acmeDevicesKnown, sipNodeEnvironment } from '../sip/sip-platform';

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
    await acmeDevicesKnown(database.url, { routing: false, timeoutMs: 10_000 });
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
