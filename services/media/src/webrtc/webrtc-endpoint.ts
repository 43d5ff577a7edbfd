import type { RemoteInfo, Socket } from 'node:dgram';
import {
  type DtlsFingerprint,
  type DtlsSetup,
  type IceCandidate,
  type PortPairLease,
  SrtpContext,
  type UdpPortPair,
} from '@pbx/rtp';
import type { MediaLeg, PacketSink } from '../bridge/media-leg';
import type { ActivityClock, DirectionCounter } from '../relay/relay-counters';
import type { DtlsIdentity } from './dtls-identity';
import { type DtlsRole, DtlsSession, type DtlsSrtpKeys } from './dtls-session';
import { IceLiteAgent } from './ice-lite-agent';
import { OutboundStream } from './outbound-stream';
import type { WebRtcCounters } from './webrtc-counters';

/** What a WebRTC leg shares with the rest of the media service. */
export interface WebRtcEndpointContext {
  readonly identity: DtlsIdentity;
  readonly counters: WebRtcCounters;
  readonly received: DirectionCounter;
  readonly activity: ActivityClock;
  readonly clock: () => number;
  /** Host candidate addresses, best first (PBX_MEDIA_PUBLIC_IP, then the host's). */
  readonly candidateAddresses: readonly string[];
  readonly onFailure: (reason: string) => void;
}

/** The browser's parameters from its SDP. */
export interface RemoteSecureTransport {
  readonly iceUfrag: string;
  readonly fingerprints: readonly DtlsFingerprint[];
}

/**
 * One browser leg on one UDP port (the RTP port of a pair; rtcp-mux, RFC 8858): ICE-lite
 * (RFC 8445 §2.5), DTLS-SRTP (RFC 5764) and SRTP, demultiplexed by first octet (RFC 7983):
 * 0-3 STUN, 20-63 DTLS, 128-191 RTP and RTCP. Only sources that passed an ICE check are heard.
 * The DTLS association lives as long as the leg: a re-offer (hold, resume) keeps it.
 */
export class WebRtcEndpoint implements MediaLeg {
  readonly kind = 'webrtc';
  readonly ice = new IceLiteAgent();
  /** What the leg sends, under the SSRC its SDP signals. */
  readonly outbound = new OutboundStream();
  readonly #socket: Socket;
  readonly #context: WebRtcEndpointContext;
  #dtls: DtlsSession | null = null;
  #fingerprints: readonly DtlsFingerprint[] = [];
  #protect: SrtpContext | null = null;
  #unprotect: SrtpContext | null = null;
  #rtpSink: PacketSink | null = null;
  #rtcpSink: PacketSink | null = null;
  #detached = false;

  constructor(
    readonly lease: PortPairLease<UdpPortPair>,
    context: WebRtcEndpointContext,
  ) {
    this.#context = context;
    this.#socket = lease.sockets.rtp;
    this.#socket.on('message', this.#onMessage);
    this.#socket.on('error', this.#onError);
    // rtcp-mux: the pair's RTCP port is held but unused.
    lease.sockets.rtcp.on('error', this.#onError);
  }

  get rtpPort(): number {
    return this.lease.rtpPort;
  }

  get rtcpPort(): number {
    return this.lease.rtpPort;
  }

  get fingerprint(): DtlsFingerprint {
    return this.#context.identity.fingerprint;
  }

  /** Host candidates on this leg's port (RFC 8445 §5.1.2 priorities, best address first). */
  get candidates(): IceCandidate[] {
    return this.#context.candidateAddresses.map((address, index) => ({
      foundation: String(index + 1),
      component: 1,
      priority: 126 * 2 ** 24 + (65535 - index) * 2 ** 8 + 255,
      address,
      port: this.lease.rtpPort,
      type: 'host',
    }));
  }

  /**
   * a=setup for an SDP the platform sends: in an offer `actpass` until a role was agreed, then
   * the agreed one, which keeps the association (RFC 8842 §5.5); in an answer to `actpass`,
   * `passive` (the platform serves, the browser connects, as RFC 8842 §5.3 recommends).
   */
  setupFor(answering: DtlsSetup | undefined): DtlsSetup {
    const role = this.#dtls?.role;
    if (role !== undefined) return role === 'server' ? 'passive' : 'active';
    if (answering === undefined) return 'actpass';
    return answering === 'passive' ? 'active' : 'passive';
  }

  /**
   * Applies the browser's SDP: its ICE ufrag and fingerprints, and the DTLS role the exchange
   * gave the platform. A new fingerprint (another certificate) starts a new association.
   */
  configure(remote: RemoteSecureTransport, role: DtlsRole): void {
    this.ice.setRemoteUfrag(remote.iceUfrag);
    const sameCertificate =
      this.#dtls !== null &&
      remote.fingerprints.some((f) => this.#fingerprints.some((g) => g.value === f.value));
    this.#fingerprints = remote.fingerprints;
    if (sameCertificate && this.#dtls?.role === role) return;
    this.#dtls?.close();
    this.#protect = null;
    this.#unprotect = null;
    this.#dtls = new DtlsSession(
      role,
      this.#context.identity,
      remote.fingerprints,
      this.#sendDtls,
      {
        onKeys: (keys) => this.#keyed(keys),
        onFailure: (reason) => {
          this.#context.counters.dtlsFailed++;
          this.#context.onFailure(reason);
        },
      },
    );
    if (this.ice.selectedAddress !== null) this.#dtls.start();
  }

  bridge(rtp: PacketSink | null, rtcp: PacketSink | null): void {
    this.#rtpSink = rtp;
    this.#rtcpSink = rtcp;
  }

  sendRtp(packet: Buffer): void {
    const protect = this.#protect;
    const address = this.ice.selectedAddress;
    if (protect === null || address === null || this.#detached) return;
    this.outbound.apply(packet);
    this.#socket.send(protect.protectRtp(packet), this.ice.selectedPort, address);
    this.#context.counters.srtpSent++;
  }

  sendRtcp(packet: Buffer): void {
    const protect = this.#protect;
    const address = this.ice.selectedAddress;
    if (protect === null || address === null || this.#detached) return;
    this.#socket.send(protect.protectRtcp(packet), this.ice.selectedPort, address);
  }

  detach(): void {
    this.#detached = true;
    this.#socket.removeListener('message', this.#onMessage);
    this.#dtls?.close();
    this.#rtpSink = null;
    this.#rtcpSink = null;
  }

  #keyed(keys: DtlsSrtpKeys): void {
    this.#context.counters.dtlsConnected++;
    this.#protect = new SrtpContext(keys.local);
    this.#unprotect = new SrtpContext(keys.remote);
  }

  #sendDtls = (datagram: Buffer): void => {
    const address = this.ice.selectedAddress;
    if (address === null || this.#detached) return;
    this.#socket.send(datagram, this.ice.selectedPort, address);
  };

  #onMessage = (packet: Buffer, source: RemoteInfo): void => {
    const first = packet[0];
    const counters = this.#context.counters;
    if (first < 4) {
      const result = this.ice.onStun(packet, source.address, source.port);
      if (result.response === null) {
        counters.iceRefused++;
        return;
      }
      counters.iceChecks++;
      this.#socket.send(result.response, source.port, source.address);
      if (result.selected && this.#dtls?.role === 'client') this.#dtls.start();
      return;
    }
    if (!this.ice.isValidated(source.address, source.port)) {
      counters.droppedUnverified++;
      return;
    }
    if (first >= 20 && first <= 63) {
      this.#dtls?.receive(packet);
      return;
    }
    if (first < 128 || first > 191) return;
    const unprotect = this.#unprotect;
    if (unprotect === null) {
      counters.srtpRejected++;
      return;
    }
    // RFC 5761 §4: RTCP packet types 192-223 in the second octet; RTP otherwise.
    const isRtcp = packet.length > 1 && packet[1] >= 192 && packet[1] <= 223;
    const plain = isRtcp ? unprotect.unprotectRtcp(packet) : unprotect.unprotectRtp(packet);
    if (plain === null) {
      counters.srtpRejected++;
      return;
    }
    this.#context.activity.at = this.#context.clock();
    if (isRtcp) {
      this.#rtcpSink?.(plain);
      return;
    }
    this.#context.received.packets++;
    this.#context.received.bytes += plain.length;
    this.#rtpSink?.(plain);
  };

  #onError = (): void => {
    // A failed send surfaces here; the listener keeps it from crashing the process.
  };
}
