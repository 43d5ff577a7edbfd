/**
 * Values that are usually at hand and only sometimes need I/O (a cached device, an in-process
 * binding store): returning them as they are, instead of always wrapping them in a Promise, keeps
 * a hot path free of microtask hops and promise allocations. Callers that `await` such a value
 * work either way.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/**
 * Steps written once as a generator that yields what it waits for (see `wait`), run at once while
 * every awaited value is at hand and asynchronously from the first one that is not. A throw in
 * the steps reaches the caller as it would from either kind of function: thrown while running at
 * once, as a rejection afterwards.
 */
export type Steps<T> = Generator<unknown, T, never>;

/** Inside Steps: `const device = yield* wait(directory.find(name))`. */
export function* wait<V>(value: MaybePromise<V>): Generator<MaybePromise<V>, V, V> {
  return yield value;
}

export function runSteps<T>(steps: Steps<T>): MaybePromise<T> {
  let input: unknown = undefined;
  for (;;) {
    const next = steps.next(input as never);
    if (next.done === true) return next.value;
    if (next.value instanceof Promise) return finish(steps, next.value as Promise<unknown>);
    input = next.value;
  }
}

async function finish<T>(steps: Steps<T>, pending: Promise<unknown>): Promise<T> {
  let next: IteratorResult<unknown, T>;
  try {
    next = steps.next((await pending) as never);
  } catch (error) {
    next = steps.throw(error);
  }
  for (;;) {
    if (next.done === true) return next.value;
    if (next.value instanceof Promise) {
      try {
        next = steps.next((await next.value) as never);
      } catch (error) {
        next = steps.throw(error);
      }
    } else {
      next = steps.next(next.value as never);
    }
  }
}
