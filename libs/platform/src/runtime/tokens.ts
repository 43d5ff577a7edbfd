/** Injection tokens of what the platform hands every service module. */
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const EVENT_BUS = Symbol('EVENT_BUS');
/** Each service module binds its own store (its own CloudEvents source) with `eventStoreProvider`. */
export const EVENT_STORE = Symbol('EVENT_STORE');
