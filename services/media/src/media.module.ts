import { Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { PlatformConfig } from '@pbx/config';
import { PLATFORM_CONFIG, PlatformMetrics, type ServiceDefinition } from '@pbx/platform';
import { MEDIA_CONTROL } from '@pbx/telephony';
import { registerMediaMetrics } from './metrics/media-metrics';
import { relaySettingsFrom } from './relay/relay-settings';
import { RtpRelayMediaControl } from './relay/rtp-relay-media-control';

/**
 * Provides MEDIA_CONTROL to the whole process (the SIP edge and routing inject it). Global,
 * so that call control reaches media only through the port, never through this module.
 */
@Global()
@Module({
  providers: [
    {
      provide: RtpRelayMediaControl,
      useFactory: (config: PlatformConfig, metrics: PlatformMetrics): RtpRelayMediaControl => {
        const control = new RtpRelayMediaControl(relaySettingsFrom(config));
        registerMediaMetrics(metrics.registry, () => control.status());
        return control;
      },
      inject: [PLATFORM_CONFIG, PlatformMetrics],
    },
    { provide: MEDIA_CONTROL, useExisting: RtpRelayMediaControl },
  ],
  exports: [MEDIA_CONTROL],
})
export class MediaModule implements OnModuleDestroy {
  constructor(@Inject(RtpRelayMediaControl) private readonly control: RtpRelayMediaControl) {}

  /** Closes every call's media and gives its ports back on shutdown. */
  async onModuleDestroy(): Promise<void> {
    await this.control.closeAll();
  }
}

export const mediaService: ServiceDefinition = {
  name: 'media',
  module: MediaModule,
};
