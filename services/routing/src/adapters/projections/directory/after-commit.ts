import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

/**
 * Runs work after the transaction of an EntityManager commits, and drops it if it rolls back. A
 * projection's in-memory side effects must not run for a transaction that never commits: the bus
 * redelivers its event and the inbox would otherwise see it applied twice in memory only.
 */
export class AfterCommit<T> {
  readonly #pending = new WeakMap<QueryRunner, T[]>();
  readonly #subscribed = new WeakSet<DataSource>();

  constructor(private readonly onCommit: (items: readonly T[]) => void) {}

  /** Queues `items` for the commit of `tx`'s transaction; without a transaction, runs them now. */
  add(tx: EntityManager, items: readonly T[]): void {
    if (items.length === 0) return;
    const runner = tx.queryRunner;
    if (!runner?.isTransactionActive) {
      this.onCommit(items);
      return;
    }
    this.subscribe(tx.connection);
    const queued = this.#pending.get(runner);
    if (queued) queued.push(...items);
    else this.#pending.set(runner, [...items]);
  }

  private subscribe(dataSource: DataSource): void {
    if (this.#subscribed.has(dataSource)) return;
    this.#subscribed.add(dataSource);
    const subscriber: EntitySubscriberInterface = {
      // Savepoints release and roll back at depth > 0; only the outermost transaction counts.
      afterTransactionCommit: ({ queryRunner }) => {
        if (queryRunner.isTransactionActive) return;
        const items = this.#pending.get(queryRunner);
        if (!items) return;
        this.#pending.delete(queryRunner);
        this.onCommit(items);
      },
      afterTransactionRollback: ({ queryRunner }) => {
        if (!queryRunner.isTransactionActive) this.#pending.delete(queryRunner);
      },
    };
    dataSource.subscribers.push(subscriber);
  }
}
