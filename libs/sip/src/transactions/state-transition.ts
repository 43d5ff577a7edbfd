import { TransactionError, TransactionErrorCode } from './transaction.error';

/** The moves allowed out of each state of one transaction kind. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

/** Throws TransactionError(IllegalTransition) unless `to` is allowed from `from`. */
export function checkTransition<S extends string>(
  kind: string,
  table: TransitionTable<S>,
  from: S,
  to: S,
): void {
  if (!table[from].includes(to)) {
    throw new TransactionError(
      TransactionErrorCode.IllegalTransition,
      `${kind} transaction cannot go from ${from} to ${to}`,
      { kind, from, to },
    );
  }
}
