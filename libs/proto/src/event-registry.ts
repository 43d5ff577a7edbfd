import { createRegistry, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { file_pbx_calls_v1_events } from './gen/pbx/calls/v1/events_pb';
import { file_pbx_numbers_v1_events } from './gen/pbx/numbers/v1/events_pb';
import { file_pbx_provisioning_v1_enterprise_events } from './gen/pbx/provisioning/v1/enterprise_events_pb';
import { file_pbx_provisioning_v1_events } from './gen/pbx/provisioning/v1/events_pb';
import { file_pbx_provisioning_v1_group_events } from './gen/pbx/provisioning/v1/group_events_pb';
import { file_pbx_registrations_v1_events } from './gen/pbx/registrations/v1/events_pb';
import { file_pbx_provisioning_v1_trunk_events } from './gen/pbx/provisioning/v1/trunk_events_pb';

/** Every event contract the platform publishes; decoders and the partner JSON use it. */
export const eventRegistry: Registry = createRegistry(
  file_pbx_provisioning_v1_events,
  file_pbx_provisioning_v1_group_events,
  file_pbx_provisioning_v1_enterprise_events,
  file_pbx_provisioning_v1_trunk_events,
  file_pbx_numbers_v1_events,
  file_pbx_registrations_v1_events,
  file_pbx_calls_v1_events,
);

export function eventSchema(type: string): DescMessage | undefined {
  return eventRegistry.getMessage(type);
}
