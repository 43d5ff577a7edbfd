// An offer waiting for its answer, with one version per kind of leg it was asked for (a call
// forked to a phone and a browser is offered plain RTP and WebRTC at once). Kept as its own
// object so that which legs an open offer holds, and which it gives back when it settles or is
// replaced, is decided in one place.
import {
  type AudioDescription,
  type AudioFormat,
  type AudioNegotiation,
  parseAudioDescription,
} from '@pbx/rtp';
import type { MediaLegKind, MediaSide } from '@pbx/telephony';
import type { MediaLeg } from '../bridge/media-leg';

const AUDIO_LINE = /^m=audio [1-9]\d* (\S+)/m;

export function otherSide(side: MediaSide): MediaSide {
  return side === 'caller' ? 'callee' : 'caller';
}

/** The kind of leg an SDP body describes: DTLS-SRTP profiles are WebRTC, anything else RTP. */
export function kindOfSdp(sdp: string): MediaLegKind {
  const proto = AUDIO_LINE.exec(sdp)?.[1]?.toUpperCase() ?? 'RTP/AVP';
  return proto.startsWith('UDP/TLS/') ? 'webrtc' : 'rtp';
}

interface OfferedVersion {
  readonly kind: MediaLegKind;
  /** The leg facing the receiving side that this version was written for. */
  readonly leg: MediaLeg;
  /** The offer as sent (an alternative is asked for again with the same offer). */
  readonly sdp: string;
}

/** Plain RTP on both sides: the relay's rewrite, payload types untranslated. */
export interface PlainAlternative extends OfferedVersion {
  readonly negotiation: AudioNegotiation;
}

/** Any other pair: the formats the platform offered the leg. */
export interface BridgedAlternative extends OfferedVersion {
  readonly offered: readonly AudioFormat[];
}

/** One offer's version for a kind of leg on the receiving side. */
export type Alternative = PlainAlternative | BridgedAlternative;

export class PendingOffer {
  /** The kind of leg the offerer speaks. */
  readonly kind: MediaLegKind;
  readonly #alternatives = new Map<MediaLegKind, Alternative>();
  #description: AudioDescription | null = null;

  constructor(
    readonly from: MediaSide,
    readonly sdp: string,
  ) {
    this.kind = kindOfSdp(sdp);
  }

  /** The same offer again (another fork asking for its kind): its alternatives still apply. */
  repeats(from: MediaSide, sdp: string): boolean {
    return this.from === from && this.sdp === sdp;
  }

  /** The offer read into the model the bridge works from, parsed once. Throws MediaError. */
  description(): AudioDescription {
    return (this.#description ??= parseAudioDescription(this.sdp));
  }

  alternative(kind: MediaLegKind): Alternative | undefined {
    return this.#alternatives.get(kind);
  }

  add(alternative: Alternative): void {
    this.#alternatives.set(alternative.kind, alternative);
  }

  kinds(): MediaLegKind[] {
    return [...this.#alternatives.keys()];
  }

  holds(leg: MediaLeg): boolean {
    for (const alternative of this.#alternatives.values()) if (alternative.leg === leg) return true;
    return false;
  }

  legs(): MediaLeg[] {
    return [...this.#alternatives.values()].map((alternative) => alternative.leg);
  }

  /**
   * A final answer: the alternatives whose leg no side took (`inUse` is the legs in use when it
   * came) are given back and forgotten.
   */
  async settle(
    inUse: ReadonlySet<MediaLeg>,
    free: (leg: MediaLeg) => Promise<void>,
  ): Promise<void> {
    for (const [kind, alternative] of this.#alternatives) {
      if (inUse.has(alternative.leg)) continue;
      this.#alternatives.delete(kind);
      await free(alternative.leg);
    }
  }

  /** A new offer replaced this one: the alternatives whose leg no side took are given back. */
  async abandon(
    inUse: ReadonlySet<MediaLeg>,
    free: (leg: MediaLeg) => Promise<void>,
  ): Promise<void> {
    for (const alternative of this.#alternatives.values()) {
      if (!inUse.has(alternative.leg)) await free(alternative.leg);
    }
  }
}
