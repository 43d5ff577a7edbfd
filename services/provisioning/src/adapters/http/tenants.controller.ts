import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { readTenant } from './tenant-read';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodQuery, AuthGuard, EVENT_STORE, Roles } from '@pbx/platform';
import type { EventStore } from '@pbx/events';
import { ProvisioningError, ProvisioningErrorCode } from '../../domain/provisioning.error';
import {
  CREATE_TENANT_BODY,
  CreateTenantCommand,
} from '../../application/usecases/create-tenant/create-tenant.command';
import {
  CreateTenantUseCase,
  type TenantView,
} from '../../application/usecases/create-tenant/create-tenant.usecase';
import {
  UPDATE_TENANT_BODY,
  UpdateTenantCommand,
} from '../../application/usecases/update-tenant/update-tenant.command';
import { UpdateTenantUseCase } from '../../application/usecases/update-tenant/update-tenant.usecase';
import {
  TenantDirectoryQuery,
  type Page,
  type TenantListItem,
} from '../projections/tenant-directory/tenant-directory.query';
import { parseIfMatch } from './http-input';
import { ProvisioningErrorFilter } from './provisioning-error.filter';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1000).optional(),
});
const cursorShape = z.strictObject({ name: z.string(), id: z.string().regex(UUID) });

function tenantId(id: string): string {
  if (!UUID.test(id)) {
    throw new ProvisioningError(
      ProvisioningErrorCode.TenantNotFound,
      `tenant ${id.slice(0, 60)} does not exist`,
    );
  }
  return id.toLowerCase();
}

/** `If-Match: "3"` → 3; the ETag is the stream version. */

function withEtag(reply: FastifyReply, view: TenantView): TenantView {
  void reply.header('ETag', `"${view.version}"`);
  return view;
}

@ApiTags('tenants')
@Controller('api/v1/tenants')
@UseGuards(AuthGuard)
@Roles('operator')
@UseFilters(ProvisioningErrorFilter)
export class TenantsController {
  constructor(
    @Inject(CreateTenantUseCase) private readonly createTenant: CreateTenantUseCase,
    @Inject(UpdateTenantUseCase) private readonly updateTenant: UpdateTenantUseCase,
    @Inject(TenantDirectoryQuery) private readonly directory: TenantDirectoryQuery,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @ApiZodBody(CREATE_TENANT_BODY)
  @HttpCode(201)
  async create(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantView> {
    const view = await this.createTenant.execute(CreateTenantCommand.create(body));
    void reply.header('Location', `/api/v1/tenants/${view.id}`);
    return withEtag(reply, view);
  }

  @Get()
  @ApiZodQuery(listQuery)
  async list(@Query() query: unknown): Promise<Page<TenantListItem>> {
    const parsed = listQuery.safeParse(query);
    if (!parsed.success) {
      throw new ProvisioningError(
        ProvisioningErrorCode.InvalidRequest,
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    }
    let cursor: { name: string; id: string } | undefined;
    if (parsed.data.cursor) {
      try {
        cursor = cursorShape.parse(
          JSON.parse(Buffer.from(parsed.data.cursor, 'base64url').toString('utf8')),
        );
      } catch {
        throw new ProvisioningError(
          ProvisioningErrorCode.InvalidRequest,
          'cursor is not one this API handed out',
        );
      }
    }
    return this.directory.list(parsed.data.limit, cursor);
  }

  /** Read from the tenant's own stream: always current, even before the directory catches up. */
  @Get(':id')
  async get(
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantView> {
    return withEtag(reply, await readTenant(this.store, tenantId(id)));
  }

  @Patch(':id')
  @ApiZodBody(UPDATE_TENANT_BODY)
  async update(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantView> {
    const view = await this.updateTenant.execute(
      UpdateTenantCommand.create(tenantId(id), body, parseIfMatch(match)),
    );
    return withEtag(reply, view);
  }
}
