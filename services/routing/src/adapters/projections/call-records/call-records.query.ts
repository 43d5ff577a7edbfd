import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@pbx/platform';

/** A row of `routing_cdr` as PostgreSQL returns it. */
export interface CallRecordRow {
  readonly call_id: string;
  readonly tenant_id: string;
  readonly group_id: string | null;
  readonly direction: string;
  readonly caller_tenant_id: string | null;
  readonly caller_group_id: string | null;
  readonly caller_user_id: string | null;
  readonly caller_extension: string | null;
  readonly caller_number: string | null;
  readonly caller_name: string | null;
  readonly caller_device_id: string | null;
  readonly callee_tenant_id: string | null;
  readonly callee_group_id: string | null;
  readonly callee_user_id: string | null;
  readonly callee_extension: string | null;
  readonly callee_number: string | null;
  readonly callee_name: string | null;
  readonly trunk_id: string | null;
  readonly dialed: string;
  readonly presentation_restricted: boolean;
  readonly state: string;
  readonly started_at: Date;
  readonly answered_at: Date | null;
  readonly answered_device_id: string | null;
  readonly ended_at: Date | null;
  readonly duration_s: number | null;
  readonly cause: string | null;
  readonly status: number | null;
  readonly reason: string | null;
  readonly ended_by: string | null;
}

/** Where a page starts: after this call, in (started_at, call_id) descending order. */
export interface CallCursor {
  readonly startedAt: string;
  readonly callId: string;
}

/** Reads the call detail records (routing_cdr), newest first, in keyset pages. */
@Injectable()
export class CallRecordsQuery {
  constructor(@Inject(DatabaseConnection) private readonly db: DatabaseConnection) {}

  async get(callId: string): Promise<CallRecordRow | undefined> {
    const rows = await this.db.query<CallRecordRow[]>(
      'SELECT * FROM routing_cdr WHERE call_id = $1',
      [callId],
    );
    return rows[0];
  }

  /** Calls a group's users made or received (limit + 1 rows: the extra one says there is more). */
  async forGroup(groupId: string, limit: number, after?: CallCursor): Promise<CallRecordRow[]> {
    return this.page('(caller_group_id = $1 OR callee_group_id = $1)', [groupId], limit, after);
  }

  /** A user's own call log: calls they made or received. */
  async forUser(
    groupId: string,
    userId: string,
    limit: number,
    after?: CallCursor,
  ): Promise<CallRecordRow[]> {
    return this.page(
      `((caller_group_id = $1 AND caller_user_id = $2) OR (callee_group_id = $1 AND callee_user_id = $2))`,
      [groupId, userId],
      limit,
      after,
    );
  }

  private async page(
    where: string,
    params: unknown[],
    limit: number,
    after: CallCursor | undefined,
  ): Promise<CallRecordRow[]> {
    const n = params.length;
    const keyset = after ? ` AND (started_at, call_id) < ($${n + 1}::timestamptz, $${n + 2})` : '';
    const values = after ? [...params, after.startedAt, after.callId] : params;
    return this.db.query<CallRecordRow[]>(
      `SELECT * FROM routing_cdr WHERE ${where}${keyset}
        ORDER BY started_at DESC, call_id DESC LIMIT $${values.length + 1}`,
      [...values, limit + 1],
    );
  }
}
