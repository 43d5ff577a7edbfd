import { z } from 'zod';
import { RoutingError, RoutingErrorCode } from '../../domain/routing.error';
import type { CallCursor, CallRecordRow } from '../projections/call-records/call-records.query';

export interface PartyView {
  readonly tenantId?: string;
  readonly groupId?: string;
  readonly userId?: string;
  readonly extension?: string;
  readonly number?: string;
  readonly name?: string;
  /** The caller withheld their identity from this viewer (U2). */
  readonly withheld?: true;
}

export interface CallRecordView {
  readonly callId: string;
  readonly tenantId: string;
  readonly direction: string;
  readonly state: string;
  readonly caller: PartyView;
  readonly callee: PartyView;
  readonly dialed?: string;
  readonly presentationRestricted: boolean;
  readonly startedAt: string;
  readonly answeredAt?: string;
  readonly endedAt?: string;
  readonly durationS?: number;
  readonly cause?: string;
  readonly status?: number;
  readonly reason?: string;
  readonly endedBy?: string;
}

export interface CallPage {
  readonly items: CallRecordView[];
  readonly nextCursor?: string;
}

/** From whose side a record is looked at: the callee's side does not see a withheld caller. */
export type ViewerSide = 'caller' | 'callee';

function party(values: Record<keyof Omit<PartyView, 'withheld'>, string | null>): PartyView {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== null) out[key] = value;
  return out;
}

const iso = (d: Date | null): string | undefined => (d ? new Date(d).toISOString() : undefined);

export function callRecordView(row: CallRecordRow, side: ViewerSide): CallRecordView {
  const withheld = side === 'callee' && row.presentation_restricted;
  const optional = {
    answeredAt: iso(row.answered_at),
    endedAt: iso(row.ended_at),
    durationS: row.duration_s ?? undefined,
    cause: row.cause ?? undefined,
    status: row.status ?? undefined,
    reason: row.reason ?? undefined,
    endedBy: row.ended_by ?? undefined,
    dialed: side === 'caller' ? row.dialed : undefined,
  };
  return {
    callId: row.call_id,
    tenantId: row.tenant_id,
    direction: row.direction,
    state: row.state,
    caller: withheld
      ? { withheld: true }
      : party({
          tenantId: row.caller_tenant_id,
          groupId: row.caller_group_id,
          userId: row.caller_user_id,
          extension: row.caller_extension,
          number: row.caller_number,
          name: row.caller_name,
        }),
    callee: party({
      tenantId: row.callee_tenant_id,
      groupId: row.callee_group_id,
      userId: row.callee_user_id,
      extension: row.callee_extension,
      number: row.callee_number,
      name: row.callee_name,
    }),
    presentationRestricted: row.presentation_restricted,
    startedAt: new Date(row.started_at).toISOString(),
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ) as Partial<CallRecordView>),
  };
}

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  /** Alias of `cursor`. */
  after: z.string().max(200).optional(),
});

const cursorShape = z.strictObject({
  t: z.iso.datetime(),
  id: z.string().min(1).max(100),
});

export function parseListQuery(query: unknown): { limit: number; after?: CallCursor } {
  const parsed = listQuery.safeParse(query);
  if (!parsed.success) {
    throw new RoutingError(
      RoutingErrorCode.InvalidRequest,
      parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '),
    );
  }
  const text = parsed.data.cursor ?? parsed.data.after;
  if (text === undefined) return { limit: parsed.data.limit };
  try {
    const decoded = cursorShape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { limit: parsed.data.limit, after: { startedAt: decoded.t, callId: decoded.id } };
  } catch {
    throw new RoutingError(
      RoutingErrorCode.InvalidRequest,
      'cursor is not one this API handed out',
    );
  }
}

/** A page of `limit` records; the query fetched one more to tell whether another page follows. */
export function toPage(
  rows: readonly CallRecordRow[],
  limit: number,
  sideOf: (row: CallRecordRow) => ViewerSide,
): CallPage {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(
          JSON.stringify({ t: new Date(last.started_at).toISOString(), id: last.call_id }),
        ).toString('base64url')
      : undefined;
  return {
    items: items.map((row) => callRecordView(row, sideOf(row))),
    ...(nextCursor !== undefined && { nextCursor }),
  };
}
