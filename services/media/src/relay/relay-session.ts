import { isIPv6 } from 'node:net';
import {
  type AudioNegotiation,
  type AudioRewrite,
  type LocalMedia,
  type RemoteMedia,
  type RtpPortPool,
  type UdpPortPair,
  SdpOriginator,
  badSdp,
  rewriteAudioAnswer,
  rewriteAudioOffer,
} from '@pbx/rtp';
import {
  type MediaEndReason,
  type MediaSession,
  type MediaSessionStats,
  type MediaSide,
  MediaError,
  MediaErrorCode,
} from '@pbx/telephony';
import { ActivityClock, DirectionCounter, type RelayCounters } from './relay-counters';
import { RelayEndpoint } from './relay-endpoint';

/** What a session needs from the media control that made it. */
export interface RelaySessionContext {
  readonly pool: RtpPortPool<UdpPortPair>;
  /** Address written into SDP (PBX_MEDIA_PUBLIC_IP). */
  readonly publicAddress: string;
  /** Whether the sockets are IPv6 ones (PBX_MEDIA_HOST). */
  readonly ipv6: boolean;
  readonly counters: RelayCounters;
  readonly clock: () => number;
  /** Called once, when the session has closed. */
  readonly closed: (session: RelaySession) => void;
}

interface PendingOffer {
  readonly from: MediaSide;
  readonly negotiation: AudioNegotiation;
}

/** Before a side's endpoint exists, an SDP is checked against these ports (the RFC 863 discard port). */
const PLACEHOLDER_PORTS = { rtpPort: 9, rtcpPort: 10 };

function otherSide(side: MediaSide): MediaSide {
  return side === 'caller' ? 'callee' : 'caller';
}

/**
 * One call's media anchored in the platform: an endpoint (port pair) facing each side, taken when
 * the first SDP that carries its port is written, and the offer/answer state between the sides
 * (RFC 3264). Operations run one at a time, in the order they were called.
 */
export class RelaySession implements MediaSession {
  readonly #context: RelaySessionContext;
  readonly #endpoints: Record<MediaSide, RelayEndpoint | null> = { caller: null, callee: null };
  readonly #remote: Record<MediaSide, RemoteMedia | null> = { caller: null, callee: null };
  /** The o= origin of what is sent to each side. */
  readonly #origins: Record<MediaSide, SdpOriginator>;
  readonly #received: Record<MediaSide, DirectionCounter> = {
    caller: new DirectionCounter(),
    callee: new DirectionCounter(),
  };
  readonly #activity = new ActivityClock();
  readonly #listeners: ((reason: MediaEndReason) => void)[] = [];
  #pending: PendingOffer | null = null;
  #established = false;
  #endReason: MediaEndReason | null = null;
  #closing: Promise<void> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly callId: string,
    context: RelaySessionContext,
  ) {
    this.#context = context;
    this.#origins = {
      caller: new SdpOriginator(context.publicAddress),
      callee: new SdpOriginator(context.publicAddress),
    };
  }

  offer(from: MediaSide, sdp: string): Promise<string> {
    return this.#serialize(async () => {
      const to = otherSide(from);
      const rewrite = await this.#rewriteFor(to, (local) => rewriteAudioOffer(sdp, local));
      this.#learn(from, rewrite.remote);
      this.#pending = { from, negotiation: rewrite.negotiation };
      return this.#origins[to].stamp(rewrite.document);
    });
  }

  answer(from: MediaSide, sdp: string): Promise<string> {
    return this.#serialize(async () => {
      const to = otherSide(from);
      const pending = this.#pending;
      if (pending === null || pending.from !== to) {
        throw badSdp(`an answer from the ${from} with no offer from the ${to} waiting for it`);
      }
      const rewrite = await this.#rewriteFor(to, (local) =>
        rewriteAudioAnswer(sdp, pending.negotiation, local),
      );
      this.#learn(from, rewrite.remote);
      this.#pending = null;
      this.#established = true;
      // The RTP timeout counts from the latest negotiation: media may only now start flowing.
      this.#activity.at = this.#context.clock();
      return this.#origins[to].stamp(rewrite.document);
    });
  }

  onEnded(listener: (reason: MediaEndReason) => void): void {
    this.#listeners.push(listener);
    const reason = this.#endReason;
    if (reason !== null) queueMicrotask(() => this.#notify(listener, reason));
  }

  stats(): MediaSessionStats {
    const { caller, callee } = this.#received;
    return {
      fromCaller: { packets: caller.packets, bytes: caller.bytes },
      fromCallee: { packets: callee.packets, bytes: callee.bytes },
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#release();
    return this.#closing;
  }

  /** True once closed or closing. */
  get closed(): boolean {
    return this.#closing !== null;
  }

  /**
   * Ends the session when no packet arrived for `timeoutMs` while media should flow: negotiated,
   * and not on hold (both sides sendrecv, RFC 3264 §8.4). Returns true when it ended it.
   */
  expireIfSilent(now: number, timeoutMs: number): boolean {
    if (this.closed || !this.#established || this.#onHold()) return false;
    if (now - this.#activity.at < timeoutMs) return false;
    this.#context.counters.rtpTimeouts++;
    this.#end('rtp-timeout');
    return true;
  }

  #onHold(): boolean {
    return (
      this.#remote.caller?.direction !== 'sendrecv' || this.#remote.callee?.direction !== 'sendrecv'
    );
  }

  #end(reason: MediaEndReason): void {
    if (this.#endReason !== null) return;
    this.#endReason = reason;
    for (const listener of this.#listeners) this.#notify(listener, reason);
    void this.close();
  }

  #notify(listener: (reason: MediaEndReason) => void, reason: MediaEndReason): void {
    try {
      listener(reason);
    } catch {
      // A listener's failure must not keep the others from hearing, nor the ports from release.
    }
  }

  /** Rewrites with the endpoint facing `to`, taking its port pair first if it has none yet. */
  async #rewriteFor(
    to: MediaSide,
    rewrite: (local: LocalMedia) => AudioRewrite,
  ): Promise<AudioRewrite> {
    const existing = this.#endpoints[to];
    // A bad SDP is refused before any port is taken.
    const checked = rewrite(this.#local(existing));
    this.#checkFamily(checked.remote);
    if (existing !== null) return checked;
    const endpoint = await this.#allocate(to);
    return rewrite(this.#local(endpoint));
  }

  #local(endpoint: RelayEndpoint | null): LocalMedia {
    const ports = endpoint ?? PLACEHOLDER_PORTS;
    return {
      address: this.#context.publicAddress,
      rtpPort: ports.rtpPort,
      rtcpPort: ports.rtcpPort,
    };
  }

  #checkFamily(remote: RemoteMedia): void {
    for (const destination of [remote.rtp, remote.rtcp]) {
      if (destination !== null && isIPv6(destination.address) !== this.#context.ipv6) {
        throw badSdp(
          `media address ${destination.address} is not of the media host's address family`,
        );
      }
    }
  }

  async #allocate(side: MediaSide): Promise<RelayEndpoint> {
    const lease = await this.#context.pool.acquire();
    if (this.closed) {
      await this.#context.pool.release(lease);
      throw this.#closedError();
    }
    const { counters, clock } = this.#context;
    const endpoint = new RelayEndpoint(
      lease,
      this.#received[side],
      counters,
      this.#activity,
      clock,
    );
    this.#endpoints[side] = endpoint;
    const remote = this.#remote[side];
    if (remote !== null) endpoint.expect(remote);
    this.#endpoints[otherSide(side)]?.link(endpoint);
    return endpoint;
  }

  /** The side sent SDP: its endpoint sends there and latches again (new offer/answer). */
  #learn(side: MediaSide, remote: RemoteMedia): void {
    this.#remote[side] = remote;
    this.#endpoints[side]?.expect(remote);
  }

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw this.#closedError();
      return operation();
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #closedError(): MediaError {
    return new MediaError(MediaErrorCode.Closed, `media session of call ${this.callId} is closed`);
  }

  async #release(): Promise<void> {
    const endpoints = [this.#endpoints.caller, this.#endpoints.callee];
    this.#endpoints.caller = null;
    this.#endpoints.callee = null;
    for (const endpoint of endpoints) endpoint?.detach();
    try {
      await Promise.all(
        endpoints.map((endpoint) =>
          endpoint === null ? undefined : this.#context.pool.release(endpoint.lease),
        ),
      );
    } finally {
      this.#context.closed(this);
    }
  }
}
