import { RtpPacketError } from './rtp-packet-error';

/** The payload of an RFC 4733 §2.3 telephone-event packet (DTMF digits are events 0-15). */
export interface TelephoneEvent {
  readonly event: number;
  /** E bit: the last packets of the event (sent three times, RFC 4733 §2.5.1.4). */
  readonly end: boolean;
  /** Power level in -dBm0, 0-63. */
  readonly volume: number;
  /** Duration so far, in timestamp units (RFC 4733 §2.3.5). */
  readonly duration: number;
}

export const TELEPHONE_EVENT_LENGTH = 4;

/** Parses the 4-octet event payload at `offset` (RFC 4733 §2.3). */
export function parseTelephoneEvent(payload: Uint8Array, offset = 0): TelephoneEvent {
  if (payload.length - offset < TELEPHONE_EVENT_LENGTH) {
    throw new RtpPacketError('a telephone-event payload has 4 octets');
  }
  return {
    event: payload[offset],
    end: (payload[offset + 1] & 0x80) !== 0,
    volume: payload[offset + 1] & 0x3f,
    duration: (payload[offset + 2] << 8) | payload[offset + 3],
  };
}

/** Writes the 4-octet event payload at `offset` (the R bit is sent as zero, RFC 4733 §2.3). */
export function writeTelephoneEvent(payload: Uint8Array, offset: number, e: TelephoneEvent): void {
  if (payload.length - offset < TELEPHONE_EVENT_LENGTH) {
    throw new RangeError('a telephone-event payload needs 4 octets');
  }
  if (e.event < 0 || e.event > 255 || e.volume < 0 || e.volume > 63) {
    throw new RangeError('event is 0-255 and volume 0-63');
  }
  if (e.duration < 0 || e.duration > 0xffff) throw new RangeError('duration is 0-65535');
  payload[offset] = e.event;
  payload[offset + 1] = (e.end ? 0x80 : 0) | e.volume;
  payload[offset + 2] = e.duration >> 8;
  payload[offset + 3] = e.duration & 0xff;
}
