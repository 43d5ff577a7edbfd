// RTP/RTCP packets (RFC 3550, RFC 4733), RTP port pairs, the SDP offer/answer rewrite of the
// media relay (RFC 3264, RFC 4566), and the pieces of WebRTC legs: SDP with ICE and DTLS
// (RFC 8829), SRTP (RFC 3711), STUN for ICE-lite (RFC 8445), G.711.
export * from './packet/rtp-packet-error';
export * from './packet/rtp-header';
export * from './packet/rtcp-header';
export * from './packet/telephone-event';
export * from './ports/port-range';
export * from './ports/port-pair-binder';
export * from './ports/rtp-port-pool';
export * from './ports/udp-port-pair-binder';
export * from './sdp/sdp-document';
export * from './sdp/sdp-fields';
export * from './sdp/audio-media';
export { AUDIO_PROTO } from './sdp/audio-section';
export * from './sdp/rewrite-audio-offer';
export * from './sdp/rewrite-audio-answer';
export * from './sdp/sdp-originator';
export * from './sdp/audio-format';
export * from './sdp/audio-description';
export * from './sdp/ice-candidate';
export * from './sdp/build-audio-sdp';
export * from './sdp/format-choice';
export * from './codec/g711';
export * from './srtp/srtp-keys';
export * from './srtp/srtp-context';
export * from './stun/stun-message';
export * from './ice/ice-servers';
