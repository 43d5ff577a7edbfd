import { Module } from '@nestjs/common';
import { eventStoreProvider, type ServiceDefinition } from '@pbx/platform';
import { CreateTenantUseCase } from './application/usecases/create-tenant/create-tenant.usecase';
import { UpdateTenantUseCase } from './application/usecases/update-tenant/update-tenant.usecase';
import { TenantsController } from './adapters/http/tenants.controller';
import { ResourcesController } from './adapters/http/resources.controller';
import { ApplyDocumentsUseCase } from './application/usecases/apply-documents/apply-documents.usecase';
import { GroupDirectory1764028800110 } from './adapters/projections/group-directory/group-directory.migration';
import { groupDirectoryProjection } from './adapters/projections/group-directory/group-directory.projection';
import { GroupDirectoryQuery } from './adapters/projections/group-directory/group-directory.query';
import { TenantDirectory1764028800100 } from './adapters/projections/tenant-directory/tenant-directory.migration';
import { tenantDirectoryProjection } from './adapters/projections/tenant-directory/tenant-directory.projection';
import { TenantDirectoryQuery } from './adapters/projections/tenant-directory/tenant-directory.query';

@Module({
  controllers: [TenantsController, ResourcesController],
  providers: [
    eventStoreProvider('provisioning'),
    CreateTenantUseCase,
    UpdateTenantUseCase,
    TenantDirectoryQuery,
    ApplyDocumentsUseCase,
    GroupDirectoryQuery,
  ],
})
export class ProvisioningModule {}

export const provisioningService: ServiceDefinition = {
  name: 'provisioning',
  module: ProvisioningModule,
  migrations: [TenantDirectory1764028800100, GroupDirectory1764028800110],
  projections: [tenantDirectoryProjection, groupDirectoryProjection],
};
