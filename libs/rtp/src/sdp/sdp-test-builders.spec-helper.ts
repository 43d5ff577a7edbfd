import type { AudioNegotiation, LocalMedia, RemoteMedia } from './audio-media';
import { negotiateAudioAnswer } from './rewrite-audio-answer';
import { negotiateAudioOffer } from './rewrite-audio-offer';
import type { SdpDocument } from './sdp-document';

/** SDP bodies for the rewrite specs, built line by line so that each case states its difference. */
export function sdp(...lines: string[]): string {
  return lines.join('\r\n') + '\r\n';
}

export const ALICE_HEAD = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
];

export const LOCAL = { address: '203.0.113.5', rtpPort: 30000, rtcpPort: 30001 };

/** Lines of `text` without the line ending. */
export function linesOf(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n');
}

/** An SDP negotiated and rendered through `local` in one go, as a leg that already has its ports. */
export interface Rewrite {
  readonly document: SdpDocument;
  readonly remote: RemoteMedia;
  readonly negotiation: AudioNegotiation;
}

export function rewriteOffer(body: string, local: LocalMedia): Rewrite {
  const negotiated = negotiateAudioOffer(body);
  return { ...negotiated, document: negotiated.render(local) };
}

export function rewriteAnswer(body: string, offered: AudioNegotiation, local: LocalMedia): Rewrite {
  const negotiated = negotiateAudioAnswer(body, offered);
  return { ...negotiated, document: negotiated.render(local) };
}
