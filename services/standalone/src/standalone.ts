import { resolve } from 'node:path';
import {
  exitOnConfigError,
  loadConfig,
  platformConfigSchema,
  type Environment,
  type PlatformConfig,
} from '@pbx/config';
import { createLogger, exitOnSignals, runPlatform, type RunningPlatform } from '@pbx/platform';
import { eventsGatewayService } from '@pbx/events-gateway';
import { numbersService } from '@pbx/numbers';
import { mediaService } from '@pbx/media';
import { provisioningService } from '@pbx/provisioning';
import { sipEdgeService } from '@pbx/sip-edge';
import { routingService } from '@pbx/routing';
import { startEmbeddedDatabase } from './embedded-postgres/embedded-database';
import { ensureOperatorToken } from './operator-credential';
import { webPhoneSite } from './web-phone-site';

/** Every service module of the platform, composed into the one standalone process. */
export const ALL_SERVICES = [
  provisioningService,
  eventsGatewayService,
  numbersService,
  routingService,
  mediaService,
  sipEdgeService,
] as const;

/**
 * The standalone shape: every service in one process, on the embedded PostgreSQL under
 * PBX_DATA_DIR unless DATABASE_URL is set, on the in-process bus unless KAFKA_BROKERS is set.
 */
export async function startStandalone(env?: Environment): Promise<RunningPlatform> {
  const loaded = exitOnConfigError(() => loadConfig(platformConfigSchema, env));
  const log = createLogger({ level: loaded.logLevel, service: 'standalone' });
  const dataDir = resolve(loaded.dataDir);
  const config: PlatformConfig = {
    ...loaded,
    dataDir,
    operatorToken: loaded.operatorToken ?? (await ensureOperatorToken(dataDir)),
  };
  let databaseUrl = config.databaseUrl;
  let stopDatabase: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    log.info({ dataDir }, 'DATABASE_URL is not set: starting the embedded PostgreSQL');
    const embedded = await startEmbeddedDatabase({
      dataDir,
      log: (message, extra) => log.info(extra ?? {}, message),
    });
    databaseUrl = embedded.url;
    stopDatabase = (): Promise<void> => embedded.stop();
  }
  try {
    const platform = await runPlatform({
      name: 'standalone',
      services: ALL_SERVICES,
      config,
      log,
      databaseUrl,
      afterStop: stopDatabase,
      staticSites: [webPhoneSite()],
    });
    exitOnSignals(platform, config.shutdownTimeoutMs, log);
    log.info(
      {
        url: platform.url,
        operatorTokenFile: loaded.operatorToken ? undefined : `${dataDir}/operator-token`,
      },
      `platform up: ${platform.url}/readyz`,
    );
    return platform;
  } catch (error) {
    await stopDatabase?.();
    throw error;
  }
}
