import { Global, Logger as NestLogger, Module, type Type } from '@nestjs/common';
import type { Logger } from 'pino';
import type { PlatformConfig } from '@pbx/config';
import type { EventStore } from '@pbx/events';
import {
  EVENT_STORE,
  eventStoreProvider,
  LOGGER,
  PLATFORM_CONFIG,
  type ServiceDefinition,
} from '@pbx/platform';
import { CALL_ROUTING, TRUNK_DIRECTORY } from '@pbx/telephony';
import { CachedTrunkDirectory } from './application/cached-trunk-directory';
import { CallJournal } from './application/call-journal';
import { CallRouter } from './application/call-router';
import { DirectoryCache } from './application/directory-cache';
import { createCallDecider, type Clock } from './domain/call/call.decider';
import { callEventCodec } from './adapters/events/call-event.codec';
import { CallRecordsController } from './adapters/http/call-records.controller';
import { RoutingCallRecords1764028801100 } from './adapters/projections/call-records/call-records.migration';
import { callRecordsProjection } from './adapters/projections/call-records/call-records.projection';
import { CallRecordsQuery } from './adapters/projections/call-records/call-records.query';
import { RoutingDirectory1764028801000 } from './adapters/projections/directory/directory.migration';
import { directoryProjection } from './adapters/projections/directory/directory.projection';
import { RoutingLifecycle } from './adapters/routing-lifecycle';

export interface RoutingServiceOptions {
  readonly clock?: Clock;
}

/**
 * The routing service: a module that provides CALL_ROUTING and TRUNK_DIRECTORY to the whole
 * process (the SIP edge injects them), the call records API, and the projections that feed its
 * directory and its call detail records. Each call makes its own in-memory directory, shared by
 * the module and the directory projection; a process composes one.
 */
export function createRoutingService(options: RoutingServiceOptions = {}): ServiceDefinition {
  const clock = options.clock ?? ((): Date => new Date());
  const cache = new DirectoryCache(new NestLogger('RoutingDirectory'));

  @Global()
  @Module({
    controllers: [CallRecordsController],
    providers: [
      eventStoreProvider('routing'),
      { provide: DirectoryCache, useValue: cache },
      {
        provide: CallJournal,
        useFactory: (store: EventStore, log: Logger): CallJournal =>
          new CallJournal(store, callEventCodec, log.child({ component: 'call-journal' })),
        inject: [EVENT_STORE, LOGGER],
      },
      {
        provide: CallRouter,
        useFactory: (journal: CallJournal, config: PlatformConfig, log: Logger): CallRouter =>
          new CallRouter(
            cache,
            createCallDecider(clock),
            journal,
            clock,
            log.child({ component: 'call-router' }),
            {
              noAnswerTimeoutS: config.noAnswerTimeoutS,
            },
          ),
        inject: [CallJournal, PLATFORM_CONFIG, LOGGER],
      },
      { provide: CALL_ROUTING, useExisting: CallRouter },
      { provide: TRUNK_DIRECTORY, useValue: new CachedTrunkDirectory(cache) },
      CallRecordsQuery,
      RoutingLifecycle,
    ],
    exports: [CALL_ROUTING, TRUNK_DIRECTORY],
  })
  class RoutingModule {}

  return {
    name: 'routing',
    module: RoutingModule as Type<unknown>,
    migrations: [RoutingDirectory1764028801000, RoutingCallRecords1764028801100],
    projections: [directoryProjection(cache), callRecordsProjection],
  };
}

/** The routing service of a process. */
export const routingService: ServiceDefinition = createRoutingService();
