import { Module } from '@nestjs/common';
import type { EventStore } from '@pbx/events';
import { EVENT_STORE, eventStoreProvider, type ServiceDefinition } from '@pbx/platform';
import type { Clock } from './domain/number-block/number-block.decider';
import { BlockWorkflow } from './application/block-workflow';
import { NUMBERS_CLOCK } from './application/numbers.tokens';
import { OrderBlockUseCase } from './application/usecases/order-block/order-block.usecase';
import { CompleteOrderUseCase } from './application/usecases/complete-order/complete-order.usecase';
import { CancelOrderUseCase } from './application/usecases/cancel-order/cancel-order.usecase';
import { SplitBlockUseCase } from './application/usecases/split-block/split-block.usecase';
import { PortBlockUseCase } from './application/usecases/port-block/port-block.usecase';
import { AssignNumberUseCase } from './application/usecases/assign-number/assign-number.usecase';
import { UnassignNumberUseCase } from './application/usecases/unassign-number/unassign-number.usecase';
import { NumberBlocksController } from './adapters/http/number-blocks.controller';
import { NumbersController } from './adapters/http/numbers.controller';
import { NumbersBlockDirectory1764028800500 } from './adapters/projections/block-directory/block-directory.migration';
import { blockDirectoryProjection } from './adapters/projections/block-directory/block-directory.projection';
import { BlockDirectoryQuery } from './adapters/projections/block-directory/block-directory.query';
import { numberInventoryReactor } from './adapters/reactors/number-inventory.reactor';
import { NumbersGroupNumbers1764028800600 } from './adapters/reactors/group-numbers/group-numbers.migration';
import { groupNumbersReactor } from './adapters/reactors/group-numbers/group-numbers.reactor';

@Module({
  controllers: [NumberBlocksController, NumbersController],
  providers: [
    eventStoreProvider('numbers'),
    { provide: NUMBERS_CLOCK, useValue: (): Date => new Date() },
    {
      provide: BlockWorkflow,
      useFactory: (store: EventStore, clock: Clock): BlockWorkflow =>
        new BlockWorkflow(store, clock),
      inject: [EVENT_STORE, NUMBERS_CLOCK],
    },
    OrderBlockUseCase,
    CompleteOrderUseCase,
    CancelOrderUseCase,
    SplitBlockUseCase,
    PortBlockUseCase,
    AssignNumberUseCase,
    UnassignNumberUseCase,
    BlockDirectoryQuery,
  ],
})
export class NumbersModule {}

export const numbersService: ServiceDefinition = {
  name: 'numbers',
  module: NumbersModule,
  migrations: [NumbersBlockDirectory1764028800500, NumbersGroupNumbers1764028800600],
  projections: [blockDirectoryProjection, numberInventoryReactor(), groupNumbersReactor()],
};
