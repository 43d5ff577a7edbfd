// The MediaSession of the relay: the one object call control talks to for a call's media. It
// keeps the offer/answer state (RFC 3264) and runs operations one at a time; the work is done by
// the parts it coordinates: SessionLegs (the legs each side uses), PlainNegotiation and
// BridgedNegotiation (the two ways of negotiating), and SessionEnding (ending on its own).
import { SdpOriginator, badSdp } from '@pbx/rtp';
import {
  type MediaAnswerOptions,
  type MediaEndReason,
  type MediaOfferOptions,
  type MediaSession,
  type MediaSessionStats,
  type MediaSide,
  MediaError,
  MediaErrorCode,
} from '@pbx/telephony';
import { BridgedNegotiation } from './bridged-negotiation';
import type { NegotiationScope } from './negotiation-scope';
import { PendingOffer, kindOfSdp, otherSide } from './pending-offer';
import { PlainNegotiation } from './plain-negotiation';
import { SessionEnding } from './session-ending';
import { SessionLegs, type SessionLegsContext } from './session-legs';

/** What a session needs from the media control that made it. */
export interface RelaySessionContext extends SessionLegsContext {
  /** Address written into SDP (PBX_MEDIA_PUBLIC_IP). */
  readonly publicAddress: string;
  /** Called once, when the session has closed. */
  readonly closed: (session: RelaySession) => void;
}

/**
 * One call's media anchored in the platform: a leg facing each side, plain RTP (a port pair) or
 * WebRTC (ICE-lite, DTLS-SRTP, rtcp-mux on one port), and the offer/answer state between the
 * sides (RFC 3264). Two plain legs relay socket to socket with payload types untouched, as the
 * relay always did; any other pair is bridged through a StreamTranslator each way, which maps
 * payload types and transcodes only when the sides share no codec. An offer may have an
 * alternative per kind of leg (forks to a phone and a browser); the answer picks one. Operations
 * run one at a time, in the order they were called.
 */
export class RelaySession implements MediaSession {
  readonly #context: RelaySessionContext;
  readonly #legs: SessionLegs;
  readonly #plain: PlainNegotiation;
  readonly #bridged: BridgedNegotiation;
  readonly #ending: SessionEnding;
  /** The o= origin of what is sent to each side. */
  readonly #origins: Record<MediaSide, SdpOriginator>;
  #pending: PendingOffer | null = null;
  #established = false;
  #closing: Promise<void> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly callId: string,
    context: RelaySessionContext,
  ) {
    this.#context = context;
    this.#origins = {
      caller: new SdpOriginator(context.publicAddress),
      callee: new SdpOriginator(context.publicAddress),
    };
    this.#ending = new SessionEnding(() => void this.close());
    this.#legs = new SessionLegs(context, {
      holds: (leg) => this.#pending?.holds(leg) ?? false,
      closedError: () => (this.closed ? this.#closedError() : null),
      // A failed handshake leaves the call without media once both sides have a leg: it ends.
      legFailed: () => this.#ending.endAfterHandshakeFailure(() => this.#legs.complete),
    });
    const scope: NegotiationScope = {
      callId,
      publicAddress: context.publicAddress,
      legs: this.#legs,
      origins: this.#origins,
    };
    this.#plain = new PlainNegotiation(scope);
    this.#bridged = new BridgedNegotiation(scope);
  }

  offer(from: MediaSide, sdp: string, options: MediaOfferOptions = {}): Promise<string> {
    return this.#serialize(async () => {
      const to = otherSide(from);
      const kind = options.to ?? this.#legs.of(to)?.kind ?? 'rtp';
      let pending = this.#pending;
      if (pending === null || !pending.repeats(from, sdp)) pending = new PendingOffer(from, sdp);
      const known = pending.alternative(kind);
      if (known !== undefined) return known.sdp;
      const alternative =
        pending.kind === 'rtp' && kind === 'rtp'
          ? await this.#plain.offer(pending)
          : await this.#bridged.offer(pending, kind);
      if (this.#pending !== pending) {
        // A new offer: the previous one's alternatives that no side took are given back.
        await this.#dropPending();
        this.#pending = pending;
      }
      pending.add(alternative);
      return alternative.sdp;
    });
  }

  answer(from: MediaSide, sdp: string, options: MediaAnswerOptions = {}): Promise<string> {
    return this.#serialize(async () => {
      const to = otherSide(from);
      const pending = this.#pending;
      if (pending === null || pending.from !== to) {
        throw badSdp(`an answer from the ${from} with no offer from the ${to} waiting for it`);
      }
      const kind = kindOfSdp(sdp);
      const alternative = pending.alternative(kind);
      if (alternative === undefined) {
        throw badSdp(`a ${kind} answer to an offer made for ${pending.kinds().join(', ')} legs`);
      }
      const document =
        'negotiation' in alternative
          ? await this.#plain.answer(pending, alternative, sdp)
          : await this.#bridged.answer(pending, alternative, sdp);
      this.#established = true;
      // The RTP timeout counts from the latest negotiation: media may only now start flowing.
      this.#legs.activity.at = this.#context.clock();
      if (options.provisional !== true) {
        await pending.settle(this.#legs.inUse(), (leg) => this.#legs.free(leg));
      }
      return this.#origins[to].stamp(document);
    });
  }

  onEnded(listener: (reason: MediaEndReason) => void): void {
    this.#ending.onEnded(listener);
  }

  stats(): MediaSessionStats {
    return this.#legs.stats();
  }

  close(): Promise<void> {
    this.#closing ??= this.#release();
    return this.#closing;
  }

  /** True once closed or closing. */
  get closed(): boolean {
    return this.#closing !== null;
  }

  /**
   * Ends the session when no packet arrived for `timeoutMs` while media should flow: negotiated,
   * and not on hold (both sides sendrecv, RFC 3264 §8.4). Returns true when it ended it.
   */
  expireIfSilent(now: number, timeoutMs: number): boolean {
    if (this.closed || !this.#established || this.#legs.onHold) return false;
    if (now - this.#legs.activity.at < timeoutMs) return false;
    this.#context.counters.rtpTimeouts++;
    this.#ending.end('rtp-timeout');
    return true;
  }

  async #dropPending(): Promise<void> {
    const pending = this.#pending;
    this.#pending = null;
    await pending?.abandon(this.#legs.inUse(), (leg) => this.#legs.free(leg));
  }

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw this.#closedError();
      return operation();
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #closedError(): MediaError {
    return new MediaError(MediaErrorCode.Closed, `media session of call ${this.callId} is closed`);
  }

  async #release(): Promise<void> {
    const alternatives = this.#pending?.legs() ?? [];
    this.#pending = null;
    // Every leg stops at once; the session is forgotten only once their ports are back.
    const released = this.#legs.releaseAll(alternatives);
    try {
      await released;
    } finally {
      this.#context.closed(this);
    }
  }
}
