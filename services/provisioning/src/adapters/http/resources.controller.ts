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
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, AuthGuard, Roles } from '@pbx/platform';
import { GroupRepository } from '../../application/group-repository';
import { ProvisioningError, ProvisioningErrorCode } from '../../domain/provisioning.error';
import { groupDecider } from '../../domain/group/group.decider';
import { groupStateToSpec } from '../../domain/group/group-state-to-spec';
import { ApplyDocumentsCommand } from '../../application/usecases/apply-documents/apply-documents.command';
import {
  ApplyDocumentsUseCase,
  type ApplyOutcome,
} from '../../application/usecases/apply-documents/apply-documents.usecase';
import { GroupDirectoryQuery } from '../projections/group-directory/group-directory.query';
import { ProvisioningErrorFilter } from './provisioning-error.filter';

export interface ManifestView {
  readonly apiVersion: 'pbx/v1';
  readonly kind: 'Group';
  readonly metadata: { readonly name: string };
  readonly spec: unknown;
}

function groupKind(kind: string): void {
  if (kind.toLowerCase() !== 'group') {
    throw new ProvisioningError(
      ProvisioningErrorCode.InvalidRequest,
      `unknown kind "${kind.slice(0, 40)}"; expected group`,
    );
  }
}

/** Documentation only: ApplyDocumentsCommand validates, and reports problems by path. */
const APPLY_BODY = z.object({
  documents: z
    .array(
      z.object({
        apiVersion: z.literal('pbx/v1'),
        kind: z.enum(['Group', 'Enterprise']),
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
  async list(@Param('kind') kind: string): Promise<{ items: ManifestView[] }> {
    groupKind(kind);
    const items: ManifestView[] = [];
    for (const name of await this.directory.names()) {
      const view = await this.read(name);
      if (view) items.push(view);
    }
    return { items };
  }

  @Get('resources/:kind/:name')
  async get(@Param('kind') kind: string, @Param('name') name: string): Promise<ManifestView> {
    groupKind(kind);
    const view = await this.read(name);
    if (!view)
      throw new ProvisioningError(
        ProvisioningErrorCode.GroupNotFound,
        `group ${name.slice(0, 63)} does not exist`,
      );
    return view;
  }

  @Delete('resources/:kind/:name')
  async remove(
    @Param('kind') kind: string,
    @Param('name') name: string,
  ): Promise<{ kind: 'Group'; name: string; action: 'deleted' }> {
    groupKind(kind);
    const group = await this.groups.find(name);
    if (!group) {
      throw new ProvisioningError(
        ProvisioningErrorCode.GroupNotFound,
        `group ${name.slice(0, 63)} does not exist`,
      );
    }
    // Deleting releases the group's domain, numbers and device names in the same transaction.
    await this.groups.save({
      name,
      tenantId: group.state.tenantId,
      events: groupDecider.decide({ type: 'DeleteGroup', groupId: name }, group.state),
      version: group.version,
      spec: undefined,
    });
    return { kind: 'Group', name, action: 'deleted' };
  }

  private async read(name: string): Promise<ManifestView | undefined> {
    const group = await this.groups.find(name);
    return group
      ? {
          apiVersion: 'pbx/v1',
          kind: 'Group',
          metadata: { name },
          spec: groupStateToSpec(group.state),
        }
      : undefined;
  }
}
