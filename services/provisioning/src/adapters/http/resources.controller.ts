import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, AuthGuard, Roles } from '@pbx/platform';
import { GroupRepository } from '../../application/group-repository';
import { EnterpriseRepository } from '../../application/enterprise-repository';
import { TrunkRepository } from '../../application/trunk-repository';
import { operatorTrunkDecider, trunkNotFound } from '../../domain/trunk/operator-trunk.decider';
import { trunkToSpec } from '../../domain/trunk/trunk-changes';
import { ProvisioningError, ProvisioningErrorCode } from '../../domain/provisioning.error';
import { groupDecider } from '../../domain/group/group.decider';
import { groupStateToSpec } from '../../domain/group/group-state-to-spec';
import { enterpriseStateToSpec } from '../../domain/enterprise/enterprise-state-to-spec';
import { DeleteEnterpriseUseCase } from '../../application/usecases/delete-enterprise/delete-enterprise.usecase';
import { ApplyDocumentsCommand } from '../../application/usecases/apply-documents/apply-documents.command';
import {
  ApplyDocumentsUseCase,
  type ApplyOutcome,
} from '../../application/usecases/apply-documents/apply-documents.usecase';
import { GroupDirectoryQuery } from '../projections/group-directory/group-directory.query';
import { ProvisioningErrorFilter } from './provisioning-error.filter';
import { assertNever } from '../../domain/tenant/tenant';

type ManifestKind = 'Group' | 'Enterprise' | 'Trunk';

export interface ManifestView {
  readonly apiVersion: 'pbx/v1';
  readonly kind: ManifestKind;
  readonly metadata: { readonly name: string };
  readonly spec: unknown;
}

/** `group` or `enterprise` in a URL (any case), as `pbx get <kind>` sends it. */
function kindOf(kind: string): ManifestKind {
  switch (kind.toLowerCase()) {
    case 'group':
      return 'Group';
    case 'enterprise':
      return 'Enterprise';
    case 'trunk':
      return 'Trunk';
    default:
      throw new ProvisioningError(
        ProvisioningErrorCode.InvalidRequest,
        `unknown kind "${kind.slice(0, 40)}"; expected group, enterprise or trunk`,
      );
  }
}

/** `:kind` in the OpenAPI document: the kinds a file may hold, as `pbx get <kind>` writes them. */
const KIND_PARAM = ApiParam({ name: 'kind', enum: ['group', 'enterprise', 'trunk'] });

function notFound(kind: ManifestKind, name: string): ProvisioningError {
  switch (kind) {
    case 'Group':
      return new ProvisioningError(
        ProvisioningErrorCode.GroupNotFound,
        `group ${name.slice(0, 63)} does not exist`,
      );
    case 'Enterprise':
      return new ProvisioningError(
        ProvisioningErrorCode.EnterpriseNotFound,
        `enterprise ${name.slice(0, 63)} does not exist`,
      );
    case 'Trunk':
      return trunkNotFound(name);
    default:
      return assertNever(kind);
  }
}

/** Documentation only: ApplyDocumentsCommand validates, and reports problems by path. */
const APPLY_BODY = z.object({
  documents: z
    .array(
      z.object({
        apiVersion: z.literal('pbx/v1'),
        kind: z.enum(['Group', 'Enterprise', 'Trunk']),
        metadata: z.object({ name: z.string() }),
        spec: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1)
    .max(100),
});

/** Config as code: the API behind `pbx apply`, `pbx get` and `pbx delete`. */
@ApiTags('config as code')
@Controller('api/v1')
@UseGuards(AuthGuard)
@Roles('operator')
@UseFilters(ProvisioningErrorFilter)
export class ResourcesController {
  constructor(
    @Inject(ApplyDocumentsUseCase) private readonly applyDocuments: ApplyDocumentsUseCase,
    @Inject(GroupDirectoryQuery) private readonly directory: GroupDirectoryQuery,
    @Inject(GroupRepository) private readonly groups: GroupRepository,
    @Inject(EnterpriseRepository) private readonly enterprises: EnterpriseRepository,
    @Inject(DeleteEnterpriseUseCase) private readonly deleteEnterprise: DeleteEnterpriseUseCase,
    @Inject(TrunkRepository) private readonly trunks: TrunkRepository,
  ) {}

  @Post('apply')
  @ApiZodBody(APPLY_BODY)
  @ApiQuery({ name: 'dryRun', required: false, schema: { type: 'boolean' } })
  @HttpCode(200)
  async apply(
    @Body() body: unknown,
    @Query('dryRun') dryRun: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Omit<Extract<ApplyOutcome, { ok: true }>, 'ok'> | { error: unknown }> {
    const created = ApplyDocumentsCommand.create(body, dryRun === 'true' || dryRun === '1');
    const outcome: ApplyOutcome =
      'problems' in created
        ? { ok: false, problems: created.problems }
        : await this.applyDocuments.execute(created.command);
    if (!outcome.ok) {
      void reply.status(422);
      return {
        error: {
          code: 'INVALID_DOCUMENT',
          message: `the file has ${outcome.problems.length} problem${outcome.problems.length === 1 ? '' : 's'}; nothing was changed`,
          problems: outcome.problems,
        },
      };
    }
    const { dryRun: isDryRun, changed, results } = outcome;
    return { dryRun: isDryRun, changed, results };
  }

  @Get('resources/:kind')
  @KIND_PARAM
  async list(@Param('kind') kind: string): Promise<{ items: ManifestView[] }> {
    const manifestKind = kindOf(kind);
    const names =
      manifestKind === 'Group'
        ? await this.directory.names()
        : manifestKind === 'Enterprise'
          ? await this.directory.enterpriseNames()
          : await this.directory.trunkNames();
    const items: ManifestView[] = [];
    for (const name of names) {
      const view = await this.read(manifestKind, name);
      if (view) items.push(view);
    }
    return { items };
  }

  @Get('resources/:kind/:name')
  @KIND_PARAM
  async get(@Param('kind') kind: string, @Param('name') name: string): Promise<ManifestView> {
    const manifestKind = kindOf(kind);
    const view = await this.read(manifestKind, name);
    if (!view) throw notFound(manifestKind, name);
    return view;
  }

  /** An enterprise is deleted only once it has no groups: the answer names them (409). */
  @Delete('resources/:kind/:name')
  @KIND_PARAM
  async remove(
    @Param('kind') kind: string,
    @Param('name') name: string,
  ): Promise<{ kind: ManifestKind; name: string; action: 'deleted' }> {
    const manifestKind = kindOf(kind);
    if (manifestKind === 'Enterprise') {
      await this.deleteEnterprise.execute(name);
      return { kind: manifestKind, name, action: 'deleted' };
    }
    if (manifestKind === 'Trunk') {
      const { state, version } = await this.trunks.load(name);
      const events = operatorTrunkDecider.decide({ type: 'RemoveTrunk', name }, state);
      await this.trunks.save(name, events, version);
      return { kind: manifestKind, name, action: 'deleted' };
    }
    const group = await this.groups.find(name);
    if (!group) throw notFound(manifestKind, name);
    // Deleting releases the group's name, numbers and device names in the same transaction, and
    // its domain unless other groups of its enterprise still use it.
    await this.groups.save({
      name,
      enterprise: group.state.enterprise,
      tenantId: group.state.tenantId,
      events: groupDecider.decide({ type: 'DeleteGroup', groupId: name }, group.state),
      version: group.version,
      spec: undefined,
    });
    return { kind: manifestKind, name, action: 'deleted' };
  }

  private async read(kind: ManifestKind, name: string): Promise<ManifestView | undefined> {
    if (kind === 'Trunk') {
      const trunk = await this.trunks.find(name);
      if (!trunk) return undefined;
      // The name is metadata.name; the password is never shown (a spec without one keeps it).
      const { name: _name, ...spec } = trunkToSpec(trunk.state.trunk);
      return { apiVersion: 'pbx/v1', kind, metadata: { name }, spec };
    }
    if (kind === 'Enterprise') {
      const enterprise = await this.enterprises.find(name);
      return enterprise
        ? {
            apiVersion: 'pbx/v1',
            kind,
            metadata: { name },
            spec: enterpriseStateToSpec(enterprise.state),
          }
        : undefined;
    }
    const group = await this.groups.find(name);
    return group
      ? {
          apiVersion: 'pbx/v1',
          kind,
          metadata: { name },
          spec: groupStateToSpec(group.state),
        }
      : undefined;
  }
}
