// Offer and answer for any pair of legs other than two plain ones (a browser on either side): each
// SDP read into the audio model, the formats chosen per side, the platform's SDP written from the
// model (with ICE and DTLS for a WebRTC leg) and each leg configured from its side's SDP. The
// legs are then bridged through translators, which transcode only when the sides share no codec.
import {
  type AudioDescription,
  type AudioFormat,
  type DtlsSetup,
  type LocalAudioStream,
  type MediaDirection,
  type SdpDocument,
  acceptedFormats,
  badSdp,
  buildAudioSdp,
  formatsForAnswer,
  formatsForOffer,
  parseAudioDescription,
} from '@pbx/rtp';
import type { MediaLegKind } from '@pbx/telephony';
import type { MediaLeg } from '../bridge/media-leg';
import { WebRtcEndpoint } from '../webrtc/webrtc-endpoint';
import type { NegotiationScope } from './negotiation-scope';
import { type BridgedAlternative, type PendingOffer, otherSide } from './pending-offer';
import { RelayEndpoint } from './relay-endpoint';

/** The packet time the platform asks of phones it writes an offer for. */
const DEFAULT_PTIME = 20;

export class BridgedNegotiation {
  readonly #scope: NegotiationScope;

  constructor(scope: NegotiationScope) {
    this.#scope = scope;
  }

  /** The offer's version for a leg of `kind` facing the other side. Throws MediaError. */
  async offer(pending: PendingOffer, kind: MediaLegKind): Promise<BridgedAlternative> {
    const { legs, origins } = this.#scope;
    const to = otherSide(pending.from);
    const description = pending.description();
    if (description.kind === 'rtp') {
      legs.checkFamily(description.remote);
      legs.learn(pending.from, description.remote);
    }
    const offered = formatsForOffer(description.formats, kind);
    const leg = await legs.legOfKind(to, kind);
    const document = buildAudioSdp({
      ...this.#localStream(leg, offered, description.remote.direction, undefined),
      ptime: kind === 'rtp' ? (description.ptime ?? DEFAULT_PTIME) : undefined,
    });
    return { kind, leg, sdp: origins[to].stamp(document), offered };
  }

  /**
   * Applies the answer to `alternative`: formats chosen for both sides, both legs configured
   * (the offerer's taken now if it has none of its kind) and bridged. Returns the answer for the
   * offerer, not yet stamped. Throws MediaError.
   */
  async answer(
    pending: PendingOffer,
    alternative: BridgedAlternative,
    sdp: string,
  ): Promise<SdpDocument> {
    const legs = this.#scope.legs;
    const offerer = pending.from;
    const answerer = otherSide(offerer);
    const answer = parseAudioDescription(sdp);
    if (answer.mediaLines.length !== 1 || answer.audioIndex !== 0) {
      throw badSdp('the answer does not answer the one audio stream offered (RFC 3264 §6)');
    }
    const accepted = acceptedFormats(alternative.offered, answer.formats);
    const offer = pending.description();
    const forOfferer = formatsForAnswer(offer.formats, accepted);
    if (answer.kind === 'rtp') legs.checkFamily(answer.remote);
    const offererLeg = await legs.legOfKind(offerer, offer.kind);
    configure(alternative.leg, answer);
    configure(offererLeg, offer);
    legs.use(answerer, alternative.leg);
    legs.use(offerer, offererLeg);
    legs.heard(answerer, answer.remote.direction);
    legs.heard(offerer, offer.remote.direction);
    legs.link(
      answerer === 'caller'
        ? { caller: accepted, callee: forOfferer }
        : { caller: forOfferer, callee: accepted },
    );
    return buildAudioSdp(
      {
        ...this.#localStream(
          offererLeg,
          forOfferer,
          answer.remote.direction,
          offer.transport?.setup,
        ),
        ptime: offer.kind === 'rtp' ? offer.ptime : undefined,
      },
      offer,
    );
  }

  #localStream(
    leg: MediaLeg,
    formats: readonly AudioFormat[],
    direction: MediaDirection,
    answering: DtlsSetup | undefined,
  ): LocalAudioStream {
    const base = {
      kind: leg.kind,
      address: this.#scope.publicAddress,
      rtpPort: leg.rtpPort,
      formats,
      direction,
    };
    if (!(leg instanceof WebRtcEndpoint)) return base;
    return {
      ...base,
      secure: {
        iceUfrag: leg.ice.ufrag,
        icePwd: leg.ice.pwd,
        candidates: leg.candidates,
        fingerprint: leg.fingerprint,
        setup: leg.setupFor(answering),
        msid: `pbx-${this.#scope.callId.slice(0, 8)}`,
        ssrc: leg.outbound.ssrc,
      },
    };
  }
}

/**
 * Applies a side's SDP to its leg: where a plain side receives; a browser's ICE and DTLS, with
 * the platform as DTLS client when the browser is passive, else as server.
 */
function configure(leg: MediaLeg, description: AudioDescription): void {
  if (leg instanceof WebRtcEndpoint && description.transport !== undefined) {
    leg.configure(
      {
        iceUfrag: description.transport.iceUfrag,
        fingerprints: description.transport.fingerprints,
      },
      description.transport.setup === 'passive' ? 'client' : 'server',
    );
  } else if (leg instanceof RelayEndpoint) {
    leg.expect(description.remote);
  }
}
