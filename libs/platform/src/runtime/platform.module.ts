import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { PlatformConfig } from '@pbx/config';
import { AppendListeners, EventBus, PostgresEventStore, ProjectionRunner } from '@pbx/events';
import { ProjectionsController } from '../admin/projections.controller';
import { ApiTokenStore } from '../auth/api-token-store';
import { AuthGuard } from '../auth/auth.guard';
import { DatabaseConnection } from '../database/database-connection';
import { HealthController } from '../health/health.controller';
import { Readiness } from '../health/readiness';
import { PlatformMetrics } from '../metrics/platform-metrics';
import { EVENT_BUS, EVENT_STORE, LOGGER, PLATFORM_CONFIG } from './tokens';

export interface PlatformParts {
  readonly config: PlatformConfig;
  readonly log: Logger;
  readonly database: DatabaseConnection;
  readonly bus: EventBus;
  readonly appended: AppendListeners;
  readonly metrics: PlatformMetrics;
  readonly readiness: Readiness;
  readonly projections: ProjectionRunner;
}

/** The process-wide parts every service module may inject; built before Nest starts. */
@Global()
@Module({})
export class PlatformModule {
  static forParts(parts: PlatformParts): DynamicModule {
    const providers: Provider[] = [
      { provide: PLATFORM_CONFIG, useValue: parts.config },
      { provide: LOGGER, useValue: parts.log },
      { provide: DatabaseConnection, useValue: parts.database },
      { provide: EVENT_BUS, useValue: parts.bus },
      { provide: AppendListeners, useValue: parts.appended },
      { provide: PlatformMetrics, useValue: parts.metrics },
      { provide: Readiness, useValue: parts.readiness },
      { provide: ProjectionRunner, useValue: parts.projections },
      { provide: ApiTokenStore, useValue: new ApiTokenStore(parts.database) },
      AuthGuard,
    ];
    return {
      module: PlatformModule,
      controllers: [HealthController, ProjectionsController],
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}

/** Binds EVENT_STORE inside a service module, with the service's own CloudEvents source. */
export function eventStoreProvider(service: string): Provider {
  return {
    provide: EVENT_STORE,
    useFactory: (database: DatabaseConnection, appended: AppendListeners): PostgresEventStore =>
      new PostgresEventStore(database.dataSource, `/pbx/${service}`, appended),
    inject: [DatabaseConnection, AppendListeners],
  };
}
