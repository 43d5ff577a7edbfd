/**
 * The media direction an SDP body asks for (RFC 3264 section 6.1 and 8.4): hold is an offer with
 * `sendonly` or `inactive` (or, from RFC 2543 phones, connection address 0.0.0.0).
 */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTION = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m;
const AUDIO_SECTION = /^m=audio .*$/m;
const NULL_CONNECTION = /^c=IN IP4 0\.0\.0\.0\s*$/m;

/** The direction of the audio stream (media-level attribute first, then session-level). */
export function sdpDirection(sdp: string): SdpDirection {
  const audio = AUDIO_SECTION.exec(sdp);
  if (audio) {
    const media = sdp.slice(audio.index);
    const next = media.indexOf('\nm=', 1);
    const section = next === -1 ? media : media.slice(0, next);
    const m = DIRECTION.exec(section);
    if (m) return m[1] as SdpDirection;
    if (NULL_CONNECTION.test(section)) return 'inactive';
  }
  const session = audio ? sdp.slice(0, audio.index) : sdp;
  const s = DIRECTION.exec(session);
  if (s) return s[1] as SdpDirection;
  return NULL_CONNECTION.test(session) ? 'inactive' : 'sendrecv';
}

/** An offer that puts the other side on hold. */
export function isHoldOffer(sdp: string): boolean {
  const d = sdpDirection(sdp);
  return d === 'sendonly' || d === 'inactive';
}
