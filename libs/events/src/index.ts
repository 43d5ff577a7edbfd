export * from './envelope/event-envelope';
export * from './bus/event-bus.port';
export * from './store/event-store.port';
export * from './events.error';
