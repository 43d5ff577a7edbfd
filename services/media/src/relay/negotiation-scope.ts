// What both ways of negotiating (plain relay, bridge) work on, so that each stays a small unit
// that the session hands its state to rather than reaching into it.
import type { SdpOriginator } from '@pbx/rtp';
import type { MediaSide } from '@pbx/telephony';
import type { SessionLegs } from './session-legs';

export interface NegotiationScope {
  readonly callId: string;
  /** Address written into SDP (PBX_MEDIA_PUBLIC_IP). */
  readonly publicAddress: string;
  readonly legs: SessionLegs;
  /** The o= origin of what is sent to each side. */
  readonly origins: Readonly<Record<MediaSide, SdpOriginator>>;
}
