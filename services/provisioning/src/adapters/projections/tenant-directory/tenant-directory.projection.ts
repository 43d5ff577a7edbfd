import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { assertNever } from '../../../domain/tenant/tenant';
import { tenantEventCodec } from '../../events/tenant-event.codec';

const HANDLES = new Set(['pbx.provisioning.v1.TenantCreated', 'pbx.provisioning.v1.TenantRenamed']);

/** The list of tenants the operator pages through (`GET /api/v1/tenants`). */
export const tenantDirectoryProjection: Projection = {
  name: CONSUMER_GROUPS.provisioningTenantDirectory,
  topics: [TOPICS.provisioning],

  async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
    if (!HANDLES.has(envelope.type)) return;
    const event = tenantEventCodec.decode(envelope.type, envelope.data);
    switch (event.type) {
      case 'TenantCreated':
        await tx.query(
          `INSERT INTO provisioning_tenants (tenant_id, name, architecture, domain, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (tenant_id) DO NOTHING`,
          [event.tenantId, event.name, event.architecture, event.domain, envelope.time],
        );
        return;
      case 'TenantRenamed':
        await tx.query(
          'UPDATE provisioning_tenants SET name = $2, updated_at = $3 WHERE tenant_id = $1',
          [event.tenantId, event.name, envelope.time],
        );
        return;
      default:
        assertNever(event);
    }
  },

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM provisioning_tenants');
  },
};
