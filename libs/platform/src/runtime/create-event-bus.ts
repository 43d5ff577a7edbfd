import type { Logger } from 'pino';
import type { PlatformConfig } from '@pbx/config';
import { EventBus, InProcessEventBus, KafkaEventBus } from '@pbx/events';

/** Kafka when KAFKA_BROKERS is set, the in-process bus otherwise (ARCHITECTURE.md). */
export function createEventBus(config: PlatformConfig, service: string, log: Logger): EventBus {
  const onHandlerError = (error: unknown): void =>
    log.warn({ err: error }, 'event handler failed; the event will be delivered again');
  if (!config.kafkaBrokers) return new InProcessEventBus({ onHandlerError });
  return new KafkaEventBus({
    brokers: config.kafkaBrokers,
    clientId: config.kafkaClientId ?? `pbx-${service}`,
    maxWaitTimeInMs: 250,
    sessionTimeoutMs: config.kafkaSessionTimeoutMs,
    heartbeatIntervalMs: config.kafkaHeartbeatIntervalMs,
    log: (entry) => log.debug({ kafka: entry }, 'kafka'),
    onHandlerError,
    onInvalidMessage: (record) =>
      log.warn({ record }, 'skipped a Kafka record that is not a valid event'),
  });
}
