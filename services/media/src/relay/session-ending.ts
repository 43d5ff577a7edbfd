// How a session ends on its own (no RTP for the timeout, a failed DTLS handshake) and tells call
// control so: once, to every listener, even one that subscribes late, and with a listener's
// failure contained. Apart from the session so that the ending rules read in one place.
import type { MediaEndReason } from '@pbx/telephony';

/** How long after a failed DTLS handshake the session ends. */
const FAILURE_GRACE_MS = 50;

type EndListener = (reason: MediaEndReason) => void;

export class SessionEnding {
  readonly #listeners: EndListener[] = [];
  readonly #close: () => void;
  #reason: MediaEndReason | null = null;

  /** `close` releases the session once it ended. */
  constructor(close: () => void) {
    this.#close = close;
  }

  onEnded(listener: EndListener): void {
    this.#listeners.push(listener);
    const reason = this.#reason;
    if (reason !== null) queueMicrotask(() => notify(listener, reason));
  }

  /** Ends the session, unless it already ended: listeners hear `reason`, then it closes. */
  end(reason: MediaEndReason): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    for (const listener of this.#listeners) notify(listener, reason);
    this.#close();
  }

  /**
   * A leg's DTLS handshake failed: the session ends a moment later if `stillMatters` then, so
   * that the handshake's last flight already sent is not cancelled by the close and the browser
   * stops retransmitting.
   */
  endAfterHandshakeFailure(stillMatters: () => boolean): void {
    const timer = setTimeout(() => {
      if (stillMatters()) this.end('webrtc-failed');
    }, FAILURE_GRACE_MS);
    timer.unref();
  }
}

function notify(listener: EndListener, reason: MediaEndReason): void {
  try {
    listener(reason);
  } catch {
    // A listener's failure must not keep the others from hearing, nor the ports from release.
  }
}
