import { Test } from '@nestjs/testing';
import type { PlatformConfig } from '@pbx/config';
import { PLATFORM_CONFIG, PlatformMetrics } from '@pbx/platform';
import { MEDIA_CONTROL, type MediaControl } from '@pbx/telephony';
import { FakePhone, randomPortBase } from './relay/fake-phone.spec-helper';
import { MediaModule, mediaService } from './media.module';

class TestPlatformModule {}

describe(MediaModule.name, () => {
  it('provides MEDIA_CONTROL from the config, exposes its metrics, and closes calls on shutdown', async () => {
    const base = randomPortBase();
    const config = {
      rtpPorts: { start: base, end: base + 9 },
      mediaHost: '127.0.0.1',
      mediaPublicIp: undefined,
      rtpTimeoutS: 60,
    } as unknown as PlatformConfig;
    const metrics = new PlatformMetrics('media-test');
    // What PlatformModule gives every service module in a running platform.
    const providers = [
      { provide: PLATFORM_CONFIG, useValue: config },
      { provide: PlatformMetrics, useValue: metrics },
    ];
    const platform = {
      module: TestPlatformModule,
      global: true,
      providers,
      exports: providers.map((p) => p.provide),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [platform, MediaModule],
    }).compile();
    const phone = await FakePhone.open();
    try {
      const control = moduleRef.get<MediaControl>(MEDIA_CONTROL);
      const offer = await control.createSession('call-1').offer('caller', phone.sdp());
      expect(offer).toContain('c=IN IP4 127.0.0.1'); // no public IP set: the host's address
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/pbx_media_sessions_open\{service="media-test"\} 1/);
      expect(text).toMatch(/pbx_media_port_pairs_in_use\{service="media-test"\} 1/);
      expect(text).toMatch(/pbx_media_packets_relayed_total\{service="media-test"\} 0/);
      await moduleRef.close();
      expect(control.openSessions()).toBe(0);
      expect(mediaService).toMatchObject({ name: 'media', module: MediaModule });
    } finally {
      await phone.close();
    }
  });
});
