import { Module } from '@nestjs/common';
import { eventStoreProvider, type ServiceDefinition } from '@pbx/platform';
import { CreateTenantUseCase } from './application/usecases/create-tenant/create-tenant.usecase';
import { UpdateTenantUseCase } from './application/usecases/update-tenant/update-tenant.usecase';
import { TenantsController } from './adapters/http/tenants.controller';
import { ResourcesController } from './adapters/http/resources.controller';
import { GroupsController } from './adapters/http/groups.controller';
import { AuthController } from './adapters/http/auth.controller';
import { EnterprisesController } from './adapters/http/enterprises.controller';
import { EnterpriseRepository } from './application/enterprise-repository';
import { DeleteEnterpriseUseCase } from './application/usecases/delete-enterprise/delete-enterprise.usecase';
import { EnterpriseClaims1764028800140 } from './adapters/persistence/enterprise-claims.migration';
import { EnterpriseDirectory1764028800150 } from './adapters/projections/group-directory/enterprise-directory.migration';
import { TrunkDirectory1764028800170 } from './adapters/projections/group-directory/trunk-directory.migration';
import { TrunkRepository } from './application/trunk-repository';
import { GroupRepository } from './application/group-repository';
import { GroupConflicts } from './application/group-conflicts';
import { ChangeGroupUseCase } from './application/usecases/change-group/change-group.usecase';
import { PortalCredentials } from './adapters/persistence/portal-credentials.repository';
import { PortalCredentials1764028800120 } from './adapters/persistence/portal-credentials.migration';
import { GroupClaims1764028800130 } from './adapters/persistence/claims.migration';
import { NumberInventory1764028800160 } from './adapters/projections/number-inventory/number-inventory.migration';
import { numberInventoryProjection } from './adapters/projections/number-inventory/number-inventory.projection';
import { ApplyDocumentsUseCase } from './application/usecases/apply-documents/apply-documents.usecase';
import { GroupDirectory1764028800110 } from './adapters/projections/group-directory/group-directory.migration';
import { groupDirectoryProjection } from './adapters/projections/group-directory/group-directory.projection';
import { GroupDirectoryQuery } from './adapters/projections/group-directory/group-directory.query';
import { TenantDirectory1764028800100 } from './adapters/projections/tenant-directory/tenant-directory.migration';
import { tenantDirectoryProjection } from './adapters/projections/tenant-directory/tenant-directory.projection';
import { TenantDirectoryQuery } from './adapters/projections/tenant-directory/tenant-directory.query';

@Module({
  controllers: [
    TenantsController,
    ResourcesController,
    GroupsController,
    AuthController,
    EnterprisesController,
  ],
  providers: [
    eventStoreProvider('provisioning'),
    CreateTenantUseCase,
    UpdateTenantUseCase,
    TenantDirectoryQuery,
    ApplyDocumentsUseCase,
    GroupDirectoryQuery,
    GroupRepository,
    GroupConflicts,
    ChangeGroupUseCase,
    PortalCredentials,
    EnterpriseRepository,
    DeleteEnterpriseUseCase,
    TrunkRepository,
  ],
})
export class ProvisioningModule {}

export const provisioningService: ServiceDefinition = {
  name: 'provisioning',
  module: ProvisioningModule,
  migrations: [
    TenantDirectory1764028800100,
    GroupDirectory1764028800110,
    PortalCredentials1764028800120,
    GroupClaims1764028800130,
    EnterpriseClaims1764028800140,
    EnterpriseDirectory1764028800150,
    NumberInventory1764028800160,
    TrunkDirectory1764028800170,
  ],
  projections: [tenantDirectoryProjection, groupDirectoryProjection, numberInventoryProjection],
};
