import type { RemoteInfo, Socket } from 'node:dgram';
import { isRtcpPacket, isRtpPacket } from '@pbx/rtp';
import type { PacketSink } from '../bridge/media-leg';
import type { ActivityClock, DirectionCounter, RelayCounters } from './relay-counters';
import { SourceLatch } from './source-latch';

export type PathKind = 'rtp' | 'rtcp';

/**
 * One socket of an endpoint: receives what the side it faces sends, and sends what the other side
 * sends. The hot path: one handler per socket, bound once; no allocation, no logging, no copy of
 * the datagram (RFC 3550 packets are forwarded unchanged, telephone-events included).
 */
export class RelayPath {
  readonly latch = new SourceLatch();
  /** The path of the same kind on the endpoint facing the other side; null until it exists. */
  peer: RelayPath | null = null;
  /** Set when the call is bridged (another kind of leg, other formats): takes every packet. */
  sink: PacketSink | null = null;
  readonly #socket: Socket;
  readonly #isValid: (packet: Uint8Array) => boolean;
  readonly #received: DirectionCounter;
  readonly #counters: RelayCounters;
  readonly #activity: ActivityClock;
  readonly #clock: () => number;

  constructor(
    socket: Socket,
    kind: PathKind,
    received: DirectionCounter,
    counters: RelayCounters,
    activity: ActivityClock,
    clock: () => number,
  ) {
    this.#socket = socket;
    this.#isValid = kind === 'rtp' ? isRtpPacket : isRtcpPacket;
    this.#received = received;
    this.#counters = counters;
    this.#activity = activity;
    this.#clock = clock;
    socket.on('message', this.#onMessage);
    socket.on('error', this.#onError);
  }

  /** Stops relaying; the pool closes the socket. */
  detach(): void {
    this.#socket.removeListener('message', this.#onMessage);
    if (this.peer?.peer === this) this.peer.peer = null;
    this.peer = null;
    this.sink = null;
  }

  /** Sends a packet from a bridge to the side this path faces (its latched address). */
  sendToSide(packet: Buffer): void {
    if (this.latch.address === null) {
      this.#counters.droppedNoDestination++;
      return;
    }
    this.#socket.send(packet, this.latch.port, this.latch.address);
  }

  #onMessage = (packet: Buffer, source: RemoteInfo): void => {
    if (!this.#isValid(packet)) {
      this.#counters.droppedInvalid++;
      return;
    }
    const now = this.#clock();
    if (!this.latch.accept(source.address, source.port, now)) {
      this.#counters.droppedByLatching++;
      return;
    }
    this.#activity.at = now;
    const sink = this.sink;
    if (sink !== null) {
      this.#received.packets++;
      this.#received.bytes += packet.length;
      sink(packet);
      return;
    }
    const peer = this.peer;
    if (peer === null || peer.latch.address === null) {
      this.#counters.droppedNoDestination++;
      return;
    }
    peer.#socket.send(packet, peer.latch.port, peer.latch.address);
    this.#received.packets++;
    this.#received.bytes += packet.length;
    this.#counters.relayed++;
  };

  #onError = (): void => {
    // Without a callback, a failed send surfaces here; the listener keeps it from crashing.
    this.#counters.sendErrors++;
  };
}
