import {
  phoneActions,
  phoneTransition,
  reducePhone,
  registrationStatus,
  SIGNED_OUT,
  type PhoneEvent,
  type PhoneState,
} from './phone-state';

const ALICE = { username: 'alice', domain: 'acme.example' };

const run = (events: readonly PhoneEvent[], from: PhoneState = SIGNED_OUT): PhoneState =>
  events.reduce(reducePhone, from);

const registered = (): PhoneState =>
  run([
    { type: 'sign-in-started', account: ALICE },
    { type: 'registering' },
    { type: 'registered' },
  ]);

const inCall = (): PhoneState =>
  run(
    [
      { type: 'call-dialing', id: 'c1', remote: '202' },
      { type: 'call-ringing', id: 'c1' },
      { type: 'call-established', id: 'c1', at: 1_000 },
    ],
    registered(),
  );

const call = (state: PhoneState) => (state.kind === 'signed-in' ? state.call : undefined);

describe('the phone state machine', () => {
  describe('signing in', () => {
    it('goes from connecting to registering to registered', () => {
      const connecting = run([{ type: 'sign-in-started', account: ALICE }]);
      expect(registrationStatus(connecting)).toBe('Signing in as alice@acme.example: connecting…');
      const registering = reducePhone(connecting, { type: 'registering' });
      expect(registrationStatus(registering)).toBe(
        'Signing in as alice@acme.example: registering…',
      );
      expect(registrationStatus(registered())).toBe('Registered as alice@acme.example');
      expect(phoneActions(registered()).dial).toBe(true);
    });

    it('returns to the form with the reason when the sign-in fails', () => {
      const notice = { level: 'error', text: 'Wrong username or password (401).' } as const;
      const state = run([
        { type: 'sign-in-started', account: ALICE },
        { type: 'registering' },
        { type: 'signed-out', notice },
      ]);
      expect(state).toEqual({ kind: 'signed-out', notice });
      expect(phoneActions(state).dial).toBe(false);
    });

    it('ignores call events before the phone is registered', () => {
      const connecting = run([{ type: 'sign-in-started', account: ALICE }]);
      expect(phoneTransition(connecting, { type: 'call-incoming', id: 'x', remote: '202' })).toBe(
        connecting,
      );
    });
  });

  describe('losing the connection', () => {
    it('shows the reconnect attempt and comes back registered', () => {
      const lost = run([{ type: 'connection-lost' }], registered());
      expect(registrationStatus(lost)).toBe('Connection lost: reconnecting now (attempt 1)');
      expect(phoneActions(lost).dial).toBe(false);
      const waiting = reducePhone(lost, {
        type: 'reconnect-scheduled',
        attempt: 3,
        delayMs: 2_100,
      });
      expect(registrationStatus(waiting)).toBe('Connection lost: reconnecting in 2 s (attempt 3)');
      const trying = reducePhone(waiting, { type: 'reconnecting' });
      expect(registrationStatus(trying)).toBe('Connection lost: reconnecting…');
      const back = run(
        [{ type: 'connected' }, { type: 'registering' }, { type: 'registered' }],
        trying,
      );
      expect(registrationStatus(back)).toBe('Registered as alice@acme.example');
    });

    it('clears a registration notice once registered again, but keeps a call notice', () => {
      const lostRegistration = reducePhone(registered(), {
        type: 'registration-lost',
        message: 'The phone server did not answer the registration.',
      });
      expect(lostRegistration.kind === 'signed-in' && lostRegistration.notice?.level).toBe('error');
      expect(registrationStatus(lostRegistration)).toMatch(/^Not registered/);
      const back = reducePhone(lostRegistration, { type: 'registered' });
      expect(back.kind === 'signed-in' && back.notice).toBeUndefined();

      const busy = run(
        [
          { type: 'call-dialing', id: 'c1', remote: '202' },
          { type: 'call-ended', id: 'c1', end: { kind: 'rejected', status: 486 } },
          { type: 'registered' },
        ],
        registered(),
      );
      expect(busy.kind === 'signed-in' && busy.notice).toEqual({
        level: 'error',
        text: '202 is busy (486).',
      });
    });
  });

  describe('an outgoing call', () => {
    it('rings, is answered, holds, resumes, mutes and sends tones', () => {
      const active = inCall();
      expect(call(active)).toEqual({
        kind: 'active',
        id: 'c1',
        remote: '202',
        since: 1_000,
        held: false,
        holdPending: false,
        muted: false,
      });
      expect(phoneActions(active)).toMatchObject({
        hold: true,
        resume: false,
        mute: true,
        sendTone: true,
      });

      const pending = reducePhone(active, { type: 'call-hold-pending', id: 'c1' });
      expect(phoneActions(pending)).toMatchObject({ hold: false, resume: false });
      const held = reducePhone(pending, { type: 'call-hold-changed', id: 'c1', held: true });
      expect(phoneActions(held)).toMatchObject({ hold: false, resume: true, sendTone: false });
      const resumed = run(
        [
          { type: 'call-hold-pending', id: 'c1' },
          { type: 'call-hold-changed', id: 'c1', held: false },
          { type: 'call-mute-changed', id: 'c1', muted: true },
          { type: 'call-tone-sent', id: 'c1', tone: '5' },
        ],
        held,
      );
      expect(call(resumed)).toMatchObject({ held: false, muted: true, lastTone: '5' });
      expect(phoneActions(resumed)).toMatchObject({ mute: false, unmute: true });
    });

    it('keeps the call and says why when hold is refused', () => {
      const state = run(
        [
          { type: 'call-hold-pending', id: 'c1' },
          { type: 'call-hold-failed', id: 'c1', message: 'Hold was refused (488).' },
        ],
        inCall(),
      );
      expect(call(state)).toMatchObject({ kind: 'active', held: false, holdPending: false });
      expect(state.kind === 'signed-in' && state.notice?.text).toBe('Hold was refused (488).');
    });

    it('ends with a notice naming the other party', () => {
      const ended = run(
        [
          { type: 'call-ending', id: 'c1' },
          { type: 'call-ended', id: 'c1', end: { kind: 'hung-up', by: 'local' } },
        ],
        inCall(),
      );
      expect(call(ended)).toEqual({ kind: 'idle' });
      expect(ended.kind === 'signed-in' && ended.notice).toEqual({
        level: 'info',
        text: 'Call with 202 ended.',
      });
    });

    it('ignores a second call while one is going on, and events of another call', () => {
      const active = inCall();
      for (const event of [
        { type: 'call-dialing', id: 'c2', remote: '203' },
        { type: 'call-incoming', id: 'c2', remote: '203' },
        { type: 'call-ended', id: 'c2', end: { kind: 'missed' } },
        { type: 'call-established', id: 'c1', at: 5 },
      ] as const) {
        expect(call(reducePhone(active, event))).toBe(call(active));
      }
    });

    it('is not placed while the phone is not registered', () => {
      const lost = run([{ type: 'connection-lost' }], registered());
      expect(call(reducePhone(lost, { type: 'call-dialing', id: 'c1', remote: '202' }))).toEqual({
        kind: 'idle',
      });
    });
  });

  describe('an incoming call', () => {
    const ringing = (): PhoneState =>
      reducePhone(registered(), { type: 'call-incoming', id: 'c9', remote: 'Bob de Vries' });

    it('rings with answer and decline, then becomes active when answered', () => {
      expect(phoneActions(ringing())).toMatchObject({
        answer: true,
        decline: true,
        dial: false,
        hangUp: false,
      });
      const active = run(
        [
          { type: 'call-answering', id: 'c9' },
          { type: 'call-established', id: 'c9', at: 7 },
        ],
        ringing(),
      );
      expect(call(active)).toMatchObject({ kind: 'active', remote: 'Bob de Vries', since: 7 });
      expect(phoneActions(active).hangUp).toBe(true);
    });

    it('is missed when the caller gives up', () => {
      const missed = reducePhone(ringing(), {
        type: 'call-ended',
        id: 'c9',
        end: { kind: 'missed' },
      });
      expect(missed.kind === 'signed-in' && missed.notice?.text).toBe(
        'Missed call from Bob de Vries.',
      );
    });

    it('cannot be established without being answered first', () => {
      const state = ringing();
      expect(phoneTransition(state, { type: 'call-established', id: 'c9', at: 1 })).toBe(state);
    });
  });

  it('signs out from anywhere, dropping the call', () => {
    expect(reducePhone(inCall(), { type: 'signed-out' })).toBe(SIGNED_OUT);
    expect(phoneActions(SIGNED_OUT)).toMatchObject({ signOut: false, dial: false });
  });
});
