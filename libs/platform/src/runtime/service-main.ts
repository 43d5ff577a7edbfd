import { exitOnConfigError, loadConfig, platformConfigSchema } from '@pbx/config';
import { createLogger } from '../logging';
import { exitOnSignals, runPlatform, type RunningPlatform } from './run-platform';
import type { ServiceDefinition } from './service-definition';

/**
 * `main` of a service in the distributed shape: one service per process, PostgreSQL from
 * DATABASE_URL (required here), Kafka from KAFKA_BROKERS.
 */
export async function serviceMain(service: ServiceDefinition): Promise<RunningPlatform> {
  const config = exitOnConfigError(() => loadConfig(platformConfigSchema));
  const log = createLogger({ level: config.logLevel, service: service.name });
  if (!config.databaseUrl) {
    process.stderr.write(
      `configuration error: DATABASE_URL must be set to run ${service.name} on its own ` +
        '(postgres://user:password@host:5432/db); `npm start` runs every service with an embedded database\n',
    );
    process.exit(78);
  }
  const platform = await runPlatform({
    name: service.name,
    services: [service],
    config,
    log,
    databaseUrl: config.databaseUrl,
  });
  exitOnSignals(platform, config.shutdownTimeoutMs, log);
  return platform;
}
