// Offer and answer between two plain RTP sides: the relay's rewrite of each SDP (RFC 3264), with
// payload types passed untranslated and the two port pairs linked socket to socket. Each SDP is
// negotiated before a port is taken, so that a bad one costs no port, and rendered once the leg
// that it describes the platform's end of has its ports.
import {
  type LocalMedia,
  type SdpDocument,
  negotiateAudioAnswer,
  negotiateAudioOffer,
} from '@pbx/rtp';
import type { MediaSide } from '@pbx/telephony';
import type { MediaLeg } from '../bridge/media-leg';
import type { NegotiationScope } from './negotiation-scope';
import { type PendingOffer, type PlainAlternative, otherSide } from './pending-offer';

export class PlainNegotiation {
  readonly #scope: NegotiationScope;

  constructor(scope: NegotiationScope) {
    this.#scope = scope;
  }

  /** The offer's version for a plain leg facing the other side. Throws MediaError. */
  async offer(pending: PendingOffer): Promise<PlainAlternative> {
    const { legs, origins } = this.#scope;
    const to = otherSide(pending.from);
    const negotiated = negotiateAudioOffer(pending.sdp);
    legs.checkFamily(negotiated.remote);
    const leg = await legs.legOfKind(to, 'rtp');
    const document = negotiated.render(this.#local(leg));
    legs.learn(pending.from, negotiated.remote);
    return {
      kind: 'rtp',
      leg,
      sdp: origins[to].stamp(document),
      negotiation: negotiated.negotiation,
    };
  }

  /**
   * Applies the answer to `alternative`: the answerer's leg is the alternative's, the offerer's
   * is taken now if it has none, and the two are linked. Returns the answer for the offerer,
   * not yet stamped. Throws MediaError.
   */
  async answer(
    pending: PendingOffer,
    alternative: PlainAlternative,
    sdp: string,
  ): Promise<SdpDocument> {
    const { legs } = this.#scope;
    const offerer = pending.from;
    const answerer = otherSide(offerer);
    const negotiated = negotiateAudioAnswer(sdp, alternative.negotiation);
    legs.checkFamily(negotiated.remote);
    const document = negotiated.render(this.#local(await this.#legFacing(offerer)));
    legs.use(answerer, alternative.leg);
    legs.learn(answerer, negotiated.remote);
    legs.link(null);
    return document;
  }

  /** The plain leg facing `side`, taking a port pair for it if it has none. */
  async #legFacing(side: MediaSide): Promise<MediaLeg> {
    const legs = this.#scope.legs;
    const current = legs.of(side);
    if (current?.kind === 'rtp') return current;
    const leg = await legs.allocate(side, 'rtp');
    legs.use(side, leg);
    return leg;
  }

  #local(leg: MediaLeg): LocalMedia {
    return { address: this.#scope.publicAddress, rtpPort: leg.rtpPort, rtcpPort: leg.rtcpPort };
  }
}
