import type {
  MediaAnswerOptions,
  MediaControl,
  MediaError,
  MediaEndReason,
  MediaLegKind,
  MediaOfferOptions,
  MediaSession,
  MediaSessionStats,
  MediaSide,
} from '@pbx/telephony';

/** The address the fake media anchors each side's stream at, in the SDP it sends the other. */
export const ANCHOR: Record<MediaSide, string> = {
  caller: '192.0.2.10',
  callee: '192.0.2.20',
};

/** Puts the anchor of `from` in place of the sender's connection address and audio port. */
export function anchorSdp(from: MediaSide, sdp: string): string {
  return sdp
    .replace(/^c=IN IP4 \S+/gm, `c=IN IP4 ${ANCHOR[from]}`)
    .replace(/^m=audio \d+/gm, from === 'caller' ? 'm=audio 30000' : 'm=audio 30002');
}

export interface MediaCall {
  readonly op: 'offer' | 'answer';
  readonly from: MediaSide;
  readonly sdp: string;
  /** The kind of leg an offer was made for (offer), or whether an answer was provisional. */
  readonly to?: MediaLegKind;
  readonly provisional?: boolean;
}

/** The line the fake adds to an offer made for a WebRTC leg, so that a test can tell them apart. */
export const WEBRTC_MARK = 'a=x-fake-leg:webrtc';

export class FakeMediaSession implements MediaSession {
  readonly calls: MediaCall[] = [];
  closed = false;
  readonly #listeners: ((reason: MediaEndReason) => void)[] = [];

  constructor(
    readonly callId: string,
    private readonly failure?: MediaError,
    /** Answers resolve only once it settles: lets a test race SIP against the media service. */
    private readonly answerGate?: Promise<void>,
  ) {}

  offer(from: MediaSide, sdp: string, options: MediaOfferOptions = {}): Promise<string> {
    this.calls.push({ op: 'offer', from, sdp, to: options.to });
    if (this.failure) return Promise.reject(this.failure);
    const anchored = anchorSdp(from, sdp);
    return Promise.resolve(options.to === 'webrtc' ? `${anchored}${WEBRTC_MARK}\r\n` : anchored);
  }

  async answer(from: MediaSide, sdp: string, options: MediaAnswerOptions = {}): Promise<string> {
    this.calls.push({ op: 'answer', from, sdp, provisional: options.provisional });
    await this.answerGate;
    return anchorSdp(from, sdp);
  }

  onEnded(listener: (reason: MediaEndReason) => void): void {
    this.#listeners.push(listener);
  }

  /** What the media service does when no RTP arrived for PBX_RTP_TIMEOUT_S. */
  end(reason: MediaEndReason): void {
    for (const l of this.#listeners) l(reason);
  }

  stats(): MediaSessionStats {
    return { fromCaller: { packets: 0, bytes: 0 }, fromCallee: { packets: 0, bytes: 0 } };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** MediaControl that rewrites SDP trivially and records what the edge asked of it. */
export class FakeMediaControl implements MediaControl {
  readonly sessions: FakeMediaSession[] = [];
  /** Every offer of the sessions created from now on fails with it (no ports, bad SDP...). */
  failWith: MediaError | undefined;
  #gate: Promise<void> | undefined;

  /** Holds every answer of the sessions created from now on until the returned release runs. */
  holdAnswers(): () => void {
    let release = (): void => undefined;
    this.#gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.#gate = undefined;
      release();
    };
  }

  createSession(callId: string): MediaSession {
    const session = new FakeMediaSession(callId, this.failWith, this.#gate);
    this.sessions.push(session);
    return session;
  }

  openSessions(): number {
    return this.sessions.filter((s) => !s.closed).length;
  }
}
