// Public entry of the media service (the standalone process imports services only from here).
export { MediaModule, mediaService } from './media.module';
export {
  RtpRelayMediaControl,
  type RelayOptions,
  type RelayStatus,
} from './relay/rtp-relay-media-control';
export { RelaySession } from './relay/relay-session';
export { relaySettingsFrom, type RelaySettings } from './relay/relay-settings';
export { RelayCounters } from './relay/relay-counters';
