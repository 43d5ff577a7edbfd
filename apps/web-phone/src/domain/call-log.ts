/** One side of a call record as GET /api/v1/me/calls returns it (routing's PartyView). */
export interface CallParty {
  readonly groupId?: string;
  readonly userId?: string;
  readonly extension?: string;
  readonly number?: string;
  readonly name?: string;
  /** The caller withheld their identity (U2). */
  readonly withheld?: boolean;
}

export interface CallRecord {
  readonly callId: string;
  readonly state: string;
  readonly caller: CallParty;
  readonly callee: CallParty;
  readonly dialed?: string;
  readonly startedAt: string;
  readonly answeredAt?: string;
  readonly durationS?: number;
  readonly cause?: string;
}

/** A row of the call log table. */
export interface CallLogRow {
  readonly callId: string;
  readonly direction: 'outgoing' | 'incoming';
  readonly party: string;
  /** What to dial to call the party back; none for a withheld caller. */
  readonly dialBack?: string;
  readonly startedAt: string;
  readonly duration: string;
  readonly result: string;
  readonly missed: boolean;
  /** Still ringing or talking as the read model last saw it: it will change. */
  readonly ongoing: boolean;
}

/** The user the log belongs to: the principal of the phone session. */
export interface LogOwner {
  readonly groupId: string;
  readonly userId: string;
}

export class CallLogFormatError extends Error {}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function party(value: unknown): CallParty {
  if (typeof value !== 'object' || value === null)
    throw new CallLogFormatError('a party is not an object');
  const p = value as Record<string, unknown>;
  return {
    groupId: str(p.groupId),
    userId: str(p.userId),
    extension: str(p.extension),
    number: str(p.number),
    name: str(p.name),
    withheld: p.withheld === true,
  };
}

/** Validates the JSON of a call log page: a TypeScript type is no validation. */
export function parseCallPage(json: unknown): CallRecord[] {
  const items = (json as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new CallLogFormatError('the answer has no items list');
  return items.map((item: unknown) => {
    const r = item as Record<string, unknown>;
    const callId = str(r?.callId);
    const startedAt = str(r?.startedAt);
    const state = str(r?.state);
    if (!callId || !startedAt || !state)
      throw new CallLogFormatError('a call record lacks its id, state or start');
    return {
      callId,
      state,
      caller: party(r.caller),
      callee: party(r.callee),
      dialed: str(r.dialed),
      startedAt,
      answeredAt: str(r.answeredAt),
      durationS: typeof r.durationS === 'number' ? r.durationS : undefined,
      cause: str(r.cause),
    };
  });
}

function label(p: CallParty, fallback?: string): string {
  if (p.withheld) return 'Withheld number';
  const id = p.extension ?? p.number ?? fallback;
  if (p.name && id) return `${p.name} (${id})`;
  return p.name ?? id ?? 'Unknown';
}

/** 0:07, 12:30, 1:02:03. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

const CAUSES: Readonly<Record<string, string>> = {
  busy: 'Busy',
  'no-answer': 'No answer',
  unavailable: 'Not reachable',
  declined: 'Declined',
  'not-found': 'Number not found',
  forbidden: 'Not allowed',
  cancelled: 'Cancelled',
  'media-timeout': 'Audio lost',
  failed: 'Failed',
  normal: 'Not answered',
};

interface Result {
  readonly text: string;
  readonly missed: boolean;
  readonly ongoing: boolean;
}

function result(r: CallRecord, direction: 'outgoing' | 'incoming'): Result {
  if (r.state === 'started' || r.state === 'ringing') {
    return { text: 'Ringing', missed: false, ongoing: true };
  }
  if (r.state === 'answered') return { text: 'In progress', missed: false, ongoing: true };
  if (r.answeredAt) return { text: 'Answered', missed: false, ongoing: false };
  if (direction === 'incoming') return { text: 'Missed', missed: true, ongoing: false };
  return { text: CAUSES[r.cause ?? ''] ?? 'Not answered', missed: false, ongoing: false };
}

export function callLogRows(records: readonly CallRecord[], owner: LogOwner): CallLogRow[] {
  return records.map((r) => {
    const outgoing = r.caller.groupId === owner.groupId && r.caller.userId === owner.userId;
    const direction = outgoing ? 'outgoing' : 'incoming';
    const other = outgoing ? r.callee : r.caller;
    const dialBack = outgoing
      ? (r.dialed ?? other.extension ?? other.number)
      : other.withheld
        ? undefined
        : (other.extension ?? other.number);
    const { text, missed, ongoing } = result(r, direction);
    return {
      callId: r.callId,
      direction,
      party: label(other, outgoing ? r.dialed : undefined),
      ...(dialBack ? { dialBack } : {}),
      startedAt: r.startedAt,
      duration: r.answeredAt && r.durationS !== undefined ? formatDuration(r.durationS) : '–',
      result: text,
      missed,
      ongoing,
    };
  });
}
