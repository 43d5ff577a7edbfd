import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { PlatformConfig } from '@pbx/config';
import {
  DatabaseConnection,
  LOGGER,
  PLATFORM_CONFIG,
  PlatformMetrics,
  type ServiceDefinition,
} from '@pbx/platform';
import { WebhookDispatcher } from './application/webhook-dispatcher';
import { WebhookAdmin } from './application/webhooks/webhook-admin';
import { WebhookSender } from './adapters/delivery/webhook-sender';
import { EventsGatewayLifecycle } from './adapters/events-gateway.lifecycle';
import { AsyncApiController } from './adapters/http/asyncapi.controller';
import { AuditLogController } from './adapters/http/audit-log.controller';
import { EventStreamController } from './adapters/http/event-stream.controller';
import { WebhooksController } from './adapters/http/webhooks.controller';
import { PartnerEventsMetrics } from './adapters/metrics/partner-events-metrics';
import { AuditLogReader } from './adapters/persistence/audit-log-reader';
import { DeliveryQueue } from './adapters/persistence/delivery-queue';
import { PostgresWebhookStore } from './adapters/persistence/postgres-webhook-store';
import { Webhooks1764028800220 } from './adapters/persistence/webhooks.migration';
import { AuditLogPositions1764028800210 } from './adapters/projections/audit-log/audit-log-positions.migration';
import { AuditLog1764028800200 } from './adapters/projections/audit-log/audit-log.migration';
import { auditLogProjection } from './adapters/projections/audit-log/audit-log.projection';
import { webhookFanOutProjection } from './adapters/projections/webhook-fan-out/webhook-fan-out.projection';
import { EventStreamHub } from './adapters/stream/event-stream-hub';

/** A lease outlasts one attempt by this much before another process may take the webhook over. */
const LEASE_MARGIN_MS = 30_000;

@Module({
  controllers: [AuditLogController, WebhooksController, EventStreamController, AsyncApiController],
  providers: [
    {
      provide: WebhookAdmin,
      useFactory: (database: DatabaseConnection): WebhookAdmin =>
        new WebhookAdmin(new PostgresWebhookStore(database)),
      inject: [DatabaseConnection],
    },
    {
      provide: AuditLogReader,
      useFactory: (database: DatabaseConnection): AuditLogReader => new AuditLogReader(database),
      inject: [DatabaseConnection],
    },
    {
      provide: DeliveryQueue,
      useFactory: (database: DatabaseConnection, config: PlatformConfig): DeliveryQueue =>
        new DeliveryQueue(
          database.dataSource,
          `${hostname()}:${process.pid}:${randomUUID()}`,
          config.webhookTimeoutMs + LEASE_MARGIN_MS,
        ),
      inject: [DatabaseConnection, PLATFORM_CONFIG],
    },
    {
      provide: PartnerEventsMetrics,
      useFactory: (metrics: PlatformMetrics, queue: DeliveryQueue): PartnerEventsMetrics =>
        new PartnerEventsMetrics(metrics.registry, () => queue.depth()),
      inject: [PlatformMetrics, DeliveryQueue],
    },
    {
      provide: EventStreamHub,
      useFactory: (config: PlatformConfig, metrics: PartnerEventsMetrics): EventStreamHub =>
        new EventStreamHub(config.streamMaxClients, metrics.streamObserver()),
      inject: [PLATFORM_CONFIG, PartnerEventsMetrics],
    },
    {
      provide: WebhookDispatcher,
      useFactory: (
        queue: DeliveryQueue,
        config: PlatformConfig,
        metrics: PartnerEventsMetrics,
        log: Logger,
      ): WebhookDispatcher => {
        const dispatchLog = log.child({ component: 'webhook-dispatcher' });
        return new WebhookDispatcher(
          queue,
          new WebhookSender({
            timeoutMs: config.webhookTimeoutMs,
            allowPrivate: config.webhookAllowPrivateUrls,
          }),
          {
            concurrency: config.webhookConcurrency,
            pollMs: config.webhookPollMs,
            retry: {
              maxAttempts: config.webhookMaxAttempts,
              baseMs: config.webhookBackoffBaseMs,
              capMs: config.webhookBackoffCapMs,
            },
          },
          metrics.dispatchObserver((error) =>
            dispatchLog.warn({ err: error }, 'webhook dispatch failed; retrying'),
          ),
        );
      },
      inject: [DeliveryQueue, PLATFORM_CONFIG, PartnerEventsMetrics, LOGGER],
    },
    EventsGatewayLifecycle,
  ],
})
export class EventsGatewayModule {}

/**
 * Partner access to the platform's events: the audit log, webhooks with signed, ordered,
 * retried deliveries, event streams (SSE) and the AsyncAPI document of the public events.
 */
export const eventsGatewayService: ServiceDefinition = {
  name: 'events-gateway',
  module: EventsGatewayModule,
  migrations: [AuditLog1764028800200, AuditLogPositions1764028800210, Webhooks1764028800220],
  projections: [auditLogProjection, webhookFanOutProjection],
};
