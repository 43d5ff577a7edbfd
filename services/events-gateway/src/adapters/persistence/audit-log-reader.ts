import type { DatabaseConnection } from '@pbx/platform';
import type { Json, PartnerEvent } from '../../domain/cloud-event';
import type { EventTypeFilter } from '../../domain/event-type-filter';

/** One audit log entry with its tenant position. */
export interface PositionedEvent extends PartnerEvent {
  readonly position: bigint;
}

/**
 * Reads a tenant's audit log by position: what event streams serve. Through
 * DatabaseConnection.query, so an unreachable database is a 503, not a 500.
 */
export class AuditLogReader {
  constructor(private readonly database: DatabaseConnection) {}

  /** Entries after `after` (exclusive), oldest first, of the types `filter` wants. */
  async after(
    tenant: string,
    after: bigint,
    filter: EventTypeFilter,
    limit: number,
  ): Promise<PositionedEvent[]> {
    const rows: {
      position: string;
      event_id: string;
      source: string;
      type: string;
      subject: string;
      time: Date;
      data: Json | null;
    }[] = await this.database.query(
      `SELECT position, event_id, source, type, subject, time, data FROM events_gateway_audit_log
        WHERE tenant = $1 AND position > $2
          AND ($3 OR type = ANY($4::text[]) OR type LIKE ANY($5::text[]))
        ORDER BY position LIMIT $6`,
      [
        tenant,
        after.toString(),
        filter.all,
        filter.exact,
        // Patterns were checked to hold no LIKE wildcards (_ or %) of their own.
        filter.prefixes.map((prefix) => `${prefix}%`),
        limit,
      ],
    );
    return rows.map((row) => ({
      position: BigInt(row.position),
      id: row.event_id,
      source: row.source,
      type: row.type,
      subject: row.subject,
      time: row.time,
      tenant,
      data: row.data,
    }));
  }

  /** The tenant's latest position (0 before its first event): where a live-only stream starts. */
  async head(tenant: string): Promise<bigint> {
    const rows: { position: string }[] = await this.database.query(
      'SELECT position FROM events_gateway_tenant_positions WHERE tenant = $1',
      [tenant],
    );
    return rows[0] ? BigInt(rows[0].position) : 0n;
  }
}
