import {
  Controller,
  Get,
  Headers,
  Inject,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { PlatformConfig } from '@pbx/config';
import {
  ApiZodQuery,
  AuthGuard,
  CurrentPrincipal,
  PLATFORM_CONFIG,
  Roles,
  type Principal,
} from '@pbx/platform';
import { tenantInScope } from '../../application/tenant-scope';
import { invalidRequest, TENANT_ID } from '../../application/webhooks/webhook-commands';
import { EventsGatewayError, EventsGatewayErrorCode } from '../../domain/events-gateway.error';
import { EventTypeFilter } from '../../domain/event-type-filter';
import { ALL_PUBLIC_EVENT_TYPES } from '../../domain/public-event-types';
import { AuditLogReader } from '../persistence/audit-log-reader';
import { EventStreamHub } from '../stream/event-stream-hub';
import { SseSession } from '../stream/sse-session';
import { callerOf } from './caller';
import { EventsGatewayErrorFilter } from './events-gateway-error.filter';

const POSITION = /^\d{1,18}$/;
const streamQuery = z.strictObject({
  tenant: z.string().regex(TENANT_ID).optional(),
  after: z.string().regex(POSITION, { error: 'a position: a whole number' }).optional(),
  types: z.string().max(5000).optional(),
});

/**
 * A tenant's events live as Server-Sent Events, the same CloudEvents webhooks get. Resume after
 * a disconnect with `Last-Event-ID` (EventSource sends it) or `?after=<position>`: the stream
 * continues right after that position, from the stored log first, then live. Without either it
 * starts with the next event. `?types=` takes webhook-style patterns, comma-separated.
 */
@ApiTags('events')
@Controller('api/v1/events')
@UseGuards(AuthGuard)
@Roles('operator', 'enterprise-admin', 'group-admin')
@UseFilters(EventsGatewayErrorFilter)
export class EventStreamController {
  constructor(
    @Inject(AuditLogReader) private readonly reader: AuditLogReader,
    @Inject(EventStreamHub) private readonly hub: EventStreamHub,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiZodQuery(streamQuery)
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last position received' })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const parsed = streamQuery.safeParse(query ?? {});
    if (!parsed.success) {
      throw invalidRequest(
        parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`),
      );
    }
    const tenant = await tenantInScope(
      callerOf(principal),
      parsed.data.tenant,
      async (t) => (await this.reader.head(t)) > 0n,
    );
    if (lastEventId !== undefined && !POSITION.test(lastEventId.trim())) {
      throw invalidRequest(['Last-Event-ID: a position: a whole number']);
    }
    const filter = EventTypeFilter.parse(
      parsed.data.types === undefined ? ['*'] : parsed.data.types.split(',').map((t) => t.trim()),
      ALL_PUBLIC_EVENT_TYPES,
    );
    if (!filter.ok) throw invalidRequest(filter.error.map((p) => `types: ${p}`));
    if (this.hub.full) {
      throw new EventsGatewayError(
        EventsGatewayErrorCode.TooManyStreams,
        'this server has as many event streams as it may; retry shortly',
      );
    }
    const given = lastEventId?.trim() ?? parsed.data.after;
    const after = given === undefined ? await this.reader.head(tenant) : BigInt(given);
    reply.hijack();
    await this.hub.serve(
      new SseSession(reply.raw, this.reader, {
        tenant,
        after,
        filter: filter.value,
        heartbeatMs: this.config.streamHeartbeatMs,
        stallTimeoutMs: this.config.streamStallTimeoutMs,
        onSent: (count) => this.hub.sent(count),
      }),
    );
  }
}
