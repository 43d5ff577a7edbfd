export * from './wire-names';
export * from './event-registry';
export * from './gen/pbx/provisioning/v1/events_pb';
