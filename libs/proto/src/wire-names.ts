/*
 * ============================================================================================
 *  WIRE NAMES. Kafka topics and consumer groups below are read by other deployments, partners
 *  and stored offsets. Never rename or remove one without a migration plan: a breaking change is
 *  a new version (`pbx.<area>.v2`) published side by side until every consumer has moved.
 * ============================================================================================
 */

/** One topic per area; the protobuf package of an event names its topic. */
export const TOPICS = {
  provisioning: 'pbx.provisioning.v1',
  registrations: 'pbx.registrations.v1',
  calls: 'pbx.calls.v1',
  numbers: 'pbx.numbers.v1',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Consumer groups: one per projection or reactor, named `<service>.<purpose>`. */
export const CONSUMER_GROUPS = {
  eventsGatewayAuditLog: 'events-gateway.audit-log',
  eventsGatewayWebhookFanOut: 'events-gateway.webhook-fan-out',
  provisioningTenantDirectory: 'provisioning.tenant-directory',
  provisioningGroupDirectory: 'provisioning.group-directory',
  provisioningNumberInventory: 'provisioning.number-inventory',
  numbersBlockDirectory: 'numbers.block-directory',
  numbersInventoryReactor: 'numbers.inventory-reactor',
  numbersGroupNumbersReactor: 'numbers.group-numbers-reactor',
  routingDirectory: 'routing.directory',
  routingCallRecords: 'routing.call-records',
  sipEdgeDeviceDirectory: 'sip-edge.device-directory',
} as const;

const TOPIC_OF_PACKAGE = /^(pbx\.[a-z-]+\.v[0-9]+)\.[A-Z][A-Za-z0-9]*$/;

/**
 * The topic an event type travels on: its protobuf package. `pbx.calls.v1.CallAnswered` travels on
 * `pbx.calls.v1`. Throws for a name that is not a versioned platform event type.
 */
export function topicOfEventType(type: string): string {
  const match = TOPIC_OF_PACKAGE.exec(type);
  if (!match) {
    throw new TypeError(`"${type}" is not a platform event type (pbx.<area>.v<N>.<Message>)`);
  }
  return match[1];
}
