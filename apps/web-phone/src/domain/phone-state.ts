import { aorText, type Account } from './account';
import { callEndMessage, type CallEnd } from './sip-outcomes';

/** A line in the status area: errors are announced assertively, the rest politely. */
export interface Notice {
  readonly level: 'info' | 'error';
  readonly text: string;
  /** A registration notice goes away by itself once the phone is registered again. */
  readonly topic?: 'registration';
}

/** The WebSocket to the SIP edge. `lost` waits `delayMs` before reconnect attempt `attempt`. */
export type Connection =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected' }
  | { readonly kind: 'lost'; readonly attempt: number; readonly delayMs: number };

export type Registration = 'unregistered' | 'registering' | 'registered';

interface CallBase {
  /** SIP.js's session id: events of an earlier call never touch the current one. */
  readonly id: string;
  /** The other party: a number, an extension or a display name. */
  readonly remote: string;
}

export type Call =
  | { readonly kind: 'idle' }
  | (CallBase & { readonly kind: 'outgoing'; readonly ringing: boolean })
  | (CallBase & { readonly kind: 'incoming' })
  /** Accepted here; waiting for the media to be set up and the ACK. */
  | (CallBase & { readonly kind: 'answering' })
  | (CallBase & {
      readonly kind: 'active';
      /** Milliseconds since the epoch when the call was answered. */
      readonly since: number;
      readonly held: boolean;
      /** A re-INVITE for hold or resume is under way: a second one would get 491. */
      readonly holdPending: boolean;
      readonly muted: boolean;
      readonly lastTone?: string;
    })
  | (CallBase & { readonly kind: 'ending' });

export type PhoneState =
  | { readonly kind: 'signed-out'; readonly notice?: Notice }
  | {
      readonly kind: 'signing-in';
      readonly account: Account;
      readonly step: 'connecting' | 'registering';
    }
  | {
      readonly kind: 'signed-in';
      readonly account: Account;
      readonly connection: Connection;
      readonly registration: Registration;
      readonly call: Call;
      readonly notice?: Notice;
    };

export type PhoneEvent =
  | { readonly type: 'sign-in-started'; readonly account: Account }
  /** Back to the sign-in form, with why (wrong password, server unreachable) or why not. */
  | { readonly type: 'signed-out'; readonly notice?: Notice }
  | { readonly type: 'connected' }
  | { readonly type: 'connection-lost' }
  | { readonly type: 'reconnect-scheduled'; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'reconnecting' }
  | { readonly type: 'registering' }
  | { readonly type: 'registered' }
  /** Registration failed or expired while signed in, for a reason that retrying may fix. */
  | { readonly type: 'registration-lost'; readonly message: string }
  | { readonly type: 'call-dialing'; readonly id: string; readonly remote: string }
  | { readonly type: 'call-ringing'; readonly id: string }
  | { readonly type: 'call-incoming'; readonly id: string; readonly remote: string }
  | { readonly type: 'call-answering'; readonly id: string }
  | { readonly type: 'call-established'; readonly id: string; readonly at: number }
  | { readonly type: 'call-hold-pending'; readonly id: string }
  | { readonly type: 'call-hold-changed'; readonly id: string; readonly held: boolean }
  | { readonly type: 'call-hold-failed'; readonly id: string; readonly message: string }
  | { readonly type: 'call-mute-changed'; readonly id: string; readonly muted: boolean }
  | { readonly type: 'call-tone-sent'; readonly id: string; readonly tone: string }
  | { readonly type: 'call-ending'; readonly id: string }
  | { readonly type: 'call-ended'; readonly id: string; readonly end: CallEnd }
  | { readonly type: 'notice'; readonly notice: Notice };

export const SIGNED_OUT: PhoneState = { kind: 'signed-out' };
const IDLE: Call = { kind: 'idle' };

/**
 * The phone's state after `event`. SIP and WebSocket callbacks arrive late and out of turn (a
 * CANCEL racing an answer, a BYE after a local hang-up), so an event that does not apply to the
 * current state leaves it unchanged (the same object) instead of failing.
 */
export function phoneTransition(state: PhoneState, event: PhoneEvent): PhoneState {
  switch (event.type) {
    case 'sign-in-started':
      return state.kind === 'signed-out'
        ? { kind: 'signing-in', account: event.account, step: 'connecting' }
        : state;
    case 'signed-out':
      return event.notice ? { kind: 'signed-out', notice: event.notice } : SIGNED_OUT;
    case 'notice':
      return state.kind === 'signing-in' ? state : { ...state, notice: event.notice };
    default:
      break;
  }
  if (state.kind === 'signing-in') return signingIn(state, event);
  if (state.kind === 'signed-in') return signedIn(state, event);
  return state;
}

function signingIn(
  state: Extract<PhoneState, { kind: 'signing-in' }>,
  event: PhoneEvent,
): PhoneState {
  switch (event.type) {
    case 'registering':
      return state.step === 'registering' ? state : { ...state, step: 'registering' };
    case 'registered':
      return {
        kind: 'signed-in',
        account: state.account,
        connection: { kind: 'connected' },
        registration: 'registered',
        call: IDLE,
      };
    default:
      return state;
  }
}

type SignedIn = Extract<PhoneState, { kind: 'signed-in' }>;

function signedIn(state: SignedIn, event: PhoneEvent): PhoneState {
  switch (event.type) {
    case 'connected':
      return { ...state, connection: { kind: 'connected' } };
    case 'connection-lost':
      return {
        ...state,
        connection: { kind: 'lost', attempt: 1, delayMs: 0 },
        registration: 'unregistered',
      };
    case 'reconnect-scheduled':
      return {
        ...state,
        connection: { kind: 'lost', attempt: event.attempt, delayMs: event.delayMs },
        registration: 'unregistered',
      };
    case 'reconnecting':
      return { ...state, connection: { kind: 'connecting' } };
    case 'registering':
      return { ...state, registration: 'registering' };
    case 'registered': {
      const { notice, ...rest } = state;
      return {
        ...rest,
        connection: { kind: 'connected' },
        registration: 'registered',
        ...(notice && notice.topic !== 'registration' ? { notice } : {}),
      };
    }
    case 'registration-lost':
      return {
        ...state,
        registration: 'unregistered',
        notice: { level: 'error', text: event.message, topic: 'registration' },
      };
    default: {
      const call = callTransition(state.call, event, state);
      return call === state.call ? state : { ...state, call };
    }
  }
}

/** Only the call part: returns `call` itself when nothing changes (callers compare by identity). */
function callTransition(call: Call, event: PhoneEvent, state: SignedIn): Call {
  const mine = 'id' in event && call.kind !== 'idle' && call.id === event.id;
  switch (event.type) {
    case 'call-dialing':
      return call.kind === 'idle' && state.registration === 'registered'
        ? { kind: 'outgoing', id: event.id, remote: event.remote, ringing: false }
        : call;
    case 'call-incoming':
      return call.kind === 'idle' ? { kind: 'incoming', id: event.id, remote: event.remote } : call;
    case 'call-ringing':
      return mine && call.kind === 'outgoing' && !call.ringing ? { ...call, ringing: true } : call;
    case 'call-answering':
      return mine && call.kind === 'incoming'
        ? { kind: 'answering', id: call.id, remote: call.remote }
        : call;
    case 'call-established':
      return mine && (call.kind === 'outgoing' || call.kind === 'answering')
        ? {
            kind: 'active',
            id: call.id,
            remote: call.remote,
            since: event.at,
            held: false,
            holdPending: false,
            muted: false,
          }
        : call;
    case 'call-hold-pending':
      return mine && call.kind === 'active' && !call.holdPending
        ? { ...call, holdPending: true }
        : call;
    case 'call-hold-changed':
      return mine && call.kind === 'active'
        ? { ...call, held: event.held, holdPending: false }
        : call;
    case 'call-hold-failed':
      return mine && call.kind === 'active' ? { ...call, holdPending: false } : call;
    case 'call-mute-changed':
      return mine && call.kind === 'active' && call.muted !== event.muted
        ? { ...call, muted: event.muted }
        : call;
    case 'call-tone-sent':
      return mine && call.kind === 'active' ? { ...call, lastTone: event.tone } : call;
    case 'call-ending':
      return mine && call.kind !== 'ending'
        ? { kind: 'ending', id: event.id, remote: call.remote }
        : call;
    case 'call-ended':
      return mine ? IDLE : call;
    default:
      return call;
  }
}

/**
 * The whole reduction, with the notices that belong to call events (`call-ended` and
 * `call-hold-failed` also say why); this is what the page dispatches through.
 */
export function reducePhone(state: PhoneState, event: PhoneEvent): PhoneState {
  const next = phoneTransition(state, event);
  if (next === state || next.kind !== 'signed-in' || state.kind !== 'signed-in') return next;
  if (event.type === 'call-ended' && state.call.kind !== 'idle') {
    const level = event.end.kind === 'failed' || event.end.kind === 'rejected' ? 'error' : 'info';
    return { ...next, notice: { level, text: callEndMessage(event.end, state.call.remote) } };
  }
  if (event.type === 'call-hold-failed') {
    return { ...next, notice: { level: 'error', text: event.message } };
  }
  return next;
}

/** What the user may do now; the page enables exactly these controls. */
export interface PhoneActions {
  readonly dial: boolean;
  readonly answer: boolean;
  readonly decline: boolean;
  readonly hangUp: boolean;
  readonly hold: boolean;
  readonly resume: boolean;
  readonly mute: boolean;
  readonly unmute: boolean;
  readonly sendTone: boolean;
  readonly signOut: boolean;
}

export function phoneActions(state: PhoneState): PhoneActions {
  const call: Call = state.kind === 'signed-in' ? state.call : IDLE;
  const active = call.kind === 'active' ? call : undefined;
  return {
    dial: state.kind === 'signed-in' && state.registration === 'registered' && call.kind === 'idle',
    answer: call.kind === 'incoming',
    decline: call.kind === 'incoming',
    hangUp: call.kind === 'outgoing' || call.kind === 'answering' || call.kind === 'active',
    hold: active !== undefined && !active.held && !active.holdPending,
    resume: active !== undefined && active.held && !active.holdPending,
    mute: active !== undefined && !active.muted,
    unmute: active !== undefined && active.muted,
    sendTone: active !== undefined && !active.held,
    signOut: state.kind !== 'signed-out',
  };
}

/** The one-line registration status, read out when it changes (it never counts down). */
export function registrationStatus(state: PhoneState): string {
  switch (state.kind) {
    case 'signed-out':
      return 'Signed out';
    case 'signing-in':
      return state.step === 'connecting'
        ? `Signing in as ${aorText(state.account)}: connecting…`
        : `Signing in as ${aorText(state.account)}: registering…`;
    case 'signed-in': {
      const aor = aorText(state.account);
      const c = state.connection;
      if (c.kind === 'lost') {
        const wait = c.delayMs < 1000 ? 'now' : `in ${Math.round(c.delayMs / 1000)} s`;
        return `Connection lost: reconnecting ${wait} (attempt ${c.attempt})`;
      }
      if (c.kind === 'connecting') return 'Connection lost: reconnecting…';
      switch (state.registration) {
        case 'registered':
          return `Registered as ${aor}`;
        case 'registering':
          return `Connected: registering ${aor}…`;
        case 'unregistered':
          return `Not registered: ${aor} cannot receive calls`;
        default:
          return assertNeverRegistration(state.registration);
      }
    }
    default:
      return assertNeverState(state);
  }
}

function assertNeverRegistration(value: never): never {
  throw new TypeError(`unexpected registration ${String(value)}`);
}

function assertNeverState(value: never): never {
  throw new TypeError(`unexpected phone state ${JSON.stringify(value)}`);
}
