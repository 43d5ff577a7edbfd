import { Module } from '@nestjs/common';
import { eventStoreProvider, type ServiceDefinition } from '@pbx/platform';
import { DirectoryChanges } from './directory/directory-changes';
import { SipEdgeDeviceDirectory1764028800700 } from './directory/device-directory.migration';
import { deviceDirectoryProjection } from './directory/device-directory.projection';
import { PhoneController } from './phone/phone.controller';
import { phoneProviders } from './phone/phone.providers';
import { DIRECTORY_CHANGES, SipEdgeLifecycle } from './sip-edge.lifecycle';

const directoryChanges = new DirectoryChanges();

@Module({
  controllers: [PhoneController],
  providers: [
    eventStoreProvider('sip-edge'),
    { provide: DIRECTORY_CHANGES, useValue: directoryChanges },
    SipEdgeLifecycle,
    ...phoneProviders,
  ],
  exports: [SipEdgeLifecycle],
})
export class SipEdgeModule {}

export const sipEdgeService: ServiceDefinition = {
  name: 'sip-edge',
  module: SipEdgeModule,
  migrations: [SipEdgeDeviceDirectory1764028800700],
  projections: [
    deviceDirectoryProjection({ onCommitted: (touched) => directoryChanges.emit(touched) }),
  ],
};
