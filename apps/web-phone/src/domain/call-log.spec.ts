import { CallLogFormatError, callLogRows, formatDuration, parseCallPage } from './call-log';

const ALICE = { groupId: 'acme', userId: '201' };

/** A call record as GET /api/v1/me/calls returns it; each test states only what differs. */
const record = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  callId: 'c1',
  tenantId: 't1',
  direction: 'internal',
  state: 'ended',
  caller: { groupId: 'acme', userId: '201', extension: '201', name: 'Alice Jansen' },
  callee: { groupId: 'acme', userId: '202', extension: '202', name: 'Bob de Vries' },
  dialed: '202',
  presentationRestricted: false,
  startedAt: '2026-11-25T09:00:00.000Z',
  answeredAt: '2026-11-25T09:00:03.000Z',
  endedAt: '2026-11-25T09:01:08.000Z',
  durationS: 65,
  cause: 'normal',
  ...over,
});

const rows = (...records: Record<string, unknown>[]) =>
  callLogRows(parseCallPage({ items: records }), ALICE);

describe(callLogRows.name, () => {
  it('shows an answered outgoing call with the callee, its duration and a dial-back', () => {
    expect(rows(record())).toEqual([
      {
        callId: 'c1',
        direction: 'outgoing',
        party: 'Bob de Vries (202)',
        dialBack: '202',
        startedAt: '2026-11-25T09:00:00.000Z',
        duration: '1:05',
        result: 'Answered',
        missed: false,
        ongoing: false,
      },
    ]);
  });

  it('marks an unanswered incoming call as missed', () => {
    const [row] = rows(
      record({
        caller: { number: '+31612345678' },
        callee: { groupId: 'acme', userId: '201', extension: '201' },
        answeredAt: undefined,
        durationS: 0,
        cause: 'cancelled',
      }),
    );
    expect(row).toMatchObject({
      direction: 'incoming',
      party: '+31612345678',
      dialBack: '+31612345678',
      duration: '–',
      result: 'Missed',
      missed: true,
    });
  });

  it('offers no dial-back for a withheld caller', () => {
    const [row] = rows(
      record({ caller: { withheld: true }, callee: { groupId: 'acme', userId: '201' } }),
    );
    expect(row.party).toBe('Withheld number');
    expect(row.dialBack).toBeUndefined();
  });

  it('names why an outgoing call was not answered', () => {
    const unanswered = { answeredAt: undefined, durationS: 0 };
    expect(rows(record({ ...unanswered, cause: 'busy' }))[0].result).toBe('Busy');
    expect(rows(record({ ...unanswered, state: 'rejected', cause: 'not-found' }))[0].result).toBe(
      'Number not found',
    );
    expect(rows(record({ state: 'answered', endedAt: undefined }))[0]).toMatchObject({
      result: 'In progress',
      ongoing: true,
    });
  });

  it('falls back to the dialled number for an outside callee without a name', () => {
    const [row] = rows(record({ callee: {}, dialed: '0201234567', answeredAt: undefined }));
    expect(row.party).toBe('0201234567');
  });
});

describe(parseCallPage.name, () => {
  it('refuses an answer that is not a call page', () => {
    expect(() => parseCallPage(null)).toThrow(CallLogFormatError);
    expect(() => parseCallPage({ items: [{ callId: 'x' }] })).toThrow(
      /lacks its id, state or start/,
    );
    expect(() => parseCallPage({ items: [record({ caller: 'alice' })] })).toThrow(/party/);
  });
});

describe(formatDuration.name, () => {
  it('formats seconds as m:ss or h:mm:ss', () => {
    expect([0, 7, 65, 750, 3723].map(formatDuration)).toEqual([
      '0:00',
      '0:07',
      '1:05',
      '12:30',
      '1:02:03',
    ]);
  });
});
