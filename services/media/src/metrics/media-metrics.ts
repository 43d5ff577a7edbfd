import { Counter, Gauge, type Registry } from 'prom-client';
import type { RelayStatus } from '../relay/rtp-relay-media-control';

/**
 * The relay's Prometheus metrics, read from its plain counters when scraped: the packet path
 * never calls into prom-client.
 */
export function registerMediaMetrics(registry: Registry, status: () => RelayStatus): void {
  const registers = [registry];
  const gauge = (name: string, help: string, read: (s: RelayStatus) => number): void => {
    registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      registers,
      collect(): void {
        this.set(read(status()));
      },
    });
  };
  // Counters advance by what the relay counted since the previous scrape.
  const counter = (name: string, help: string, read: (s: RelayStatus) => number): void => {
    registry.removeSingleMetric(name);
    let reported = 0;
    new Counter({
      name,
      help,
      registers,
      collect(): void {
        const total = read(status());
        if (total > reported) this.inc(total - reported);
        reported = total;
      },
    });
  };
  gauge(
    'pbx_media_sessions_open',
    'Media sessions (calls) anchored in this process',
    (s) => s.sessionsOpen,
  );
  gauge(
    'pbx_media_port_pairs_in_use',
    'RTP/RTCP port pairs bound from PBX_RTP_PORTS',
    (s) => s.portPairsInUse,
  );
  gauge(
    'pbx_media_port_pairs_capacity',
    'RTP/RTCP port pairs in PBX_RTP_PORTS',
    (s) => s.portPairsCapacity,
  );
  counter(
    'pbx_media_packets_relayed_total',
    'RTP and RTCP packets relayed to the other side',
    (s) => s.counters.relayed,
  );
  counter(
    'pbx_media_packets_dropped_latching_total',
    'Packets dropped because they came from a source other than the latched one',
    (s) => s.counters.droppedByLatching,
  );
  counter(
    'pbx_media_packets_dropped_invalid_total',
    'Datagrams on media ports that were neither RTP nor RTCP',
    (s) => s.counters.droppedInvalid,
  );
  counter(
    'pbx_media_packets_dropped_no_destination_total',
    'Packets for a side whose media address is not known yet or on hold',
    (s) => s.counters.droppedNoDestination,
  );
  counter(
    'pbx_media_send_errors_total',
    'Relayed packets the kernel refused to send',
    (s) => s.counters.sendErrors,
  );
  counter(
    'pbx_media_rtp_timeouts_total',
    'Calls ended because their media went silent',
    (s) => s.counters.rtpTimeouts,
  );
  counter(
    'pbx_media_webrtc_ice_checks_total',
    'ICE connectivity and consent checks answered on WebRTC legs',
    (s) => s.webrtc.iceChecks,
  );
  counter(
    'pbx_media_webrtc_dtls_handshakes_total',
    'DTLS-SRTP handshakes completed on WebRTC legs',
    (s) => s.webrtc.dtlsConnected,
  );
  counter(
    'pbx_media_webrtc_dtls_failures_total',
    'DTLS-SRTP handshakes that failed, a certificate not matching its fingerprint included',
    (s) => s.webrtc.dtlsFailed,
  );
  counter(
    'pbx_media_webrtc_srtp_rejected_total',
    'SRTP/SRTCP packets refused: authentication, replay, or before keys',
    (s) => s.webrtc.srtpRejected,
  );
  counter(
    'pbx_media_packets_transcoded_total',
    'Audio packets transcoded between Opus and G.711 (or between the G.711 laws)',
    (s) => s.translation.transcoded,
  );
}
