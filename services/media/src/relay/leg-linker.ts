// Connects a call's two legs once an answer settled what each side speaks. Two plain legs with
// the formats passed through relay socket to socket, the hot path the relay always had; any other
// pair goes through a StreamTranslator each way. Apart from the negotiation, which only says what
// the formats are, so that the packet path has one place.
import type { AudioFormat } from '@pbx/rtp';
import type { MediaSide } from '@pbx/telephony';
import type { MediaLeg } from '../bridge/media-leg';
import { StreamTranslator, type TranslationCounters } from '../bridge/stream-translator';
import { RelayEndpoint } from './relay-endpoint';

/** The formats negotiated with each side, for a bridged pair. */
export type SideFormats = Readonly<Record<MediaSide, readonly AudioFormat[]>>;

/**
 * Relays between the two legs: directly when both are plain and `formats` is null (payload
 * types untranslated), else through translators from each side's formats to the other's.
 */
export function linkLegs(
  caller: MediaLeg,
  callee: MediaLeg,
  formats: SideFormats | null,
  translation: TranslationCounters,
): void {
  if (formats === null && caller instanceof RelayEndpoint && callee instanceof RelayEndpoint) {
    caller.link(callee);
    return;
  }
  const toCallee = new StreamTranslator(formats?.caller ?? [], formats?.callee ?? [], translation);
  const toCaller = new StreamTranslator(formats?.callee ?? [], formats?.caller ?? [], translation);
  // RTCP reports describe the streams they travel with: passed on only between plain legs
  // whose streams pass unchanged. A WebRTC leg's stream is rewritten to its own SSRC, so
  // reports stop at the platform on that side.
  const rtcp =
    caller.kind === 'rtp' &&
    callee.kind === 'rtp' &&
    toCallee.passthroughOnly &&
    toCaller.passthroughOnly;
  caller.bridge(
    (packet) => {
      for (const out of toCallee.translate(packet)) callee.sendRtp(out);
    },
    rtcp ? (packet): void => callee.sendRtcp(packet) : null,
  );
  callee.bridge(
    (packet) => {
      for (const out of toCaller.translate(packet)) caller.sendRtp(out);
    },
    rtcp ? (packet): void => caller.sendRtcp(packet) : null,
  );
}
