import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { redactConfig, type PlatformConfig } from '@pbx/config';
import {
  AppendListeners,
  EventStoreSchema1764028800000,
  EventStoreStreamOrder1764028800003,
  OutboxRelay,
  ProjectionRunner,
  ProjectionSchema1764028800001,
  ProjectionWatermark1764028800002,
  InProcessEventBus,
  type EventBus,
} from '@pbx/events';
import { ApiTokens1764028800300 } from '../auth/api-token.migration';
import { ApiTokensReadOnly1764028800301 } from '../auth/api-token-read-only.migration';
import { DatabaseConnection } from '../database/database-connection';
import { Readiness } from '../health/readiness';
import { PinoNestLogger } from '../logging';
import { PlatformMetrics } from '../metrics/platform-metrics';
import { createEventBus } from './create-event-bus';
import { HttpErrorFilter } from './http-error.filter';
import { serveOpenApi } from './openapi';
import { PlatformModule, type PlatformParts } from './platform.module';
import type { ServiceDefinition } from './service-definition';
import { serveStaticSites, type StaticSite } from './static-site';

export interface RunPlatformOptions {
  /** `standalone`, or the one service a distributed process runs. */
  readonly name: string;
  readonly services: readonly ServiceDefinition[];
  readonly config: PlatformConfig;
  readonly log: Logger;
  /** The database to use; the standalone shape passes its embedded one. */
  readonly databaseUrl: string;
  /** Runs last on shutdown, e.g. stopping the embedded PostgreSQL. */
  readonly afterStop?: () => Promise<void>;
  /** Built browser pages to serve, e.g. the web phone at /phone. */
  readonly staticSites?: readonly StaticSite[];
}

export interface RunningPlatform {
  readonly app: INestApplication;
  readonly parts: PlatformParts;
  readonly relay: OutboxRelay;
  readonly projections: ProjectionRunner;
  /** Resolves once the database is connected and migrated and consumers run. */
  readonly started: Promise<void>;
  readonly url: string;
  stop(reason: string): Promise<void>;
}

/**
 * Starts a process of the platform: HTTP first (so `/healthz` answers while the database may still
 * be coming up), then the database with retry, then the relay and the projections.
 */
export async function runPlatform(options: RunPlatformOptions): Promise<RunningPlatform> {
  const { config, log } = options;
  log.info(
    { config: redactConfig(config), services: options.services.map((s) => s.name) },
    'starting',
  );
  if (config.unknownVariables.length > 0) {
    log.warn({ variables: config.unknownVariables }, 'ignoring unknown PBX_* variables (typo?)');
  }
  const metrics = new PlatformMetrics(options.name);
  const appended = new AppendListeners();
  appended.add((events) => metrics.countAppended(events));
  const database = new DatabaseConnection({
    url: options.databaseUrl,
    migrations: [
      EventStoreSchema1764028800000,
      ProjectionSchema1764028800001,
      ProjectionWatermark1764028800002,
      EventStoreStreamOrder1764028800003,
      ApiTokens1764028800300,
      ApiTokensReadOnly1764028800301,
      ...options.services.flatMap((s) => s.migrations ?? []),
    ],
    connectTimeoutMs: config.dbConnectTimeoutMs,
    retryMaxMs: config.dbRetryMaxMs,
    log,
  });
  const bus: EventBus = createEventBus(config, options.name, log);
  const readiness = new Readiness();
  readiness.add('database', () => database.ping());
  readiness.add('bus', () => bus.isReady());

  const relay = new OutboxRelay(database.dataSource, bus, appended, {
    observer: {
      ...metrics.relayObserver(),
      failed: (error): void => {
        metrics.relayErrors.inc();
        log.warn(
          { err: error },
          'relay could not publish; events stay in the store and go out later',
        );
      },
    },
  });
  const projections = new ProjectionRunner(
    database.dataSource,
    bus,
    options.services.flatMap((s) => s.projections ?? []),
    metrics.projectionObserver(),
  );
  const parts: PlatformParts = {
    config,
    log,
    database,
    bus,
    appended,
    metrics,
    readiness,
    projections,
  };

  @Module({})
  class RootModule {}
  const root: DynamicModule = {
    module: RootModule,
    imports: [PlatformModule.forParts(parts), ...options.services.map((s) => s.module)],
  };
  const app = await NestFactory.create<NestFastifyApplication>(
    root,
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
    { logger: new PinoNestLogger(log), abortOnError: false },
  );
  app.useGlobalFilters(new HttpErrorFilter(log));
  serveOpenApi(app, `PBX platform: ${options.name}`, '1');
  serveStaticSites(app.getHttpAdapter().getInstance(), options.staticSites ?? [], log);
  await app.listen({ port: config.httpPort, host: config.httpHost });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.httpPort;
  const url = `http://127.0.0.1:${port}`;
  log.info({ url }, `HTTP listening on ${config.httpHost}:${port}`);

  let stopping: Promise<void> | undefined;
  const started = (async (): Promise<void> => {
    await database.start();
    if (bus instanceof InProcessEventBus) {
      const recovered = await projections.catchUp();
      if (recovered > 0) log.info({ recovered }, 'read models caught up from the event store');
    }
    relay.start();
    await projections.start();
    log.info('started: database, relay and consumers running');
  })();
  started.catch((error: unknown) => {
    if (!stopping) log.error({ err: error }, 'start-up failed');
  });

  const stop = (reason: string): Promise<void> => {
    stopping ??= (async (): Promise<void> => {
      log.info({ reason }, 'shutting down: draining in-flight work');
      readiness.drain();
      await app.close().catch((e: unknown) => log.warn({ err: e }, 'HTTP close failed'));
      await projections.stop().catch((e: unknown) => log.warn({ err: e }, 'consumer stop failed'));
      await relay.stop();
      await bus.close().catch((e: unknown) => log.warn({ err: e }, 'bus close failed'));
      await database.stop().catch((e: unknown) => log.warn({ err: e }, 'database close failed'));
      await options.afterStop?.();
      log.info('stopped');
    })();
    return stopping;
  };
  return { app, parts, relay, projections, started, url, stop };
}

/**
 * SIGTERM/SIGINT drain and exit 0; a second signal, or the drain outlasting
 * PBX_SHUTDOWN_TIMEOUT_MS, exits at once with 1.
 */
export function exitOnSignals(platform: RunningPlatform, timeoutMs: number, log: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting without draining');
      process.exit(1);
    }
    signalled = true;
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    platform.stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
