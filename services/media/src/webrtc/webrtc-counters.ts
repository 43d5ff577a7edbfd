/** Process-wide counters of the WebRTC legs, read by the metrics collector when scraped. */
export class WebRtcCounters {
  /** ICE connectivity and consent checks answered. */
  iceChecks = 0;
  /** STUN datagrams refused: not a Binding request, wrong credentials or integrity. */
  iceRefused = 0;
  /** DTLS-SRTP handshakes completed with a matching fingerprint. */
  dtlsConnected = 0;
  /** Handshakes that failed (including a certificate that does not match the SDP). */
  dtlsFailed = 0;
  /** SRTP/SRTCP packets that failed authentication or replay checks, or came before keys. */
  srtpRejected = 0;
  /** Datagrams from a source that passed no ICE check. */
  droppedUnverified = 0;
  /** SRTP packets sent to browsers. */
  srtpSent = 0;
}
