// The seam between call control (the SIP edge and routing) and the media service, which anchors
// every call's media in the platform: plain RTP of phones and trunks, and WebRTC (ICE, DTLS-SRTP)
// of browsers, bridged to each other.

/** The two sides of a bridged call. */
export type MediaSide = 'caller' | 'callee';

/**
 * What a side's media speaks: `rtp` is plain RTP/AVP (phones, trunks); `webrtc` is
 * UDP/TLS/RTP/SAVPF with ICE, DTLS-SRTP and rtcp-mux (browsers, RFC 8827/8829). The kind of an
 * SDP a side sends follows from its profile; the kind of an offer the platform sends must be
 * chosen by call control, from the transport the contact registered over.
 */
export type MediaLegKind = 'rtp' | 'webrtc';

export interface MediaOfferOptions {
  /**
   * The kind of leg the offer goes to. Unset: the kind that side already speaks in this call,
   * else `rtp`. Forking to contacts of different kinds, call offer() once per kind with the same
   * SDP: each call adds an alternative, and the answer that comes back decides which one the
   * side gets.
   */
  readonly to?: MediaLegKind;
}

export interface MediaAnswerOptions {
  /**
   * A provisional answer (early media in a 18x, RFC 3960): other alternatives of the offer stay
   * open, since another fork may still answer. A final answer (the default) settles the offer
   * and releases the alternatives of other kinds.
   */
  readonly provisional?: boolean;
}

export enum MediaErrorCode {
  /** Every port pair of PBX_RTP_PORTS is in use. */
  NoPorts = 'media.no-ports',
  /** The SDP could not be parsed or has no usable audio stream. */
  BadSdp = 'media.bad-sdp',
  /** The offer holds no codec the platform relays or transcodes (G.711 µ-law, A-law, Opus). */
  NoCommonCodec = 'media.no-common-codec',
  /** The session was closed. */
  Closed = 'media.closed',
}

export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

export interface MediaDirectionStats {
  readonly packets: number;
  readonly bytes: number;
}

export interface MediaSessionStats {
  /** Packets received from each side and relayed to the other. */
  readonly fromCaller: MediaDirectionStats;
  readonly fromCallee: MediaDirectionStats;
}

/**
 * Why a session ended on its own: no RTP for PBX_RTP_TIMEOUT_S, or the DTLS handshake of a
 * WebRTC leg failed (a certificate that does not match the SDP fingerprint, no common profile).
 */
export type MediaEndReason = 'rtp-timeout' | 'webrtc-failed';

export interface MediaSession {
  readonly callId: string;
  /**
   * An SDP offer arrived from `from`; returns the offer to send to the other side, with the
   * platform's address and ports (and, for a WebRTC leg, its ICE and DTLS parameters) in place
   * of the sender's. Throws MediaError.
   */
  offer(from: MediaSide, sdp: string, options?: MediaOfferOptions): Promise<string>;
  /**
   * An SDP answer arrived from `from` (its kind follows from its profile); returns the answer for
   * the other side. An answer may come more than once for one offer (a 183, then the 200).
   * Throws MediaError.
   */
  answer(from: MediaSide, sdp: string, options?: MediaAnswerOptions): Promise<string>;
  /** The session ended on its own (no RTP for PBX_RTP_TIMEOUT_S); the call must end. */
  onEnded(listener: (reason: MediaEndReason) => void): void;
  stats(): MediaSessionStats;
  /** Releases the session's ports. Idempotent. */
  close(): Promise<void>;
}

export interface MediaControl {
  /** A session for a new call; ports are taken when the first SDP arrives. */
  createSession(callId: string): MediaSession;
  /** Sessions open now (for metrics and tests). */
  openSessions(): number;
}
