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
}
