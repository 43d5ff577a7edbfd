import { Module } from '@nestjs/common';
import { eventStoreProvider, type ServiceDefinition } from '@pbx/platform';
import { CreateTenantUseCase } from './application/usecases/create-tenant/create-tenant.usecase';
import { UpdateTenantUseCase } from './application/usecases/update-tenant/update-tenant.usecase';
import { TenantsController } from './adapters/http/tenants.controller';
import { TenantDirectory1764028800100 } from './adapters/projections/tenant-directory/tenant-directory.migration';
import { tenantDirectoryProjection } from './adapters/projections/tenant-directory/tenant-directory.projection';
import { TenantDirectoryQuery } from './adapters/projections/tenant-directory/tenant-directory.query';

@Module({
  controllers: [TenantsController],
  providers: [
    eventStoreProvider('provisioning'),
    CreateTenantUseCase,
    UpdateTenantUseCase,
    TenantDirectoryQuery,
  ],
})
export class ProvisioningModule {}

export const provisioningService: ServiceDefinition = {
  name: 'provisioning',
  module: ProvisioningModule,
  migrations: [TenantDirectory1764028800100],
  projections: [tenantDirectoryProjection],
};
