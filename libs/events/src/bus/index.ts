export * from './event-bus.port';
export {
  CloudEventHeader,
  CE_SPECVERSION,
  decodeKafkaRecord,
  encodeKafkaRecord,
} from './cloudevents-kafka-binding';
export { InProcessEventBus } from './in-process-event-bus';
export type { InProcessEventBusOptions } from './in-process-event-bus';
export { KafkaEventBus } from './kafka-event-bus';
export type { KafkaEventBusOptions } from './kafka-event-bus';
export type { InvalidKafkaRecord } from './kafka-subscription';
export type { KafkaBusLogEntry, KafkaBusLogger, KafkaBusLogLevel } from './kafka-logging';
export type { RetryBackoff } from './retry-backoff';
