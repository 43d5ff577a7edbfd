import type { DirectoryTouched } from './device-directory.projection';

/**
 * Hands the device-directory projection's committed changes to the running edge. The projection
 * is declared with the service, before the edge exists; the edge subscribes when it starts.
 */
export class DirectoryChanges {
  readonly #listeners = new Set<(touched: DirectoryTouched) => void>();

  emit(touched: DirectoryTouched): void {
    for (const listener of this.#listeners) listener(touched);
  }

  subscribe(listener: (touched: DirectoryTouched) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
