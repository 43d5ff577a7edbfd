import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@pbx/platform';
import { AuditLogController } from './adapters/http/audit-log.controller';
import { AuditLog1764028800200 } from './adapters/projections/audit-log/audit-log.migration';
import { auditLogProjection } from './adapters/projections/audit-log/audit-log.projection';

@Module({ controllers: [AuditLogController] })
export class EventsGatewayModule {}

export const eventsGatewayService: ServiceDefinition = {
  name: 'events-gateway',
  module: EventsGatewayModule,
  migrations: [AuditLog1764028800200],
  projections: [auditLogProjection],
};
