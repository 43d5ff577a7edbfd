/**
 * An aggregate as a decider (Chassaing's pattern, as Emmett spells it): pure functions from a
 * command and the current state to new events, and from state and an event to the next state.
 */
export interface Decider<Command, Event, State> {
  readonly initialState: State;
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  /**
   * Optional: the same as folding `evolve` over `events`, for aggregates that can do it faster
   * (one copy of their collections per fold instead of one per event).
   */
  evolveAll?(state: State, events: readonly Event[]): State;
}

/** Folds `events` into `state` with the decider's fastest way. */
export function evolveAll<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'evolveAll'>,
  state: State,
  events: readonly Event[],
): State {
  return decider.evolveAll
    ? decider.evolveAll(state, events)
    : events.reduce(decider.evolve, state);
}

/** Maps an aggregate's domain events to and from their protobuf wire form. */
export interface EventCodec<Event> {
  /** Fully qualified protobuf type name and encoded bytes. */
  encode(event: Event): { type: string; data: Uint8Array };
  decode(type: string, data: Uint8Array): Event;
}
