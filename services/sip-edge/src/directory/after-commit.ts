import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

type Work = () => void;

const pending = new WeakMap<QueryRunner, Work[]>();
const watched = new WeakSet<DataSource>();

/**
 * Runs `work` once the transaction of `tx` has committed, and never if it rolls back. A
 * projection's side effects outside PostgreSQL (cache invalidation, dropping registrations) must
 * not happen for a change that is then rolled back, nor be read back from a row not yet visible.
 * Outside a transaction, `work` runs on the next turn of the event loop.
 */
export function afterCommit(tx: EntityManager, work: Work): void {
  const runner = tx.queryRunner;
  if (runner === undefined || !runner.isTransactionActive) {
    setImmediate(work);
    return;
  }
  watch(tx.connection);
  const list = pending.get(runner);
  if (list === undefined) pending.set(runner, [work]);
  else list.push(work);
}

/** One subscriber per data source, added when the first projection needs it. */
function watch(db: DataSource): void {
  if (watched.has(db)) return;
  watched.add(db);
  const subscriber: EntitySubscriberInterface = {
    afterTransactionCommit(event): void {
      // A nested transaction (savepoint) commits into its parent: wait for the outermost one.
      if (event.queryRunner.isTransactionActive) return;
      const works = pending.get(event.queryRunner);
      if (works === undefined) return;
      pending.delete(event.queryRunner);
      for (const work of works) setImmediate(work);
    },
    afterTransactionRollback(event): void {
      if (!event.queryRunner.isTransactionActive) pending.delete(event.queryRunner);
    },
  };
  db.subscribers.push(subscriber);
}
