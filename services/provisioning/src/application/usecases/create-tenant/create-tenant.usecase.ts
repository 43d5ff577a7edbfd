import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, type EventStore } from '@pbx/events';
import { EVENT_STORE } from '@pbx/platform';
import { tenantStreamId, type TenantState } from '../../../domain/tenant/tenant';
import { tenantDecider } from '../../../domain/tenant/tenant.decider';
import { tenantEventCodec } from '../../../adapters/events/tenant-event.codec';
import { CreateTenantCommand } from './create-tenant.command';

export interface TenantView {
  readonly id: string;
  readonly name: string;
  readonly architecture: string;
  readonly domain: string;
  readonly version: number;
}

export function toTenantView(state: TenantState, version: number): TenantView {
  if (state.status !== 'active') throw new TypeError('no tenant to show');
  return {
    id: state.tenantId,
    name: state.name,
    architecture: state.architecture,
    domain: state.domain,
    version,
  };
}

@Injectable()
export class CreateTenantUseCase {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: CreateTenantCommand): Promise<TenantView> {
    const tenantId = randomUUID();
    const result = await handleCommand(
      this.store,
      tenantDecider,
      tenantEventCodec,
      { streamId: tenantStreamId(tenantId), tenant: tenantId },
      { type: 'CreateTenant', tenantId, ...command },
    );
    return toTenantView(result.state, result.version);
  }
}
