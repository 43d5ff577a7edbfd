import type { CallLogState, PhoneApp, PhoneAppListener } from '../app/phone-app';
import { aorText } from '../domain/account';
import { callAnnouncement } from '../domain/call-announcement';
import type { CallLogRow } from '../domain/call-log';
import { formatDuration } from '../domain/call-log';
import { isDtmfTone } from '../domain/dial-string';
import {
  phoneActions,
  registrationStatus,
  type Call,
  type Notice,
  type PhoneState,
} from '../domain/phone-state';
import { byId, setText, show } from './dom';
import { Keypad } from './keypad';
import { Ringer } from './ringer';

const TITLE = 'Web phone';

function callOf(state: PhoneState): Call {
  return state.kind === 'signed-in' ? state.call : { kind: 'idle' };
}

function noticeOf(state: PhoneState): Notice | undefined {
  return state.kind === 'signing-in' ? undefined : state.notice;
}

function callHeading(call: Call): string {
  switch (call.kind) {
    case 'outgoing':
      return call.ringing ? `Ringing ${call.remote}…` : `Calling ${call.remote}…`;
    case 'answering':
      return `Connecting to ${call.remote}…`;
    case 'active':
      return call.held ? `On hold: ${call.remote}` : `In call with ${call.remote}`;
    case 'ending':
      return `Ending the call with ${call.remote}…`;
    default:
      return '';
  }
}

/**
 * Renders the phone's state into the page (index.html holds the markup) and turns the user's
 * clicks and keys into PhoneApp commands. Moves focus where the next action is: the number
 * after sign-in, Answer when a call rings, Hang up once connected.
 */
export class PhoneView implements PhoneAppListener {
  readonly #el = {
    registration: byId('registration', HTMLParagraphElement),
    alert: byId('alert', HTMLParagraphElement),
    info: byId('info', HTMLParagraphElement),
    announcer: byId('announcer', HTMLParagraphElement),
    signIn: byId('sign-in', HTMLElement),
    signInForm: byId('sign-in-form', HTMLFormElement),
    username: byId('username', HTMLInputElement),
    usernameError: byId('username-error', HTMLParagraphElement),
    password: byId('password', HTMLInputElement),
    signInButton: byId('sign-in-button', HTMLButtonElement),
    phone: byId('phone', HTMLElement),
    account: byId('account', HTMLSpanElement),
    signOut: byId('sign-out', HTMLButtonElement),
    incoming: byId('incoming', HTMLElement),
    incomingFrom: byId('incoming-from', HTMLParagraphElement),
    answer: byId('answer', HTMLButtonElement),
    decline: byId('decline', HTMLButtonElement),
    call: byId('call', HTMLElement),
    callTitle: byId('call-title', HTMLHeadingElement),
    callState: byId('call-state', HTMLSpanElement),
    callTimer: byId('call-timer', HTMLSpanElement),
    hold: byId('hold', HTMLButtonElement),
    mute: byId('mute', HTMLButtonElement),
    hangUp: byId('hang-up', HTMLButtonElement),
    lastTone: byId('last-tone', HTMLParagraphElement),
    dialForm: byId('dial-form', HTMLFormElement),
    number: byId('number', HTMLInputElement),
    numberError: byId('number-error', HTMLParagraphElement),
    callButton: byId('call-button', HTMLButtonElement),
    refreshLog: byId('refresh-log', HTMLButtonElement),
    logStatus: byId('log-status', HTMLParagraphElement),
    logTable: byId('log-table', HTMLTableElement),
    logRows: byId('log-rows', HTMLTableSectionElement),
  };
  readonly #ringer = new Ringer();
  readonly #keypad: Keypad;
  #app: PhoneApp | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.#keypad = new Keypad((key) => this.#onKey(key));
  }

  bind(app: PhoneApp): void {
    this.#app = app;
    const el = this.#el;
    el.signInForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#ringer.prepare();
      void app.signIn(el.username.value, el.password.value);
    });
    el.signOut.addEventListener('click', () => void app.signOut());
    el.dialForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (phoneActions(app.state).dial) void app.dial(el.number.value);
    });
    el.answer.addEventListener('click', () => void app.answer());
    el.decline.addEventListener('click', () => app.decline());
    el.hangUp.addEventListener('click', () => app.hangUp());
    el.hold.addEventListener('click', () => {
      const actions = phoneActions(app.state);
      if (actions.hold || actions.resume) void app.setHold(actions.hold);
    });
    el.mute.addEventListener('click', () => {
      const actions = phoneActions(app.state);
      if (actions.mute || actions.unmute) app.setMuted(actions.mute);
    });
    el.refreshLog.addEventListener('click', () => void app.refreshCallLog());
    el.logRows.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-dial]');
      if (button?.dataset.dial && phoneActions(app.state).dial) {
        el.number.value = button.dataset.dial;
        void app.dial(button.dataset.dial);
      }
    });
    // During a call, digit keys typed anywhere but in a text field send tones.
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement | null;
      if (target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey)
        return;
      if (phoneActions(app.state).sendTone && isDtmfTone(event.key)) {
        event.preventDefault();
        app.sendTone(event.key);
      }
    });
    this.phoneChanged(app.state, app.state);
  }

  phoneChanged(previous: PhoneState, next: PhoneState): void {
    const el = this.#el;
    const actions = phoneActions(next);
    const call = callOf(next);
    const before = callOf(previous);

    setText(el.registration, registrationStatus(next));
    el.registration.dataset.state =
      next.kind === 'signed-in'
        ? next.connection.kind === 'connected'
          ? next.registration
          : 'lost'
        : next.kind;
    const notice = noticeOf(next);
    setText(el.alert, notice?.level === 'error' ? notice.text : '');
    setText(el.info, notice?.level === 'info' ? notice.text : '');

    show(el.signIn, next.kind !== 'signed-in');
    show(el.phone, next.kind === 'signed-in');
    const busy = next.kind === 'signing-in';
    el.signInButton.disabled = busy;
    el.username.readOnly = busy;
    el.password.readOnly = busy;
    setText(el.signInButton, busy ? 'Signing in…' : 'Sign in');
    if (next.kind === 'signed-in') setText(el.account, `Signed in as ${aorText(next.account)}`);

    show(el.incoming, call.kind === 'incoming');
    if (call.kind === 'incoming') setText(el.incomingFrom, `From ${call.remote}`);
    el.answer.disabled = !actions.answer;
    el.decline.disabled = !actions.decline;

    const inCall =
      call.kind === 'outgoing' ||
      call.kind === 'answering' ||
      call.kind === 'active' ||
      call.kind === 'ending';
    show(el.call, inCall);
    setText(el.callTitle, callHeading(call));
    setText(el.callState, call.kind === 'active' && call.muted ? 'Microphone muted' : '');
    el.hangUp.disabled = !actions.hangUp;
    el.hold.disabled = !(actions.hold || actions.resume);
    setText(el.hold, call.kind === 'active' && call.held ? 'Resume' : 'Hold');
    el.mute.disabled = !(actions.mute || actions.unmute);
    setText(el.mute, call.kind === 'active' && call.muted ? 'Unmute' : 'Mute');
    setText(
      el.lastTone,
      call.kind === 'active' && call.lastTone ? `Tone sent: ${call.lastTone}` : '',
    );
    el.callButton.disabled = !actions.dial;
    this.#keypad.setMode(actions.sendTone ? 'tones' : call.kind === 'idle' ? 'dial' : 'off');
    this.#renderLogActions(actions.dial);
    this.#tick(call);

    const announcement = callAnnouncement(before, call);
    if (announcement !== undefined) setText(el.announcer, announcement);

    if (call.kind === 'incoming') this.#ringer.start();
    else this.#ringer.stop();
    document.title =
      call.kind === 'incoming' ? `Incoming call from ${call.remote} – ${TITLE}` : TITLE;

    this.#moveFocus(previous, next, before, call);
  }

  callLogChanged(log: CallLogState): void {
    const el = this.#el;
    const status =
      log.kind === 'loading'
        ? 'Loading the call log…'
        : log.kind === 'failed'
          ? `The call log could not be loaded: ${log.message}`
          : log.kind === 'loaded' && log.rows.length === 0
            ? 'No calls yet.'
            : '';
    setText(el.logStatus, status);
    el.refreshLog.disabled = log.kind === 'loading';
    if (log.kind === 'idle') {
      el.logRows.replaceChildren();
      el.logTable.hidden = true;
      return;
    }
    if (log.kind !== 'loaded') return;
    el.logRows.replaceChildren(...log.rows.map((row) => this.#logRow(row)));
    el.logTable.hidden = log.rows.length === 0;
    this.#renderLogActions(this.#app ? phoneActions(this.#app.state).dial : false);
  }

  fieldError(field: 'account' | 'number', message: string | undefined): void {
    const input = field === 'account' ? this.#el.username : this.#el.number;
    const error = field === 'account' ? this.#el.usernameError : this.#el.numberError;
    setText(error, message ?? '');
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
    if (message) input.focus();
  }

  #logRow(row: CallLogRow): HTMLTableRowElement {
    const tr = document.createElement('tr');
    if (row.missed) tr.className = 'missed';
    const cell = (text: string): HTMLTableCellElement => {
      const td = document.createElement('td');
      td.textContent = text;
      return td;
    };
    const when = document.createElement('td');
    const time = document.createElement('time');
    time.dateTime = row.startedAt;
    time.textContent = new Date(row.startedAt).toLocaleString();
    when.append(time);
    const action = document.createElement('td');
    if (row.dialBack) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.dial = row.dialBack;
      button.textContent = 'Call back';
      button.setAttribute('aria-label', `Call back ${row.party}`);
      action.append(button);
    }
    tr.append(
      cell(row.missed ? 'Missed' : row.direction === 'outgoing' ? 'Outgoing' : 'Incoming'),
      cell(row.party),
      when,
      cell(row.duration),
      cell(row.result),
      action,
    );
    return tr;
  }

  #renderLogActions(dial: boolean): void {
    for (const button of this.#el.logRows.querySelectorAll<HTMLButtonElement>(
      'button[data-dial]',
    )) {
      button.disabled = !dial;
    }
  }

  #onKey(key: string): void {
    const app = this.#app;
    if (app === undefined) return;
    const actions = phoneActions(app.state);
    if (actions.sendTone) {
      app.sendTone(key);
    } else if (callOf(app.state).kind === 'idle') {
      this.#el.number.value += key;
    }
  }

  /** The call's running time; not a live region, or it would be read out every second. */
  #tick(call: Call): void {
    const el = this.#el;
    if (call.kind !== 'active') {
      clearInterval(this.#timer);
      this.#timer = undefined;
      setText(el.callTimer, '');
      return;
    }
    const update = (): void =>
      setText(el.callTimer, formatDuration((Date.now() - call.since) / 1000));
    update();
    clearInterval(this.#timer);
    this.#timer = setInterval(update, 1_000);
  }

  #moveFocus(previous: PhoneState, next: PhoneState, before: Call, call: Call): void {
    const el = this.#el;
    const active = document.activeElement;
    const lost =
      active === null ||
      active === document.body ||
      (active instanceof HTMLElement && active.closest('[hidden]') !== null);
    if (next.kind === 'signed-out' && previous.kind !== 'signed-out') {
      if (next.notice?.level === 'error' && previous.kind === 'signing-in') {
        el.password.focus();
        el.password.select();
      } else {
        el.username.focus();
      }
      return;
    }
    if (next.kind === 'signed-in' && previous.kind !== 'signed-in') {
      el.number.focus();
      return;
    }
    if (call.kind === 'incoming' && before.kind !== 'incoming') el.answer.focus();
    else if (call.kind === 'active' && before.kind !== 'active') el.hangUp.focus();
    else if (call.kind === 'outgoing' && before.kind === 'idle') el.hangUp.focus();
    else if (call.kind === 'idle' && before.kind !== 'idle' && lost) el.number.focus();
  }
}
