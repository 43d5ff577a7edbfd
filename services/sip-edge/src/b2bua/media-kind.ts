/**
 * Which kind of media leg a SIP peer gets (libs/telephony MediaLegKind): a contact that
 * registered over WebSocket is a browser or WebRTC client (RFC 7118 clients offer DTLS-SRTP
 * with ICE), so an INVITE to it carries a WebRTC offer; everything else (UDP, TCP, TLS: desk
 * phones, softphones, trunks) gets plain RTP. The transport the binding came over is the signal,
 * not the Contact's `transport=ws` parameter or `;ob`, which clients write inconsistently.
 */
import type { Peer } from '@pbx/sip';
import type { MediaLegKind } from '@pbx/telephony';

export function mediaKindOf(flow: Peer): MediaLegKind {
  return flow.protocol === 'ws' || flow.protocol === 'wss' ? 'webrtc' : 'rtp';
}
