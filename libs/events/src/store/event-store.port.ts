/** Expected stream version for optimistic concurrency (Emmett's expectedVersion). */
export const STREAM_DOES_NOT_EXIST = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;
export const ANY_VERSION = 'any' as const;
export type ExpectedVersion =
  number | typeof STREAM_DOES_NOT_EXIST | typeof STREAM_EXISTS | typeof ANY_VERSION;

export interface NewEvent {
  /** Optional: a caller that retries passes the same id so the retry is recognisable. */
  readonly id?: string;
  readonly type: string;
  readonly data: Uint8Array;
  readonly tenant: string;
  readonly time?: Date;
}

export interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
  /** 1-based version of the event within its stream. */
  readonly version: number;
  /** Position in the store's total order of commits; gaps are possible. */
  readonly globalPosition: bigint;
  readonly type: string;
  readonly topic: string;
  readonly source: string;
  readonly tenant: string;
  readonly time: Date;
  readonly data: Uint8Array;
}

export interface AppendResult {
  /** Version of the stream after the append. */
  readonly nextExpectedVersion: number;
  readonly events: readonly StoredEvent[];
}

export interface EventStore {
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult>;
  readStream(streamId: string, fromVersion?: number): Promise<readonly StoredEvent[]>;
  /** Events in commit order after `after` (exclusive), as the relay sees them. */
  readAll(after: bigint, limit: number): Promise<readonly StoredEvent[]>;
}

/** What a unit of work may do inside one database transaction with the store. */
export interface StoreTransaction {
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult>;
  /** A statement of the caller's own (e.g. a uniqueness claim) in the same transaction. */
  query<T = unknown>(sql: string, params?: readonly unknown[]): Promise<T>;
}

/**
 * A store whose appends can share a transaction with other writes, so that a rule spanning
 * streams (a number held by one group only) is decided and stored atomically.
 */
export interface TransactionalEventStore extends EventStore {
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
}
