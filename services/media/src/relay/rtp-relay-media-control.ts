import { isIPv6 } from 'node:net';
import { type PortPairBinder, RtpPortPool, UdpPortPairBinder, type UdpPortPair } from '@pbx/rtp';
import type { MediaControl, MediaSession } from '@pbx/telephony';
import { TranslationCounters } from '../bridge/stream-translator';
import { type DtlsIdentity, createDtlsIdentity } from '../webrtc/dtls-identity';
import { WebRtcCounters } from '../webrtc/webrtc-counters';
import { RelayCounters } from './relay-counters';
import { RelaySession, type RelaySessionContext } from './relay-session';
import type { RelaySettings } from './relay-settings';

export interface RelayOptions {
  /** Binds port pairs; UDP sockets on PBX_MEDIA_HOST unless a test gives another. */
  readonly binder?: PortPairBinder<UdpPortPair>;
  readonly clock?: () => number;
}

/** A snapshot for metrics. */
export interface RelayStatus {
  readonly sessionsOpen: number;
  readonly portPairsInUse: number;
  readonly portPairsCapacity: number;
  readonly counters: Readonly<RelayCounters>;
  readonly webrtc: Readonly<WebRtcCounters>;
  readonly translation: Readonly<TranslationCounters>;
}

/**
 * The media service's MediaControl: every call's RTP and RTCP anchored in this process and
 * relayed between the two sides, with symmetric RTP latching for phones behind NAT, and WebRTC
 * legs of browsers bridged to them. A sweep ends sessions whose media went silent (a phone that
 * vanished without BYE).
 */
export class RtpRelayMediaControl implements MediaControl {
  readonly #settings: RelaySettings;
  readonly #pool: RtpPortPool<UdpPortPair>;
  readonly #clock: () => number;
  readonly #counters = new RelayCounters();
  readonly #webrtcCounters = new WebRtcCounters();
  readonly #translation = new TranslationCounters();
  #identity: Promise<DtlsIdentity> | null = null;
  readonly #sessions = new Set<RelaySession>();
  readonly #context: RelaySessionContext;
  #sweep: NodeJS.Timeout | null = null;

  constructor(settings: RelaySettings, options: RelayOptions = {}) {
    if (!Number.isFinite(settings.rtpTimeoutS) || settings.rtpTimeoutS <= 0) {
      throw new RangeError(`RTP timeout ${settings.rtpTimeoutS} s is not a positive number`);
    }
    this.#settings = settings;
    this.#clock = options.clock ?? Date.now;
    this.#pool = new RtpPortPool(
      settings.rtpPorts,
      options.binder ?? new UdpPortPairBinder(settings.mediaHost),
    );
    this.#context = {
      pool: this.#pool,
      publicAddress: settings.mediaPublicIp,
      ipv6: isIPv6(settings.mediaHost),
      counters: this.#counters,
      webrtcCounters: this.#webrtcCounters,
      translation: this.#translation,
      identity: (): Promise<DtlsIdentity> => (this.#identity ??= createDtlsIdentity()),
      candidateAddresses: settings.webrtcCandidates ?? [settings.mediaPublicIp],
      clock: this.#clock,
      closed: (session): void => this.#forget(session),
    };
  }

  createSession(callId: string): MediaSession {
    const session = new RelaySession(callId, this.#context);
    this.#sessions.add(session);
    this.#startSweep();
    return session;
  }

  openSessions(): number {
    return this.#sessions.size;
  }

  status(): RelayStatus {
    return {
      sessionsOpen: this.#sessions.size,
      portPairsInUse: this.#pool.inUse,
      portPairsCapacity: this.#pool.capacity,
      counters: this.#counters,
      webrtc: this.#webrtcCounters,
      translation: this.#translation,
    };
  }

  /** Closes every session and releases its ports (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions].map((session) => session.close()));
    this.#stopSweep();
  }

  /** Ends silent sessions; public so that tests with a fake clock can drive it. */
  sweep(): void {
    const now = this.#clock();
    const timeoutMs = this.#settings.rtpTimeoutS * 1000;
    for (const session of this.#sessions) session.expireIfSilent(now, timeoutMs);
  }

  #forget(session: RelaySession): void {
    this.#sessions.delete(session);
    if (this.#sessions.size === 0) this.#stopSweep();
  }

  #startSweep(): void {
    if (this.#sweep !== null) return;
    // A quarter of the timeout, at most a second: a silent call ends within 1.25 timeouts.
    const everyMs = Math.min(1_000, (this.#settings.rtpTimeoutS * 1000) / 4);
    this.#sweep = setInterval(() => this.sweep(), everyMs);
    this.#sweep.unref();
  }

  #stopSweep(): void {
    if (this.#sweep === null) return;
    clearInterval(this.#sweep);
    this.#sweep = null;
  }
}
