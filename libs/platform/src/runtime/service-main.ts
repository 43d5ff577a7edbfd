import { exitOnConfigError, loadConfig, platformConfigSchema } from '@pbx/config';
import { createLogger } from '../logging';
import { exitOnSignals, runPlatform, type RunningPlatform } from './run-platform';
import type { ServiceDefinition } from './service-definition';
import type { StaticSite } from './static-site';

/**
 * `main` of a service in the distributed shape: one service per process, PostgreSQL from
 * DATABASE_URL (required here), Kafka from KAFKA_BROKERS.
 */
export async function serviceMain(service: ServiceDefinition): Promise<RunningPlatform> {
  return servicesMain(service.name, [service]);
}

/**
 * `main` of services that must share a process in the distributed shape: the telephony node
 * runs sip-edge, routing and media together, since a call's signalling, routing and media meet
 * through in-process ports on every INVITE.
 */
export async function servicesMain(
  name: string,
  services: readonly ServiceDefinition[],
  options: { readonly staticSites?: readonly StaticSite[] } = {},
): Promise<RunningPlatform> {
  const config = exitOnConfigError(() => loadConfig(platformConfigSchema));
  const log = createLogger({ level: config.logLevel, service: name });
  if (!config.databaseUrl) {
    process.stderr.write(
      `configuration error: DATABASE_URL must be set to run ${name} on its own ` +
        '(postgres://user:password@host:5432/db); `npm start` runs every service with an embedded database\n',
    );
    process.exit(78);
  }
  const platform = await runPlatform({
    name,
    services,
    config,
    log,
    databaseUrl: config.databaseUrl,
    staticSites: options.staticSites,
  });
  exitOnSignals(platform, config.shutdownTimeoutMs, log);
  return platform;
}
