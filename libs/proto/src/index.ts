export * from './wire-names';
export * from './event-registry';
export * from './gen/pbx/provisioning/v1/events_pb';
export * from './gen/pbx/provisioning/v1/group_events_pb';
export * from './gen/pbx/provisioning/v1/enterprise_events_pb';
export * from './gen/pbx/numbers/v1/events_pb';
