import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  Inject,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ApiZodQuery,
  AuthGuard,
  canAccess,
  CurrentPrincipal,
  DatabaseConnection,
  Roles,
  type Principal,
} from '@pbx/platform';

const query = z.strictObject({
  tenant: z.string().min(1).max(100),
  after: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface AuditEntry {
  readonly id: string;
  /** The tenant's position of the event: `?after=` of the event stream resumes after it. */
  readonly position: string;
  readonly type: string;
  readonly subject: string;
  readonly source: string;
  readonly time: string;
  readonly data: unknown;
}

/** The operator's view of a tenant's event history, oldest first. */
@ApiTags('events')
@Controller('api/v1/audit-log')
@UseGuards(AuthGuard)
@Roles('operator', 'enterprise-admin', 'group-admin')
export class AuditLogController {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  @Get()
  @ApiZodQuery(query)
  async list(
    @Query() raw: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: AuditEntry[] }> {
    const parsed = query.safeParse(raw);
    if (!parsed.success) {
      throw new BadRequestException(
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    }
    const { tenant, after, limit } = parsed.data;
    if (!canAccess(principal, tenant)) {
      throw new ForbiddenException('this tenant is not yours to see');
    }
    const rows: {
      event_id: string;
      position: string;
      type: string;
      subject: string;
      source: string;
      time: Date;
      data: unknown;
    }[] = await this.database.query(
      `SELECT event_id, position, type, subject, source, time, data FROM events_gateway_audit_log
          WHERE tenant = $1 AND ($2::timestamptz IS NULL OR time > $2) ORDER BY time, event_id LIMIT $3`,
      [tenant, after ?? null, limit],
    );
    return {
      items: rows.map((r) => ({
        id: r.event_id,
        position: String(r.position),
        type: r.type,
        subject: r.subject,
        source: r.source,
        time: r.time.toISOString(),
        data: r.data,
      })),
    };
  }
}
