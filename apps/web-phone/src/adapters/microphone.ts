import type { Web } from 'sip.js';
import { classifyMediaError, type MediaProblem } from '../domain/media-problem';

export class MicrophoneError extends Error {
  constructor(readonly problem: MediaProblem) {
    super(`microphone: ${problem}`);
    this.name = 'MicrophoneError';
  }
}

const AUDIO_ONLY: MediaStreamConstraints = { audio: true, video: false };

/**
 * The microphone, asked for before a call is placed or answered: a refusal or a missing device
 * then says so clearly instead of failing inside SIP.js's offer/answer, and no INVITE (or 200)
 * goes out for a call that could not carry the user's voice.
 */
export class Microphone {
  #ready: MediaStream | undefined;

  async acquire(): Promise<void> {
    this.release();
    this.#ready = await this.#getUserMedia(AUDIO_ONLY);
  }

  /** Stops a stream acquired but not handed to a call (the call did not start). */
  release(): void {
    for (const track of this.#ready?.getTracks() ?? []) track.stop();
    this.#ready = undefined;
  }

  /** For SIP.js's session description handler: the acquired stream first, else a new one. */
  readonly streamFactory: Web.MediaStreamFactory = (constraints) => {
    const ready = this.#ready;
    this.#ready = undefined;
    return ready ? Promise.resolve(ready) : this.#getUserMedia(constraints);
  };

  async #getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    if (typeof navigator.mediaDevices?.getUserMedia !== 'function') {
      throw new MicrophoneError('insecure');
    }
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch (error) {
      throw new MicrophoneError(classifyMediaError((error as { name?: string } | null)?.name));
    }
  }
}
