import type { DirectoryChange } from '../domain/directory/directory';
import { DirectoryIndex } from '../domain/directory/directory-index';

export interface DirectoryCacheLog {
  warn(message: string): void;
}

const TRUNK_CHANGES: ReadonlySet<DirectoryChange['kind']> = new Set([
  'trunk-set',
  'trunk-removed',
  'group-deleted',
  'reset',
]);

/**
 * The directory route() reads: an in-memory index, filled from routing's tables at start and then
 * kept current with every change the directory projection commits. A reload builds a new index
 * from the tables and swaps it in; changes committed while it reads are applied to the new index
 * too (they are idempotent "set" or "remove" operations), so none is lost between the snapshot
 * and the swap.
 */
export class DirectoryCache {
  #index = new DirectoryIndex();
  #loaded = false;
  /** Changes committed while a reload reads the tables. */
  #recording: DirectoryChange[] | undefined;
  readonly #trunkListeners: (() => void)[] = [];

  constructor(private readonly log: DirectoryCacheLog) {}

  get index(): DirectoryIndex {
    return this.#index;
  }

  /** Whether the tables were read once: before that, route() cannot decide. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Applies committed changes, in commit order. */
  applyCommitted(changes: readonly DirectoryChange[]): void {
    let trunks = false;
    for (const change of changes) {
      this.#index.apply(change);
      this.#recording?.push(change);
      trunks ||= TRUNK_CHANGES.has(change.kind);
    }
    if (trunks) this.notifyTrunks();
  }

  /** Rebuilds the index from `read` (every row of the tables, as changes) and swaps it in. */
  async reload(read: () => Promise<readonly DirectoryChange[]>): Promise<void> {
    if (this.#recording) throw new Error('a directory reload is already running');
    this.#recording = [];
    try {
      const rows = await read();
      const next = new DirectoryIndex();
      for (const change of rows) next.apply(change);
      for (const change of this.#recording) next.apply(change);
      this.#index = next;
      this.#loaded = true;
    } finally {
      this.#recording = undefined;
    }
    this.notifyTrunks();
  }

  /** Called after any trunk may have changed (TrunkDirectory.onChange). */
  onTrunksChange(listener: () => void): void {
    this.#trunkListeners.push(listener);
  }

  private notifyTrunks(): void {
    for (const listener of this.#trunkListeners) {
      try {
        listener();
      } catch (error) {
        this.log.warn(`a trunk change listener failed: ${(error as Error).message}`);
      }
    }
  }
}
