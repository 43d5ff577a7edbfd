import { loadAggregate, type EventStore } from '@pbx/events';
import { tenantStreamId } from '../../domain/tenant/tenant';
import { tenantDecider } from '../../domain/tenant/tenant.decider';
import { ProvisioningError, ProvisioningErrorCode } from '../../domain/provisioning.error';
import {
  toTenantView,
  type TenantView,
} from '../../application/usecases/create-tenant/create-tenant.usecase';
import { tenantEventCodec } from '../events/tenant-event.codec';

export async function readTenant(store: EventStore, tenantId: string): Promise<TenantView> {
  const loaded = await loadAggregate(
    store,
    tenantDecider,
    tenantEventCodec,
    tenantStreamId(tenantId),
  );
  if (!loaded) {
    throw new ProvisioningError(
      ProvisioningErrorCode.TenantNotFound,
      `tenant ${tenantId} does not exist`,
    );
  }
  return toTenantView(loaded.state, loaded.version);
}
