// The seam between call control (the SIP edge and routing) and the media service, which anchors
// every call's RTP in the platform. A later issue adds WebRTC legs and media applications behind
// the same port.

/** The two sides of a bridged call. */
export type MediaSide = 'caller' | 'callee';

export enum MediaErrorCode {
  /** Every port pair of PBX_RTP_PORTS is in use. */
  NoPorts = 'media.no-ports',
  /** The SDP could not be parsed or has no usable audio stream. */
  BadSdp = 'media.bad-sdp',
  /** The offer holds no codec the platform relays (G.711 µ-law, A-law). */
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

export type MediaEndReason = 'rtp-timeout';

export interface MediaSession {
  readonly callId: string;
  /**
   * An SDP offer arrived from `from`; returns the offer to send to the other side, with the
   * platform's address and ports in place of the sender's. Throws MediaError.
   */
  offer(from: MediaSide, sdp: string): Promise<string>;
  /** An SDP answer arrived from `from`; returns the answer for the other side. Throws MediaError. */
  answer(from: MediaSide, sdp: string): Promise<string>;
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
