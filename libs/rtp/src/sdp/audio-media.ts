import type { MediaDirection, SdpMediaLine } from './sdp-fields';

/** The platform's side of a relayed audio stream, written into the SDP it sends. */
export interface LocalMedia {
  /** PBX_MEDIA_PUBLIC_IP. */
  readonly address: string;
  readonly rtpPort: number;
  readonly rtcpPort: number;
}

export interface TransportAddress {
  readonly address: string;
  readonly port: number;
}

/** What the relay learns from one side's SDP: where that side wants to receive. */
export interface RemoteMedia {
  /**
   * Null when the side wants nothing sent to it: c=0.0.0.0 (RFC 2543 hold, which RFC 3264 §8.4
   * still asks answerers to understand).
   */
  readonly rtp: TransportAddress | null;
  /** a=rtcp (RFC 3605) when present, else the RTP port + 1 (RFC 3550 §11). */
  readonly rtcp: TransportAddress | null;
  /** The stream's direction from this side's point of view, c=0.0.0.0 folded in. */
  readonly direction: MediaDirection;
  /** Payload types kept, in the side's order of preference. */
  readonly payloadTypes: readonly number[];
}

/** What an offer leaves for its answer to be checked against (RFC 3264 §6). */
export interface AudioNegotiation {
  /** Number of m= lines; the answer must have as many. */
  readonly mediaCount: number;
  /** Index of the relayed audio stream among them. */
  readonly audioIndex: number;
  /** Payload type → `encoding/clock` (lower case) of every format offered on the audio stream. */
  readonly codecs: ReadonlyMap<number, string>;
  /** The offer's m= lines, so that answers reject the other streams with the same line. */
  readonly mediaLines: readonly SdpMediaLine[];
}

/** PCMU and PCMA, static payload types (RFC 3551 §6, table 4). */
export const PCMU_PAYLOAD_TYPE = 0;
export const PCMA_PAYLOAD_TYPE = 8;
export const PCMU_ENCODING = 'pcmu/8000';
export const PCMA_ENCODING = 'pcma/8000';
/** RFC 4733 §7.1.1 registers `telephone-event`; only its 8 kHz form goes with G.711. */
export const TELEPHONE_EVENT_ENCODING = 'telephone-event/8000';
