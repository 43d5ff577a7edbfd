import {
  EventsError,
  EventsErrorCode,
  InMemoryEventStore,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '@pbx/events';
import type { Principal } from '@pbx/platform';
import { NumbersError, type NumbersErrorCode } from '../domain/numbers.error';
import { BlockWorkflow } from './block-workflow';
import { AssignNumberUseCase } from './usecases/assign-number/assign-number.usecase';
import { CancelOrderUseCase } from './usecases/cancel-order/cancel-order.usecase';
import { CompleteOrderUseCase } from './usecases/complete-order/complete-order.usecase';
import { OrderBlockCommand } from './usecases/order-block/order-block.command';
import { OrderBlockUseCase } from './usecases/order-block/order-block.usecase';
import { PortBlockUseCase } from './usecases/port-block/port-block.usecase';
import { SplitBlockUseCase } from './usecases/split-block/split-block.usecase';
import { UnassignNumberUseCase } from './usecases/unassign-number/unassign-number.usecase';

/** 10:00 in Amsterdam on Monday 10 March 2025. */
export const T0 = '2025-03-10T09:00:00.000Z';
export const OPERATOR: Principal = { role: 'operator' };

/** The in-memory store, able to fail the next append to a stream (a crash between two writes). */
export class FlakyEventStore implements EventStore {
  readonly inner = new InMemoryEventStore('/pbx/numbers');
  readonly #failNext = new Set<string>();

  failNextAppendTo(streamId: string): void {
    this.#failNext.add(streamId);
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    if (this.#failNext.delete(streamId)) {
      return Promise.reject(
        new EventsError(EventsErrorCode.StoreUnavailable, 'event store unavailable: test'),
      );
    }
    return this.inner.append(streamId, events, expected);
  }

  readStream: EventStore['readStream'] = (streamId, fromVersion) =>
    this.inner.readStream(streamId, fromVersion);

  readAll: EventStore['readAll'] = (after, limit) => this.inner.readAll(after, limit);
}

export interface NumbersFixture {
  readonly store: FlakyEventStore;
  readonly workflow: BlockWorkflow;
  readonly order: OrderBlockUseCase;
  readonly complete: CompleteOrderUseCase;
  readonly cancel: CancelOrderUseCase;
  readonly split: SplitBlockUseCase;
  readonly port: PortBlockUseCase;
  readonly assign: AssignNumberUseCase;
  readonly unassign: UnassignNumberUseCase;
}

/** The numbers service's use cases on one in-memory store, at T0. */
export function numbersFixture(now = T0): NumbersFixture {
  const store = new FlakyEventStore();
  const workflow = new BlockWorkflow(store, () => new Date(now));
  return {
    store,
    workflow,
    order: new OrderBlockUseCase(workflow),
    complete: new CompleteOrderUseCase(workflow),
    cancel: new CancelOrderUseCase(workflow),
    split: new SplitBlockUseCase(workflow),
    port: new PortBlockUseCase(workflow),
    assign: new AssignNumberUseCase(workflow),
    unassign: new UnassignNumberUseCase(workflow),
  };
}

export function orderOf(fields: Record<string, unknown> = {}): OrderBlockCommand {
  return OrderBlockCommand.create({
    tenantId: 'acme',
    kind: 'new',
    first: '+31201234500',
    size: 100,
    ...fields,
  });
}

/** The code of the NumbersError a promise rejects with. */
export async function codeOf(promise: Promise<unknown>): Promise<NumbersErrorCode | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NumbersError) return error.code;
    throw error;
  }
  return undefined;
}
