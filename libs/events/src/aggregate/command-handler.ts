import type { EventStore, StoredEvent } from '../store/event-store.port';
import { STREAM_DOES_NOT_EXIST } from '../store/event-store.port';
import { evolveAll, type Decider, type EventCodec } from './decider';

export interface HandledCommand<Event, State> {
  readonly state: State;
  readonly newEvents: readonly Event[];
  readonly stored: readonly StoredEvent[];
  /** Stream version after the command; the ETag of the resource. */
  readonly version: number;
}

/**
 * Loads a stream, folds it, decides and appends with the version it read: a concurrent change in
 * between makes the append fail with WrongExpectedVersion instead of losing one of the two.
 * `expectedVersion` lets an HTTP caller pin the version it saw (If-Match).
 */
export async function handleCommand<Command, Event, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  codec: EventCodec<Event>,
  target: { streamId: string; tenant: string; expectedVersion?: number },
  command: Command,
): Promise<HandledCommand<Event, State>> {
  const history = await store.readStream(target.streamId);
  const version = history.length;
  let state = evolveAll(
    decider,
    decider.initialState,
    history.map((stored) => codec.decode(stored.type, stored.data)),
  );
  const newEvents = decider.decide(command, state);
  if (newEvents.length === 0) return { state, newEvents, stored: [], version };
  const result = await store.append(
    target.streamId,
    newEvents.map((event) => ({ ...codec.encode(event), tenant: target.tenant })),
    target.expectedVersion ?? (version === 0 ? STREAM_DOES_NOT_EXIST : version),
  );
  state = evolveAll(decider, state, newEvents);
  return { state, newEvents, stored: result.events, version: result.nextExpectedVersion };
}

/** Current state and version of a stream, or undefined when it has no events. */
export async function loadAggregate<Event, State>(
  store: EventStore,
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve' | 'evolveAll'>,
  codec: EventCodec<Event>,
  streamId: string,
): Promise<{ state: State; version: number } | undefined> {
  const history = await store.readStream(streamId);
  if (history.length === 0) return undefined;
  const state = evolveAll(
    decider,
    decider.initialState,
    history.map((stored) => codec.decode(stored.type, stored.data)),
  );
  return { state, version: history.length };
}
