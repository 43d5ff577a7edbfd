/**
 * Process-wide relay counters, plain numbers bumped on the hot path and read by the metrics
 * collector at scrape time (so that no Prometheus call happens per packet).
 */
export class RelayCounters {
  /** Packets sent on to the other side. */
  relayed = 0;
  /** Packets from a source other than the latched one (RFC 4961 symmetric RTP). */
  droppedByLatching = 0;
  /** Datagrams that are not RTP on an RTP port or not RTCP on an RTCP port (STUN, garbage). */
  droppedInvalid = 0;
  /** Packets for a side the relay does not know where to send to yet (no SDP, or c=0.0.0.0). */
  droppedNoDestination = 0;
  /** Sends the kernel refused (e.g. ENOBUFS). */
  sendErrors = 0;
  /** Sessions ended because no RTP arrived for PBX_RTP_TIMEOUT_S. */
  rtpTimeouts = 0;
}

/** Packets and bytes received from one side and relayed to the other. */
export class DirectionCounter {
  packets = 0;
  bytes = 0;
}

/** When a session last received a packet it accepted; shared by its four sockets. */
export class ActivityClock {
  at = 0;
}
