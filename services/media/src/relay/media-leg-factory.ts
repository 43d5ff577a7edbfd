// How a session's leg of either kind is made: a port pair leased from the pool, then wrapped as a
// plain RTP endpoint or as a WebRTC endpoint. Kept apart from the session so that the session
// decides which leg a side uses, and this file alone knows what each kind needs to exist.
import type { RemoteMedia, RtpPortPool, UdpPortPair } from '@pbx/rtp';
import type { MediaError, MediaLegKind } from '@pbx/telephony';
import type { MediaLeg } from '../bridge/media-leg';
import type { DtlsIdentity } from '../webrtc/dtls-identity';
import type { WebRtcCounters } from '../webrtc/webrtc-counters';
import { WebRtcEndpoint } from '../webrtc/webrtc-endpoint';
import type { ActivityClock, DirectionCounter, RelayCounters } from './relay-counters';
import { RelayEndpoint } from './relay-endpoint';

/** What making legs needs from the media control. */
export interface MediaLegFactoryContext {
  readonly pool: RtpPortPool<UdpPortPair>;
  readonly counters: RelayCounters;
  readonly webrtcCounters: WebRtcCounters;
  /** The process's DTLS certificate, made on first use. */
  readonly identity: () => Promise<DtlsIdentity>;
  /** ICE host candidate addresses of WebRTC legs, best first. */
  readonly candidateAddresses: readonly string[];
  readonly clock: () => number;
}

/** What making legs needs from the session they belong to. */
export interface MediaLegOwner {
  /** Null while the session is open; once closed, what to throw (a lease taken goes back first). */
  readonly closedError: () => MediaError | null;
  /** A WebRTC leg's DTLS handshake failed. */
  readonly legFailed: () => void;
}

export class MediaLegFactory {
  readonly #context: MediaLegFactoryContext;
  readonly #activity: ActivityClock;
  readonly #owner: MediaLegOwner;

  constructor(context: MediaLegFactoryContext, activity: ActivityClock, owner: MediaLegOwner) {
    this.#context = context;
    this.#activity = activity;
    this.#owner = owner;
  }

  /**
   * A new leg of `kind` counting what its side sends into `received`; a plain leg sends to
   * `remote` when that side's SDP already said where. Throws MediaError NoPorts or Closed.
   */
  async create(
    kind: MediaLegKind,
    received: DirectionCounter,
    remote: RemoteMedia | null,
  ): Promise<MediaLeg> {
    const context = this.#context;
    const identity = kind === 'webrtc' ? await context.identity() : null;
    const lease = await context.pool.acquire();
    const closed = this.#owner.closedError();
    if (closed !== null) {
      await context.pool.release(lease);
      throw closed;
    }
    if (identity === null) {
      const endpoint = new RelayEndpoint(
        lease,
        received,
        context.counters,
        this.#activity,
        context.clock,
      );
      if (remote !== null) endpoint.expect(remote);
      return endpoint;
    }
    return new WebRtcEndpoint(lease, {
      identity,
      counters: context.webrtcCounters,
      received,
      activity: this.#activity,
      clock: context.clock,
      candidateAddresses: context.candidateAddresses,
      onFailure: () => this.#owner.legFailed(),
    });
  }

  /** Stops the leg and gives its port pair back. */
  async free(leg: MediaLeg): Promise<void> {
    leg.detach();
    await this.#context.pool.release(leg.lease);
  }
}
