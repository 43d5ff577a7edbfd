/**
 * An audio format of an m= line: payload type, encoding and its parameters. The bridge between
 * a browser and a phone picks formats by encoding, since payload types differ per side.
 */
export interface AudioFormat {
  readonly payloadType: number;
  /** `<encoding>/<clock rate>` in lower case: `pcmu/8000`, `opus/48000`, `telephone-event/8000`. */
  readonly encoding: string;
  /** Channels of the rtpmap (Opus is always `opus/48000/2`, RFC 7587 §7). */
  readonly channels?: number;
  readonly fmtp?: string;
}

export const OPUS_ENCODING = 'opus/48000';
export const TELEPHONE_EVENT_48K_ENCODING = 'telephone-event/48000';

/** The audio codecs the media service carries: G.711 as is, Opus by transcoding. */
export const AUDIO_CODECS: readonly string[] = ['pcmu/8000', 'pcma/8000', OPUS_ENCODING];

export function isTelephoneEvent(encoding: string): boolean {
  return encoding.startsWith('telephone-event/');
}

/** The RTP clock rate of an encoding (`opus/48000` → 48000). */
export function clockRateOf(encoding: string): number {
  return Number(encoding.slice(encoding.indexOf('/') + 1));
}

/** `a=rtpmap` value of a format (`111 opus/48000/2`), with the encoding name's usual case. */
export function rtpmapOf(format: AudioFormat): string {
  const [name, rate] = format.encoding.split('/');
  const shown = name === 'pcmu' || name === 'pcma' ? name.toUpperCase() : name;
  const channels =
    format.channels !== undefined && format.channels > 1 ? `/${format.channels}` : '';
  return `${format.payloadType} ${shown}/${rate}${channels}`;
}

/** Dynamic payload types the platform uses when it introduces a format the other side lacks. */
export const DEFAULT_PAYLOAD_TYPES: Readonly<Record<string, number>> = {
  'pcmu/8000': 0,
  'pcma/8000': 8,
  [OPUS_ENCODING]: 111,
  'telephone-event/8000': 101,
  [TELEPHONE_EVENT_48K_ENCODING]: 110,
};
