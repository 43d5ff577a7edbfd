import { MediaError, MediaErrorCode } from '@pbx/telephony';

/** One `<type>=<value>` line (RFC 4566 §5). */
export interface SdpLine {
  readonly type: string;
  readonly value: string;
}

/** A media description: its `m=` line first, then the lines up to the next `m=`. */
export interface SdpMediaSection {
  readonly lines: readonly SdpLine[];
}

/**
 * An SDP body kept as lines, so that a rewrite changes only the lines it means to and passes
 * every other line through in its place.
 */
export interface SdpDocument {
  /** Session-level lines, `v=` first. */
  readonly session: readonly SdpLine[];
  readonly media: readonly SdpMediaSection[];
}

/** Bodies above this size are refused before parsing (a SIP body over UDP is far smaller). */
export const MAX_SDP_LENGTH = 65_536;

const LINE = /^([a-z])=(.*)$/;

export function badSdp(message: string): MediaError {
  return new MediaError(MediaErrorCode.BadSdp, `bad SDP: ${message}`);
}

/**
 * Splits an SDP body into lines (RFC 4566 §5: CRLF, bare LF tolerated) and checks the frame:
 * `v=0` first, an `o=` line of six fields, an `s=` line, every line `<letter>=<value>`.
 * Throws MediaError BadSdp.
 */
export function parseSdp(text: string): SdpDocument {
  if (text.length > MAX_SDP_LENGTH) throw badSdp(`body of ${text.length} characters is too long`);
  const raw = text.split(/\r?\n/);
  while (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  if (raw.length === 0) throw badSdp('empty body');
  const session: SdpLine[] = [];
  const media: { lines: SdpLine[] }[] = [];
  raw.forEach((text, index) => {
    const match = LINE.exec(text);
    if (match === null) throw badSdp(`line ${index + 1} is not <type>=<value>: ${clip(text)}`);
    const line: SdpLine = { type: match[1], value: match[2] };
    if (line.type === 'm') media.push({ lines: [line] });
    else if (media.length > 0) media[media.length - 1].lines.push(line);
    else session.push(line);
  });
  if (session[0]?.type !== 'v' || session[0].value !== '0')
    throw badSdp('the first line is not v=0');
  const origin = session.find((line) => line.type === 'o');
  if (origin === undefined || origin.value.split(' ').length !== 6) {
    throw badSdp('no o= line of six fields (RFC 4566 §5.2)');
  }
  if (!session.some((line) => line.type === 's')) throw badSdp('no s= line (RFC 4566 §5.3)');
  return { session, media };
}

/** Writes the lines back with CRLF endings, as RFC 4566 §5 requires. */
export function serializeSdp(document: SdpDocument): string {
  const lines: string[] = [];
  for (const line of document.session) lines.push(`${line.type}=${line.value}`);
  for (const section of document.media) {
    for (const line of section.lines) lines.push(`${line.type}=${line.value}`);
  }
  return lines.join('\r\n') + '\r\n';
}

function clip(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
