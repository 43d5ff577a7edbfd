import { Inject, Injectable } from '@nestjs/common';
import { enterpriseDecider } from '../../../domain/enterprise/enterprise.decider';
import { EnterpriseRepository } from '../../enterprise-repository';
import { GroupConflicts } from '../../group-conflicts';

/**
 * Deletes an enterprise that has no groups left (its groups are deleted one by one first, each
 * releasing its numbers and devices). The repository re-checks the groups in the transaction, so
 * a group created at the same moment is never left without its enterprise.
 */
@Injectable()
export class DeleteEnterpriseUseCase {
  constructor(
    @Inject(EnterpriseRepository) private readonly enterprises: EnterpriseRepository,
    @Inject(GroupConflicts) private readonly conflicts: GroupConflicts,
  ) {}

  async execute(name: string): Promise<void> {
    const { state, version } = await this.enterprises.load(name);
    const groups = state.status === 'active' ? await this.conflicts.groupsOfEnterprise(name) : [];
    const events = enterpriseDecider.decide({ type: 'DeleteEnterprise', name, groups }, state);
    if (state.status !== 'active') return;
    await this.enterprises.save({ name, tenantId: state.tenantId, events, version });
  }
}
