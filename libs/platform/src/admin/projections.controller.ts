import {
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PostgresEventStore, ProjectionRunner } from '@pbx/events';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { DatabaseConnection } from '../database/database-connection';

export interface ProjectionStatus {
  readonly name: string;
  readonly eventsApplied: number;
  readonly lastEventTime: string | null;
  readonly rebuiltAt: string | null;
}

/** Operator tools for the read models of this process: status, and rebuild from the log. */
@ApiTags('operations')
@Controller('api/v1/admin/projections')
@UseGuards(AuthGuard)
@Roles('operator')
export class ProjectionsController {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(DatabaseConnection) private readonly database: DatabaseConnection,
  ) {}

  @Get()
  async list(): Promise<{ items: ProjectionStatus[] }> {
    const rows: {
      projection: string;
      events_applied: string;
      last_event_time: Date | null;
      rebuilt_at: Date | null;
    }[] = await this.database.query(
      'SELECT projection, events_applied, last_event_time, rebuilt_at FROM pbx_projection_checkpoints',
    );
    const byName = new Map(rows.map((r) => [r.projection, r]));
    return {
      items: this.runner.names.map((name) => {
        const row = byName.get(name);
        return {
          name,
          eventsApplied: Number(row?.events_applied ?? 0),
          lastEventTime: row?.last_event_time?.toISOString() ?? null,
          rebuiltAt: row?.rebuilt_at?.toISOString() ?? null,
        };
      }),
    };
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  async rebuild(@Param('name') name: string): Promise<{ name: string; eventsApplied: number }> {
    if (!this.runner.names.includes(name)) {
      throw new NotFoundException(
        `unknown projection "${name.slice(0, 80)}"; known: ${this.runner.names.join(', ')}`,
      );
    }
    // Only the store's reads are used here, which do not depend on its source.
    const store = new PostgresEventStore(this.database.dataSource, '/pbx/admin');
    return { name, eventsApplied: await this.runner.rebuild(name, store) };
  }
}
