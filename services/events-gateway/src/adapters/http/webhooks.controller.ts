import {
  Body,
  Controller,
  Delete,
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
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { PlatformConfig } from '@pbx/config';
import {
  ApiZodBody,
  ApiZodQuery,
  AuthGuard,
  CurrentPrincipal,
  PLATFORM_CONFIG,
  Roles,
  type Principal,
} from '@pbx/platform';
import { WebhookAdmin } from '../../application/webhooks/webhook-admin';
import {
  CREATE_WEBHOOK_BODY,
  CreateWebhookCommand,
  invalidRequest,
  TENANT_ID,
  UPDATE_WEBHOOK_BODY,
  UpdateWebhookCommand,
} from '../../application/webhooks/webhook-commands';
import { callerOf } from './caller';
import { EventsGatewayErrorFilter } from './events-gateway-error.filter';
import {
  deliveryView,
  pageView,
  webhookView,
  type DeliveryView,
  type WebhookView,
} from './webhook-views';

const listQuery = z.strictObject({
  tenant: z.string().regex(TENANT_ID).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
const deliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw invalidRequest(
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'query'}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** `If-Match: "3"` (or `3`) → 3; absent → undefined. */
function ifMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw invalidRequest(['If-Match: expected the webhook version as an ETag, e.g. "3"']);
  return Number(match[1]);
}

function withEtag(reply: FastifyReply, view: WebhookView): WebhookView {
  void reply.header('ETag', `"${view.version}"`);
  return view;
}

/**
 * Partner webhooks of a tenant (its enterprise or group admins, or the operator): create with a
 * platform-made secret shown once, read with delivery state, change (URL, event types, pause and
 * resume), rotate the secret, delete; deliveries with their attempts, and re-drive of dead ones.
 */
@ApiTags('webhooks')
@Controller('api/v1/webhooks')
@UseGuards(AuthGuard)
@Roles('operator', 'enterprise-admin', 'group-admin')
@UseFilters(EventsGatewayErrorFilter)
export class WebhooksController {
  readonly #allowPrivateUrls: boolean;

  constructor(
    @Inject(WebhookAdmin) private readonly admin: WebhookAdmin,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.#allowPrivateUrls = config.webhookAllowPrivateUrls;
  }

  @Post()
  @ApiZodBody(CREATE_WEBHOOK_BODY)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookView & { secret: string }> {
    const command = CreateWebhookCommand.create(body, this.#allowPrivateUrls);
    const { webhook, secret } = await this.admin.create(callerOf(principal), command);
    void reply.status(201).header('location', `/api/v1/webhooks/${webhook.id}`);
    return { ...withEtag(reply, webhookView(webhook)), secret };
  }

  @Get()
  @ApiZodQuery(listQuery)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
  ): Promise<{ items: WebhookView[]; nextCursor?: string }> {
    const { tenant, limit, cursor } = parse(listQuery, query);
    return pageView(await this.admin.list(callerOf(principal), tenant, limit, cursor), webhookView);
  }

  @Get(':id')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookView> {
    return withEtag(reply, webhookView(await this.admin.get(callerOf(principal), id)));
  }

  @Patch(':id')
  @ApiZodBody(UPDATE_WEBHOOK_BODY)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookView> {
    const command = UpdateWebhookCommand.create(body, this.#allowPrivateUrls);
    const webhook = await this.admin.update(callerOf(principal), id, command, ifMatch(match));
    return withEtag(reply, webhookView(webhook));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.admin.delete(callerOf(principal), id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookView & { secret: string }> {
    const { webhook, secret } = await this.admin.rotateSecret(callerOf(principal), id);
    return { ...withEtag(reply, webhookView(webhook)), secret };
  }

  @Get(':id/deliveries')
  @ApiZodQuery(deliveriesQuery)
  async deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ): Promise<{ items: DeliveryView[]; nextCursor?: string }> {
    const { status, limit, cursor } = parse(deliveriesQuery, query);
    return pageView(
      await this.admin.deliveries(callerOf(principal), id, status, limit, cursor),
      deliveryView,
    );
  }

  @Get(':id/deliveries/:deliveryId')
  async delivery(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<DeliveryView> {
    return deliveryView(await this.admin.delivery(callerOf(principal), id, deliveryId));
  }

  /** Every dead delivery of the webhook back in its queue, in their original order. */
  @Post(':id/redrive')
  @HttpCode(200)
  async redriveAll(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
  ): Promise<{ redriven: number }> {
    return { redriven: await this.admin.redrive(callerOf(principal), id) };
  }

  @Post(':id/deliveries/:deliveryId/redrive')
  @HttpCode(200)
  async redriveOne(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<{ redriven: number }> {
    return { redriven: await this.admin.redrive(callerOf(principal), id, deliveryId) };
  }
}
