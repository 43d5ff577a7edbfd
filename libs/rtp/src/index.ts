// RTP/RTCP packets (RFC 3550, RFC 4733), RTP port pairs, and the SDP offer/answer rewrite of the
// media relay (RFC 3264, RFC 4566).
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
