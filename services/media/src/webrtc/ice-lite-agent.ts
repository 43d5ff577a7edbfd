import { randomBytes } from 'node:crypto';
import { buildStunBindingSuccess, hasValidIntegrity, parseStunBindingRequest } from '@pbx/rtp';

/** Source addresses a leg remembers as checked: a browser checks a few candidate pairs. */
const MAX_VALIDATED = 8;

/** ice-chars (RFC 8839 §5.4) from random octets: base64 uses exactly that alphabet. */
function iceChars(length: number): string {
  return randomBytes(length).toString('base64').replace(/=/g, '').slice(0, length);
}

export interface IceCheckResult {
  /** The Binding success response to send back to the source; null when the check was refused. */
  readonly response: Buffer | null;
  /** The check moved the selected pair to its source. */
  readonly selected: boolean;
}

/**
 * The platform's side of ICE on a WebRTC leg as an ICE-lite agent (RFC 8445 §2.5): it only
 * answers the browser's connectivity checks, never sends its own, and the browser, always the
 * controlling agent against a lite one, picks the pair. A source becomes usable once it sent a
 * check with the platform's credentials; the check that nominates (USE-CANDIDATE), or the first
 * one before any nomination, selects where media goes. Consent checks (RFC 7675) keep arriving
 * every few seconds and are answered the same way.
 */
export class IceLiteAgent {
  ufrag = iceChars(8);
  pwd = iceChars(24);
  #remoteUfrag: string | null = null;
  #validated: string[] = [];
  selectedAddress: string | null = null;
  selectedPort = 0;

  /** The browser's ufrag from its SDP; a new one is an ICE restart (RFC 8445 §9). */
  setRemoteUfrag(ufrag: string): void {
    if (this.#remoteUfrag !== null && this.#remoteUfrag !== ufrag) {
      // An ICE restart changes both sides' credentials; checks with the old ones stop counting.
      this.ufrag = iceChars(8);
      this.pwd = iceChars(24);
      this.#validated = [];
    }
    this.#remoteUfrag = ufrag;
  }

  /** Handles a STUN datagram from `address`:`port`. */
  onStun(packet: Uint8Array, address: string, port: number): IceCheckResult {
    const request = parseStunBindingRequest(packet);
    if (request === null) return { response: null, selected: false };
    const separator = request.username.indexOf(':');
    const receiver = separator < 0 ? request.username : request.username.slice(0, separator);
    const sender = separator < 0 ? '' : request.username.slice(separator + 1);
    if (receiver !== this.ufrag) return { response: null, selected: false };
    if (this.#remoteUfrag !== null && sender !== this.#remoteUfrag)
      return { response: null, selected: false };
    if (!hasValidIntegrity(packet, request, this.pwd)) return { response: null, selected: false };
    const key = `${address} ${port}`;
    if (!this.#validated.includes(key)) {
      if (this.#validated.length >= MAX_VALIDATED) this.#validated.shift();
      this.#validated.push(key);
    }
    let selected = false;
    const isSelected = this.selectedAddress === address && this.selectedPort === port;
    if (!isSelected && (request.useCandidate || this.selectedAddress === null)) {
      this.selectedAddress = address;
      this.selectedPort = port;
      selected = true;
    }
    return {
      response: buildStunBindingSuccess(request.transactionId, address, port, this.pwd),
      selected,
    };
  }

  /** True when `address`:`port` passed a check: DTLS and SRTP from anywhere else are dropped. */
  isValidated(address: string, port: number): boolean {
    if (address === this.selectedAddress && port === this.selectedPort) return true;
    return this.#validated.includes(`${address} ${port}`);
  }
}
