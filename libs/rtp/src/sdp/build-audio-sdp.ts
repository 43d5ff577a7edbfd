import type { MediaLegKind } from '@pbx/telephony';
import type { AudioDescription, DtlsFingerprint, DtlsSetup } from './audio-description';
import { WEBRTC_PROTO } from './audio-description';
import { type AudioFormat, rtpmapOf } from './audio-format';
import { AUDIO_PROTO } from './audio-section';
import { type IceCandidate, formatIceCandidate } from './ice-candidate';
import type { SdpDocument, SdpLine, SdpMediaSection } from './sdp-document';
import { type MediaDirection, formatConnection, formatMediaLine } from './sdp-fields';

/** The platform's end of an audio stream of either kind, as its SDP describes it. */
export interface LocalAudioStream {
  readonly kind: MediaLegKind;
  /** c= address (PBX_MEDIA_PUBLIC_IP). */
  readonly address: string;
  readonly rtpPort: number;
  readonly formats: readonly AudioFormat[];
  readonly direction: MediaDirection;
  readonly ptime?: number;
  /** A WebRTC stream's ICE-lite credentials and candidates and its DTLS parameters. */
  readonly secure?: {
    readonly iceUfrag: string;
    readonly icePwd: string;
    readonly candidates: readonly IceCandidate[];
    readonly fingerprint: DtlsFingerprint;
    readonly setup: DtlsSetup;
    /** a=msid (RFC 8830), so that a browser's track has a stream to belong to. */
    readonly msid: string;
    /** The SSRC the platform sends under (a=ssrc, RFC 5576). */
    readonly ssrc: number;
  };
}

/** The mid the platform gives the audio stream of its own offers. */
const OFFER_MID = '0';

/**
 * Writes an SDP for one side: an offer of a single audio stream, or, given the side's offer in
 * `answering`, an answer with as many m= lines, the audio stream accepted and the others
 * refused with port 0 (RFC 3264 §6). A WebRTC stream carries ICE-lite (RFC 8445 §2.5), a
 * fingerprint and setup (RFC 8842), rtcp-mux (RFC 8858) and, when the offer bundles or in an
 * offer, a BUNDLE group of the one audio mid (RFC 9143). Its o= line is stamped by SdpOriginator.
 */
export function buildAudioSdp(local: LocalAudioStream, answering?: AudioDescription): SdpDocument {
  const secure = local.kind === 'webrtc' ? local.secure : undefined;
  if (local.kind === 'webrtc' && secure === undefined) {
    throw new RangeError('a WebRTC stream needs its ICE and DTLS parameters');
  }
  const audioMid = answering === undefined ? OFFER_MID : answering.mids[answering.audioIndex];
  const bundle = secure !== undefined && audioMid !== undefined && (answering?.bundled ?? true);
  const session: SdpLine[] = [
    { type: 'v', value: '0' },
    { type: 'o', value: `- 0 0 ${formatConnection(local.address)}` },
    { type: 's', value: '-' },
    { type: 'c', value: formatConnection(local.address) },
    { type: 't', value: '0 0' },
  ];
  if (secure !== undefined) session.push({ type: 'a', value: 'ice-lite' });
  if (bundle) session.push({ type: 'a', value: `group:BUNDLE ${audioMid}` });
  const audio = audioSection(local, secure === undefined ? undefined : audioMid);
  if (answering === undefined) return { session, media: [audio] };
  const media = answering.mediaLines.map((line, index): SdpMediaSection => {
    if (index === answering.audioIndex) return audio;
    const mid = answering.mids[index];
    const lines: SdpLine[] = [
      { type: 'm', value: formatMediaLine({ ...line, port: 0, portCount: undefined }) },
    ];
    if (mid !== undefined) lines.push({ type: 'a', value: `mid:${mid}` });
    return { lines };
  });
  return { session, media };
}

function audioSection(local: LocalAudioStream, mid: string | undefined): SdpMediaSection {
  const secure = local.secure;
  const lines: SdpLine[] = [
    {
      type: 'm',
      value: formatMediaLine({
        media: 'audio',
        port: local.rtpPort,
        portCount: undefined,
        proto: secure === undefined ? AUDIO_PROTO : WEBRTC_PROTO,
        formats: local.formats.map((f) => String(f.payloadType)),
      }),
    },
    { type: 'c', value: formatConnection(local.address) },
  ];
  if (secure !== undefined) {
    lines.push({ type: 'a', value: `rtcp:${local.rtpPort} ${formatConnection(local.address)}` });
    for (const candidate of secure.candidates) {
      lines.push({ type: 'a', value: `candidate:${formatIceCandidate(candidate)}` });
    }
    lines.push(
      { type: 'a', value: 'end-of-candidates' },
      { type: 'a', value: `ice-ufrag:${secure.iceUfrag}` },
      { type: 'a', value: `ice-pwd:${secure.icePwd}` },
      {
        type: 'a',
        value: `fingerprint:${secure.fingerprint.algorithm} ${secure.fingerprint.value}`,
      },
      { type: 'a', value: `setup:${secure.setup}` },
    );
    if (mid !== undefined) lines.push({ type: 'a', value: `mid:${mid}` });
    lines.push({ type: 'a', value: 'rtcp-mux' });
  }
  for (const format of local.formats) {
    lines.push({ type: 'a', value: `rtpmap:${rtpmapOf(format)}` });
    if (format.fmtp !== undefined) {
      lines.push({ type: 'a', value: `fmtp:${format.payloadType} ${format.fmtp}` });
    }
  }
  if (local.ptime !== undefined) lines.push({ type: 'a', value: `ptime:${local.ptime}` });
  if (secure !== undefined) {
    lines.push({ type: 'a', value: `msid:${secure.msid} ${secure.msid}-audio` });
    lines.push({ type: 'a', value: `ssrc:${secure.ssrc} cname:${secure.msid}` });
  }
  lines.push({ type: 'a', value: local.direction });
  return { lines };
}
