// Public entry of the numbers service (the standalone process imports services only from here).
export * from './domain/numbers.error';
export * from './domain/country-table';
export * from './domain/number-kind';
export * from './domain/number-range';
export * from './domain/block-rules';
export * from './domain/number-block/number-block';
export * from './domain/number-block/number-block.decider';
export { numberBlockEventCodec } from './adapters/events/number-block-event.codec';
export * from './domain/number-inventory/number-inventory';
export { numberInventoryEventCodec } from './adapters/events/number-inventory-event.codec';
export { NumbersModule, numbersService } from './numbers.module';
