import { Module } from '@nestjs/common';
import { OperatorTokenGuard, type ServiceDefinition } from '@pbx/platform';
import { AuditLogController } from './adapters/http/audit-log.controller';
import { AuditLog1764028800200 } from './adapters/projections/audit-log/audit-log.migration';
import { auditLogProjection } from './adapters/projections/audit-log/audit-log.projection';

@Module({ controllers: [AuditLogController], providers: [OperatorTokenGuard] })
export class EventsGatewayModule {}

export const eventsGatewayService: ServiceDefinition = {
  name: 'events-gateway',
  module: EventsGatewayModule,
  migrations: [AuditLog1764028800200],
  projections: [auditLogProjection],
};
