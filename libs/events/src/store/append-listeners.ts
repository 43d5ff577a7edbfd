import type { StoredEvent } from './event-store.port';

export type AppendListener = (events: readonly StoredEvent[]) => void;

/**
 * Lets the relay in the same process wake up the moment something was appended, instead of
 * waiting for its next poll. A listener's exception is contained: an append never fails because
 * of a listener.
 */
export class AppendListeners {
  readonly #listeners = new Set<AppendListener>();

  add(listener: AppendListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(events: readonly StoredEvent[]): void {
    for (const listener of this.#listeners) {
      try {
        listener(events);
      } catch {
        // Contained on purpose; see the class comment.
      }
    }
  }
}
