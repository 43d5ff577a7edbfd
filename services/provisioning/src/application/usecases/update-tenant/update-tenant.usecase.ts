import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, type EventStore } from '@pbx/events';
import { EVENT_STORE } from '@pbx/platform';
import { tenantStreamId } from '../../../domain/tenant/tenant';
import { tenantDecider } from '../../../domain/tenant/tenant.decider';
import { tenantEventCodec } from '../../../adapters/events/tenant-event.codec';
import { toTenantView, type TenantView } from '../create-tenant/create-tenant.usecase';
import { UpdateTenantCommand } from './update-tenant.command';

@Injectable()
export class UpdateTenantUseCase {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: UpdateTenantCommand): Promise<TenantView> {
    const result = await handleCommand(
      this.store,
      tenantDecider,
      tenantEventCodec,
      {
        streamId: tenantStreamId(command.tenantId),
        tenant: command.tenantId,
        expectedVersion: command.expectedVersion,
      },
      {
        type: 'UpdateTenant',
        tenantId: command.tenantId,
        name: command.name,
        architecture: command.architecture,
      },
    );
    return toTenantView(result.state, result.version);
  }
}
