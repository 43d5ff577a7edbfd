import { isIPv6 } from 'node:net';
import {
  type AudioDescription,
  type AudioFormat,
  type AudioNegotiation,
  type AudioRewrite,
  type DtlsSetup,
  type LocalAudioStream,
  type LocalMedia,
  type MediaDirection,
  type RemoteMedia,
  type RtpPortPool,
  type SdpDocument,
  type UdpPortPair,
  SdpOriginator,
  acceptedFormats,
  badSdp,
  buildAudioSdp,
  formatsForAnswer,
  formatsForOffer,
  parseAudioDescription,
  rewriteAudioAnswer,
  rewriteAudioOffer,
} from '@pbx/rtp';
import {
  type MediaAnswerOptions,
  type MediaEndReason,
  type MediaLegKind,
  type MediaOfferOptions,
  type MediaSession,
  type MediaSessionStats,
  type MediaSide,
  MediaError,
  MediaErrorCode,
} from '@pbx/telephony';
import type { MediaLeg } from '../bridge/media-leg';
import { StreamTranslator, type TranslationCounters } from '../bridge/stream-translator';
import type { DtlsIdentity } from '../webrtc/dtls-identity';
import type { WebRtcCounters } from '../webrtc/webrtc-counters';
import { WebRtcEndpoint } from '../webrtc/webrtc-endpoint';
import { ActivityClock, DirectionCounter, type RelayCounters } from './relay-counters';
import { RelayEndpoint } from './relay-endpoint';

/** What a session needs from the media control that made it. */
export interface RelaySessionContext {
  readonly pool: RtpPortPool<UdpPortPair>;
  /** Address written into SDP (PBX_MEDIA_PUBLIC_IP). */
  readonly publicAddress: string;
  /** Whether the sockets are IPv6 ones (PBX_MEDIA_HOST). */
  readonly ipv6: boolean;
  readonly counters: RelayCounters;
  readonly webrtcCounters: WebRtcCounters;
  readonly translation: TranslationCounters;
  /** The process's DTLS certificate, made on first use. */
  readonly identity: () => Promise<DtlsIdentity>;
  /** ICE host candidate addresses of WebRTC legs, best first. */
  readonly candidateAddresses: readonly string[];
  readonly clock: () => number;
  /** Called once, when the session has closed. */
  readonly closed: (session: RelaySession) => void;
}

/** One offer's version for a kind of leg on the receiving side. */
interface Alternative {
  readonly kind: MediaLegKind;
  readonly leg: MediaLeg;
  /** The offer as sent (an alternative is asked for again with the same offer). */
  readonly sdp: string;
  /** Plain RTP on both sides: the relay's rewrite, payload types untranslated. */
  readonly negotiation?: AudioNegotiation;
  /** Any other pair: the formats the platform offered the leg. */
  readonly offered?: readonly AudioFormat[];
}

interface PendingOffer {
  readonly from: MediaSide;
  readonly sdp: string;
  readonly kind: MediaLegKind;
  description: AudioDescription | null;
  readonly alternatives: Map<MediaLegKind, Alternative>;
}

/** Before a side's endpoint exists, an SDP is checked against these ports (the RFC 863 discard port). */
const PLACEHOLDER_PORTS = { rtpPort: 9, rtcpPort: 10 };

/** How long after a failed DTLS handshake the session ends. */
const FAILURE_GRACE_MS = 50;

/** The packet time the platform asks of phones it writes an offer for. */
const DEFAULT_PTIME = 20;

const AUDIO_LINE = /^m=audio [1-9]\d* (\S+)/m;

function otherSide(side: MediaSide): MediaSide {
  return side === 'caller' ? 'callee' : 'caller';
}

/** The kind of leg an SDP body describes: DTLS-SRTP profiles are WebRTC, anything else RTP. */
function kindOfSdp(sdp: string): MediaLegKind {
  const proto = AUDIO_LINE.exec(sdp)?.[1]?.toUpperCase() ?? 'RTP/AVP';
  return proto.startsWith('UDP/TLS/') ? 'webrtc' : 'rtp';
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
  /** The leg each side uses now (the offerer's too, once its offer was answered). */
  readonly #legs: Record<MediaSide, MediaLeg | null> = { caller: null, callee: null };
  /** Negotiated formats per side; null for both when two plain legs relay untranslated. */
  readonly #formats: Record<MediaSide, readonly AudioFormat[] | null> = {
    caller: null,
    callee: null,
  };
  /** Where a plain RTP side receives, as its latest SDP said. */
  readonly #remote: Record<MediaSide, RemoteMedia | null> = { caller: null, callee: null };
  readonly #direction: Record<MediaSide, MediaDirection | null> = { caller: null, callee: null };
  /** The o= origin of what is sent to each side. */
  readonly #origins: Record<MediaSide, SdpOriginator>;
  readonly #received: Record<MediaSide, DirectionCounter> = {
    caller: new DirectionCounter(),
    callee: new DirectionCounter(),
  };
  readonly #activity = new ActivityClock();
  readonly #listeners: ((reason: MediaEndReason) => void)[] = [];
  #pending: PendingOffer | null = null;
  #established = false;
  #endReason: MediaEndReason | null = null;
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
  }

  offer(from: MediaSide, sdp: string, options: MediaOfferOptions = {}): Promise<string> {
    return this.#serialize(async () => {
      const to = otherSide(from);
      const kind = options.to ?? this.#legs[to]?.kind ?? 'rtp';
      let pending = this.#pending;
      if (pending === null || pending.from !== from || pending.sdp !== sdp) {
        pending = { from, sdp, kind: kindOfSdp(sdp), description: null, alternatives: new Map() };
      }
      const known = pending.alternatives.get(kind);
      if (known !== undefined) return known.sdp;
      const alternative = await this.#alternative(pending, kind);
      if (this.#pending !== pending) {
        // A new offer: the previous one's alternatives that no side took are given back.
        await this.#dropPending();
        this.#pending = pending;
      }
      pending.alternatives.set(kind, alternative);
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
      const alternative = pending.alternatives.get(kind);
      if (alternative === undefined) {
        throw badSdp(
          `a ${kind} answer to an offer made for ${[...pending.alternatives.keys()].join(', ')} legs`,
        );
      }
      const document =
        alternative.negotiation !== undefined
          ? await this.#answerPlain(pending, alternative, alternative.negotiation, sdp)
          : await this.#answerBridged(pending, alternative, sdp);
      this.#established = true;
      // The RTP timeout counts from the latest negotiation: media may only now start flowing.
      this.#activity.at = this.#context.clock();
      if (options.provisional !== true) await this.#settle(pending);
      return this.#origins[to].stamp(document);
    });
  }

  onEnded(listener: (reason: MediaEndReason) => void): void {
    this.#listeners.push(listener);
    const reason = this.#endReason;
    if (reason !== null) queueMicrotask(() => this.#notify(listener, reason));
  }

  stats(): MediaSessionStats {
    const { caller, callee } = this.#received;
    return {
      fromCaller: { packets: caller.packets, bytes: caller.bytes },
      fromCallee: { packets: callee.packets, bytes: callee.bytes },
    };
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
    if (this.closed || !this.#established || this.#onHold()) return false;
    if (now - this.#activity.at < timeoutMs) return false;
    this.#context.counters.rtpTimeouts++;
    this.#end('rtp-timeout');
    return true;
  }

  // Offers.

  async #alternative(pending: PendingOffer, kind: MediaLegKind): Promise<Alternative> {
    const to = otherSide(pending.from);
    if (pending.kind === 'rtp' && kind === 'rtp') {
      const reuse = this.#legs[to]?.kind === 'rtp' ? this.#legs[to] : null;
      // A bad SDP is refused before any port is taken.
      const checked = rewriteAudioOffer(pending.sdp, this.#local(reuse));
      this.#checkFamily(checked.remote);
      const leg = reuse ?? (await this.#allocate(to, 'rtp'));
      const rewrite = reuse === null ? rewriteAudioOffer(pending.sdp, this.#local(leg)) : checked;
      this.#learn(pending.from, rewrite.remote);
      return {
        kind,
        leg,
        sdp: this.#origins[to].stamp(rewrite.document),
        negotiation: rewrite.negotiation,
      };
    }
    const description = (pending.description ??= parseAudioDescription(pending.sdp));
    if (description.kind === 'rtp') {
      this.#checkFamily(description.remote);
      this.#learn(pending.from, description.remote);
    }
    const offered = formatsForOffer(description.formats, kind);
    const current = this.#legs[to];
    const leg = current?.kind === kind ? current : await this.#allocate(to, kind);
    const document = buildAudioSdp({
      ...this.#localStream(leg, offered, description.remote.direction, undefined),
      ptime: kind === 'rtp' ? (description.ptime ?? DEFAULT_PTIME) : undefined,
    });
    return { kind, leg, sdp: this.#origins[to].stamp(document), offered };
  }

  // Answers.

  /** Plain RTP both ways: the relay's rewrite, socket to socket. */
  async #answerPlain(
    pending: PendingOffer,
    alternative: Alternative,
    negotiation: AudioNegotiation,
    sdp: string,
  ): Promise<SdpDocument> {
    const offerer = pending.from;
    const answerer = otherSide(offerer);
    const rewrite = await this.#rewriteFor(offerer, (local) =>
      rewriteAudioAnswer(sdp, negotiation, local),
    );
    this.#use(answerer, alternative.leg);
    this.#learn(answerer, rewrite.remote);
    this.#formats.caller = null;
    this.#formats.callee = null;
    this.#link();
    return rewrite.document;
  }

  /** Rewrites with the plain leg facing `side`, taking its port pair first if it has none. */
  async #rewriteFor(
    side: MediaSide,
    rewrite: (local: LocalMedia) => AudioRewrite,
  ): Promise<AudioRewrite> {
    const existing = this.#legs[side]?.kind === 'rtp' ? this.#legs[side] : null;
    const checked = rewrite(this.#local(existing));
    this.#checkFamily(checked.remote);
    if (existing !== null) return checked;
    const leg = await this.#allocate(side, 'rtp');
    this.#use(side, leg);
    return rewrite(this.#local(leg));
  }

  /** Any other pair: the answer read into the model, formats chosen, both legs configured. */
  async #answerBridged(
    pending: PendingOffer,
    alternative: Alternative,
    sdp: string,
  ): Promise<SdpDocument> {
    const offerer = pending.from;
    const answerer = otherSide(offerer);
    const answer = parseAudioDescription(sdp);
    if (answer.mediaLines.length !== 1 || answer.audioIndex !== 0) {
      throw badSdp('the answer does not answer the one audio stream offered (RFC 3264 §6)');
    }
    const accepted = acceptedFormats(alternative.offered ?? [], answer.formats);
    const offer = (pending.description ??= parseAudioDescription(pending.sdp));
    const forOfferer = formatsForAnswer(offer.formats, accepted);
    if (answer.kind === 'rtp') this.#checkFamily(answer.remote);
    const current = this.#legs[offerer];
    const offererLeg =
      current?.kind === offer.kind ? current : await this.#allocate(offerer, offer.kind);
    this.#configure(
      alternative.leg,
      answer,
      answer.transport?.setup === 'passive' ? 'client' : 'server',
    );
    this.#configure(offererLeg, offer, offer.transport?.setup === 'passive' ? 'client' : 'server');
    this.#use(answerer, alternative.leg);
    this.#use(offerer, offererLeg);
    this.#direction[answerer] = answer.remote.direction;
    this.#direction[offerer] = offer.remote.direction;
    this.#formats[answerer] = accepted;
    this.#formats[offerer] = forOfferer;
    this.#link();
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

  /** Applies a side's SDP to its leg: where a plain side receives, a browser's ICE and DTLS. */
  #configure(leg: MediaLeg, description: AudioDescription, role: 'client' | 'server'): void {
    if (leg instanceof WebRtcEndpoint && description.transport !== undefined) {
      leg.configure(
        {
          iceUfrag: description.transport.iceUfrag,
          fingerprints: description.transport.fingerprints,
        },
        role,
      );
    } else if (leg instanceof RelayEndpoint) {
      leg.expect(description.remote);
    }
  }

  #localStream(
    leg: MediaLeg,
    formats: readonly AudioFormat[],
    direction: MediaDirection,
    answering: DtlsSetup | undefined,
  ): LocalAudioStream {
    const base = {
      kind: leg.kind,
      address: this.#context.publicAddress,
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
        msid: `pbx-${this.callId.slice(0, 8)}`,
        ssrc: leg.outbound.ssrc,
      },
    };
  }

  // Legs.

  /** Relays between the two legs: directly when both are plain and untranslated, else bridged. */
  #link(): void {
    const caller = this.#legs.caller;
    const callee = this.#legs.callee;
    if (caller === null || callee === null) return;
    const plain = this.#formats.caller === null || this.#formats.callee === null;
    if (plain && caller instanceof RelayEndpoint && callee instanceof RelayEndpoint) {
      caller.link(callee);
      return;
    }
    const toCallee = new StreamTranslator(
      this.#formats.caller ?? [],
      this.#formats.callee ?? [],
      this.#context.translation,
    );
    const toCaller = new StreamTranslator(
      this.#formats.callee ?? [],
      this.#formats.caller ?? [],
      this.#context.translation,
    );
    // RTCP reports describe the streams they travel with: passed on only between plain legs
    // whose streams pass unchanged. A WebRTC leg's stream is rewritten to its own SSRC, so
    // reports stop at the platform on that side.
    const rtcp =
      caller.kind === 'rtp' &&
      callee.kind === 'rtp' &&
      toCallee.passthroughOnly &&
      toCaller.passthroughOnly;
    caller.bridge(
      (packet) => {
        for (const out of toCallee.translate(packet)) callee.sendRtp(out);
      },
      rtcp ? (packet): void => callee.sendRtcp(packet) : null,
    );
    callee.bridge(
      (packet) => {
        for (const out of toCaller.translate(packet)) caller.sendRtp(out);
      },
      rtcp ? (packet): void => caller.sendRtcp(packet) : null,
    );
  }

  /** `leg` becomes the side's leg; the one it replaces is given back unless an offer holds it. */
  #use(side: MediaSide, leg: MediaLeg): void {
    const previous = this.#legs[side];
    if (previous === leg) return;
    this.#legs[side] = leg;
    if (previous !== null && !this.#heldByPending(previous)) void this.#free(previous);
  }

  #heldByPending(leg: MediaLeg): boolean {
    const pending = this.#pending;
    if (pending === null) return false;
    for (const alternative of pending.alternatives.values())
      if (alternative.leg === leg) return true;
    return false;
  }

  /** A final answer: the alternatives of other kinds are given back. */
  async #settle(pending: PendingOffer): Promise<void> {
    const used = new Set([this.#legs.caller, this.#legs.callee]);
    for (const [kind, alternative] of pending.alternatives) {
      if (used.has(alternative.leg)) continue;
      pending.alternatives.delete(kind);
      await this.#free(alternative.leg);
    }
  }

  async #dropPending(): Promise<void> {
    const pending = this.#pending;
    this.#pending = null;
    if (pending === null) return;
    const used = new Set([this.#legs.caller, this.#legs.callee]);
    for (const alternative of pending.alternatives.values()) {
      if (!used.has(alternative.leg)) await this.#free(alternative.leg);
    }
  }

  async #allocate(side: MediaSide, kind: MediaLegKind): Promise<MediaLeg> {
    const context = this.#context;
    const identity = kind === 'webrtc' ? await context.identity() : null;
    const lease = await context.pool.acquire();
    if (this.closed) {
      await context.pool.release(lease);
      throw this.#closedError();
    }
    if (identity === null) {
      const endpoint = new RelayEndpoint(
        lease,
        this.#received[side],
        context.counters,
        this.#activity,
        context.clock,
      );
      const remote = this.#remote[side];
      if (remote !== null) endpoint.expect(remote);
      return endpoint;
    }
    return new WebRtcEndpoint(lease, {
      identity,
      counters: context.webrtcCounters,
      received: this.#received[side],
      activity: this.#activity,
      clock: context.clock,
      candidateAddresses: context.candidateAddresses,
      onFailure: () => {
        // A failed handshake on the leg in use leaves the call without media: end it, a moment
        // later, so that the handshake's last flight already sent is not cancelled by the close
        // and the browser stops retransmitting.
        const timer = setTimeout(() => {
          if (this.#legs.caller !== null && this.#legs.callee !== null) this.#end('webrtc-failed');
        }, FAILURE_GRACE_MS);
        timer.unref();
      },
    });
  }

  async #free(leg: MediaLeg): Promise<void> {
    leg.detach();
    await this.#context.pool.release(leg.lease);
  }

  #local(leg: MediaLeg | null): LocalMedia {
    const ports = leg ?? PLACEHOLDER_PORTS;
    return {
      address: this.#context.publicAddress,
      rtpPort: ports.rtpPort,
      rtcpPort: ports.rtcpPort,
    };
  }

  #checkFamily(remote: RemoteMedia): void {
    for (const destination of [remote.rtp, remote.rtcp]) {
      if (destination !== null && isIPv6(destination.address) !== this.#context.ipv6) {
        throw badSdp(
          `media address ${destination.address} is not of the media host's address family`,
        );
      }
    }
  }

  /** A plain side sent SDP: its leg sends there and latches again (new offer/answer). */
  #learn(side: MediaSide, remote: RemoteMedia): void {
    this.#remote[side] = remote;
    this.#direction[side] = remote.direction;
    const leg = this.#legs[side];
    if (leg instanceof RelayEndpoint) leg.expect(remote);
  }

  // Lifecycle.

  #onHold(): boolean {
    return this.#direction.caller !== 'sendrecv' || this.#direction.callee !== 'sendrecv';
  }

  #end(reason: MediaEndReason): void {
    if (this.#endReason !== null) return;
    this.#endReason = reason;
    for (const listener of this.#listeners) this.#notify(listener, reason);
    void this.close();
  }

  #notify(listener: (reason: MediaEndReason) => void, reason: MediaEndReason): void {
    try {
      listener(reason);
    } catch {
      // A listener's failure must not keep the others from hearing, nor the ports from release.
    }
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
    const legs = new Set<MediaLeg>();
    for (const leg of [this.#legs.caller, this.#legs.callee]) if (leg !== null) legs.add(leg);
    for (const alternative of this.#pending?.alternatives.values() ?? []) legs.add(alternative.leg);
    this.#legs.caller = null;
    this.#legs.callee = null;
    this.#pending = null;
    for (const leg of legs) leg.detach();
    try {
      await Promise.all([...legs].map((leg) => this.#context.pool.release(leg.lease)));
    } finally {
      this.#context.closed(this);
    }
  }
}
