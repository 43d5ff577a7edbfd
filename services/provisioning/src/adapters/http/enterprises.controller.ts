import { Controller, Get, Inject, Param, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, CurrentPrincipal, Roles, type Principal } from '@pbx/platform';
import { EnterpriseRepository } from '../../application/enterprise-repository';
import {
  GroupDirectoryQuery,
  type DirectoryGroup,
} from '../projections/group-directory/group-directory.query';
import { ProvisioningErrorFilter } from './provisioning-error.filter';

export interface EnterpriseGroupsView {
  readonly enterprise: string;
  readonly displayName?: string;
  readonly items: readonly DirectoryGroup[];
}

/**
 * An enterprise for its administrators (T2): the operator and the enterprise's own admins. Every
 * other caller, also an admin of one of its groups, is told it does not exist. Each group is then
 * managed through `/api/v1/groups/{group}/...`, which enterprise admins may use for all of them.
 */
@ApiTags('enterprises')
@Controller('api/v1/enterprises')
@UseGuards(AuthGuard)
@Roles('operator', 'enterprise-admin', 'group-admin', 'user')
@UseFilters(ProvisioningErrorFilter)
export class EnterprisesController {
  constructor(
    @Inject(EnterpriseRepository) private readonly enterprises: EnterpriseRepository,
    @Inject(GroupDirectoryQuery) private readonly directory: GroupDirectoryQuery,
  ) {}

  /** The enterprise's live groups by name, with their domain and number of users. */
  @Get(':enterprise/groups')
  async groups(
    @CurrentPrincipal() principal: Principal,
    @Param('enterprise') name: string,
  ): Promise<EnterpriseGroupsView> {
    const { state } = await this.enterprises.findFor(principal, name);
    return {
      enterprise: state.name,
      ...(state.displayName !== undefined && { displayName: state.displayName }),
      items: await this.directory.groupsOfEnterprise(state.name),
    };
  }
}
