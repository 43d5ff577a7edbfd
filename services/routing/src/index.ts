// Public entry of the routing service (the standalone process imports services only from here).
export { createRoutingService, routingService, type RoutingServiceOptions } from './routing.module';
export * from './domain/call/call';
export * from './domain/call/call.decider';
export { callEventCodec } from './adapters/events/call-event.codec';
