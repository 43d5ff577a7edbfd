import { randomInt } from 'node:crypto';
import { type SdpDocument, type SdpLine, serializeSdp } from './sdp-document';
import { formatConnection } from './sdp-fields';

/**
 * The o= line of the descriptions the platform sends to one side. A B2BUA is the origin of what
 * it sends: one session id per side, and a version that goes up by one whenever the description
 * changes and stays when it does not (RFC 3264 §8, RFC 4566 §5.2), however the other side
 * numbers its own.
 */
export class SdpOriginator {
  readonly #sessionId: string;
  readonly #address: string;
  #version: number;
  #lastBody: string | undefined;

  constructor(address: string, sessionId: string = String(randomInt(1, 2 ** 47))) {
    this.#address = address;
    this.#sessionId = sessionId;
    this.#version = Number(sessionId.slice(-6)) || 1;
  }

  /** Serializes `document` with this origin's o= line. */
  stamp(document: SdpDocument): string {
    const withoutOrigin = serializeSdp({
      session: document.session.filter((line) => line.type !== 'o'),
      media: document.media,
    });
    if (this.#lastBody !== undefined && withoutOrigin !== this.#lastBody) this.#version++;
    this.#lastBody = withoutOrigin;
    const origin: SdpLine = {
      type: 'o',
      value: `- ${this.#sessionId} ${this.#version} ${formatConnection(this.#address)}`,
    };
    const session = document.session.map((line) => (line.type === 'o' ? origin : line));
    return serializeSdp({ session, media: document.media });
  }
}
