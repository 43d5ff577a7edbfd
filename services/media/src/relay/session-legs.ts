// The legs of one session and what the sides said about themselves: which leg each side uses,
// where a plain side receives, the direction each asked for, what each sent. Negotiation decides
// what goes here; this keeps the invariants of holding legs: a replaced leg's ports go back
// unless an offer still holds it, and every leased pair goes back on close.
import { isIPv6 } from 'node:net';
import { type MediaDirection, type RemoteMedia, badSdp } from '@pbx/rtp';
import type { MediaLegKind, MediaSessionStats, MediaSide } from '@pbx/telephony';
import type { MediaLeg } from '../bridge/media-leg';
import type { TranslationCounters } from '../bridge/stream-translator';
import { type SideFormats, linkLegs } from './leg-linker';
import {
  MediaLegFactory,
  type MediaLegFactoryContext,
  type MediaLegOwner,
} from './media-leg-factory';
import { ActivityClock, DirectionCounter } from './relay-counters';
import { RelayEndpoint } from './relay-endpoint';

/** What the legs of a session need from the media control. */
export interface SessionLegsContext extends MediaLegFactoryContext {
  /** Whether the sockets are IPv6 ones (PBX_MEDIA_HOST). */
  readonly ipv6: boolean;
  readonly translation: TranslationCounters;
}

/** What the legs need from their session, beyond making legs. */
export interface SessionLegsOwner extends MediaLegOwner {
  /** An offer not yet settled still holds this leg as one of its alternatives. */
  readonly holds: (leg: MediaLeg) => boolean;
}

export class SessionLegs {
  /** When a packet last arrived from either side (the RTP timeout reads it). */
  readonly activity = new ActivityClock();
  /** The leg each side uses now (the offerer's too, once its offer was answered). */
  readonly #legs: Record<MediaSide, MediaLeg | null> = { caller: null, callee: null };
  /** Where a plain RTP side receives, as its latest SDP said. */
  readonly #remote: Record<MediaSide, RemoteMedia | null> = { caller: null, callee: null };
  readonly #direction: Record<MediaSide, MediaDirection | null> = { caller: null, callee: null };
  readonly #received: Record<MediaSide, DirectionCounter> = {
    caller: new DirectionCounter(),
    callee: new DirectionCounter(),
  };
  readonly #context: SessionLegsContext;
  readonly #owner: SessionLegsOwner;
  readonly #factory: MediaLegFactory;

  constructor(context: SessionLegsContext, owner: SessionLegsOwner) {
    this.#context = context;
    this.#owner = owner;
    this.#factory = new MediaLegFactory(context, this.activity, owner);
  }

  /** The leg `side` uses now; null before its first offer/answer completed. */
  of(side: MediaSide): MediaLeg | null {
    return this.#legs[side];
  }

  /** Both sides have a leg: media can flow, or a failed leg leaves the call without it. */
  get complete(): boolean {
    return this.#legs.caller !== null && this.#legs.callee !== null;
  }

  /** The legs the sides use now. */
  inUse(): Set<MediaLeg> {
    const legs = new Set<MediaLeg>();
    for (const leg of [this.#legs.caller, this.#legs.callee]) if (leg !== null) legs.add(leg);
    return legs;
  }

  /** Either side asked for something other than sendrecv (RFC 3264 §8.4 hold). */
  get onHold(): boolean {
    return this.#direction.caller !== 'sendrecv' || this.#direction.callee !== 'sendrecv';
  }

  stats(): MediaSessionStats {
    const { caller, callee } = this.#received;
    return {
      fromCaller: { packets: caller.packets, bytes: caller.bytes },
      fromCallee: { packets: callee.packets, bytes: callee.bytes },
    };
  }

  /** A new leg facing `side`; it becomes the side's leg only through use(). */
  allocate(side: MediaSide, kind: MediaLegKind): Promise<MediaLeg> {
    return this.#factory.create(kind, this.#received[side], this.#remote[side]);
  }

  /** The side's leg when it is of `kind` (a re-offer keeps it), else a new one (allocate). */
  async legOfKind(side: MediaSide, kind: MediaLegKind): Promise<MediaLeg> {
    const current = this.#legs[side];
    return current?.kind === kind ? current : this.allocate(side, kind);
  }

  /** `leg` becomes the side's leg; the one it replaces is given back unless an offer holds it. */
  use(side: MediaSide, leg: MediaLeg): void {
    const previous = this.#legs[side];
    if (previous === leg) return;
    this.#legs[side] = leg;
    if (previous !== null && !this.#owner.holds(previous)) void this.free(previous);
  }

  free(leg: MediaLeg): Promise<void> {
    return this.#factory.free(leg);
  }

  /** A plain side sent SDP: its leg sends there and latches again (new offer/answer). */
  learn(side: MediaSide, remote: RemoteMedia): void {
    this.#remote[side] = remote;
    this.#direction[side] = remote.direction;
    const leg = this.#legs[side];
    if (leg instanceof RelayEndpoint) leg.expect(remote);
  }

  /** The direction a side's latest SDP asked for, when learn() did not apply it. */
  heard(side: MediaSide, direction: MediaDirection): void {
    this.#direction[side] = direction;
  }

  /** Throws MediaError BadSdp when the legs' sockets cannot reach where the side receives. */
  checkFamily(remote: RemoteMedia): void {
    for (const destination of [remote.rtp, remote.rtcp]) {
      if (destination !== null && isIPv6(destination.address) !== this.#context.ipv6) {
        throw badSdp(
          `media address ${destination.address} is not of the media host's address family`,
        );
      }
    }
  }

  /**
   * Connects the two legs in use (see linkLegs): `formats` null for two plain legs that relay
   * untranslated.
   */
  link(formats: SideFormats | null): void {
    const { caller, callee } = this.#legs;
    if (caller === null || callee === null) return;
    linkLegs(caller, callee, formats, this.#context.translation);
  }

  /**
   * Stops and forgets every leg in use and `others` (an open offer's alternatives) at once; the
   * returned promise settles once their port pairs are back.
   */
  releaseAll(others: Iterable<MediaLeg>): Promise<void> {
    const legs = this.inUse();
    for (const leg of others) legs.add(leg);
    this.#legs.caller = null;
    this.#legs.callee = null;
    return Promise.all([...legs].map((leg) => this.free(leg))).then(() => undefined);
  }
}
