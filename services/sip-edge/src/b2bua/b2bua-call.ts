/**
 * One call through the back-to-back user agent (RFC 3261 section 6; RFC 7092), as a coordinator
 * of parts sharing one CallLegs: CallConnector runs the connect phase, InDialogRelay passes
 * in-dialog requests across, CallerSessionRefresher keeps the caller's session timer (RFC 4028)
 * and CallTeardown ends the call (RFC 3261 15).
 */
import { buildResponse, type ServerRequest } from '@pbx/sip';
import type { CallEndCause, CallOrigin } from '@pbx/telephony';
import type { B2buaContext } from './b2bua-context';
import { CallConnector } from './call-connector';
import { CallLegs, type CallState } from './call-legs';
import { ALLOW } from './call-messages';
import { CallTeardown } from './call-teardown';
import { CallerSessionRefresher } from './caller-session-refresher';
import type { DialogOwner, LegSide } from './dialog-registry';
import { InDialogRelay } from './in-dialog-relay';

/**
 * The caller's INVITE (leg A, where the edge is the UAS) bridged to the callee's leg B (where it
 * is the UAC, forking to every registered contact). Media is anchored by the media service;
 * routing records what happens.
 */
export class B2buaCall implements DialogOwner {
  readonly #legs: CallLegs;
  readonly #teardown: CallTeardown;
  readonly #connector: CallConnector;
  readonly #relay: InDialogRelay;
  readonly #refresher: CallerSessionRefresher;

  constructor(ctx: B2buaContext, invite: ServerRequest) {
    this.#legs = new CallLegs(ctx, invite, this);
    this.#teardown = new CallTeardown(this.#legs);
    this.#connector = new CallConnector(this.#legs, this.#teardown);
    this.#relay = new InDialogRelay(this.#legs, this.#teardown);
    this.#refresher = new CallerSessionRefresher(this.#legs, this.#teardown);
  }

  /** The platform's id of the call, as reported to routing. */
  get callId(): string {
    return this.#legs.callId;
  }

  get state(): CallState {
    return this.#legs.state;
  }

  /** Routes the call and starts ringing the callee. */
  async start(origin: CallOrigin): Promise<void> {
    const legs = this.#legs;
    legs.ctx.calls.add(this);
    legs.invite.onCancel(() => this.#connector.onCallerCancel());
    const rejected = this.#refresher.negotiate();
    if (rejected) return;
    await this.#connector.route(origin);
  }

  /** Ends an answered (or ringing) call from the platform's side: BYE to both legs. */
  hangUp(cause: CallEndCause): void {
    this.#teardown.hangUp(cause);
  }

  /** Shutdown of the edge: every call ends. */
  shutdown(): void {
    this.hangUp('failed');
  }

  onInDialogRequest(side: LegSide, request: ServerRequest): void {
    const method = request.request.method;
    switch (method) {
      case 'ACK':
        this.#connector.onAck(side, request);
        return;
      case 'BYE':
        this.#teardown.onBye(side, request);
        return;
      case 'INVITE':
        void this.#relay.relayReinvite(side, request);
        return;
      case 'UPDATE':
        this.#relay.onUpdate(side, request);
        return;
      case 'INFO':
        this.#relay.relayInfo(side, request);
        return;
      case 'OPTIONS':
        request.respond(buildResponse(request.request, 200, { headers: [['Allow', ALLOW]] }));
        return;
      default:
        request.respond(buildResponse(request.request, 405, { headers: [['Allow', ALLOW]] }));
    }
  }
}
