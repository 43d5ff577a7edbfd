import type { MaybePromise } from '@pbx/domain';
import type { Binding, ExpiredBinding } from './binding';

/** One contact of a REGISTER, decided by the registrar (RFC 3261 section 10.3 step 7). */
export type BindingChange =
  | { readonly kind: 'set'; readonly binding: Binding }
  | { readonly kind: 'remove'; readonly key: string };

/** A whole REGISTER's changes to one AOR, applied all or nothing (step 8). */
export interface BindingUpdate {
  readonly callId: string;
  readonly cseq: number;
  readonly now: number;
  /** The AOR keeps at most this many bindings; the least recently refreshed make room. */
  readonly maxBindings: number;
  /** `Contact: *` with Expires: 0: every binding goes. */
  readonly removeAll?: boolean;
  readonly changes: readonly BindingChange[];
}

export type BindingUpdateResult =
  | {
      readonly status: 'ok';
      /** Every binding of the AOR after the update. */
      readonly bindings: readonly Binding[];
      /** Bindings that appeared (a contact not bound before, or a flow with a new contact). */
      readonly added: readonly Binding[];
      /** Bindings the request removed (or replaced by a flow's new contact). */
      readonly removed: readonly Binding[];
      /** Bindings dropped to stay within maxBindings. */
      readonly evicted: readonly Binding[];
      /** Bindings found expired on the way (dropped, never returned as current). */
      readonly expired: readonly Binding[];
    }
  /**
   * Same Call-ID as a binding and a CSeq not higher than its own: an old or repeated request
   * (RFC 3261 section 10.3 step 7). Nothing changed, but expired bindings found were dropped.
   */
  | { readonly status: 'out-of-order'; readonly expired: readonly Binding[] };

/** What a removal took away: live bindings, and expired ones the sweep had not reached yet. */
export interface Removal {
  readonly live: readonly Binding[];
  readonly expired: readonly Binding[];
}

/**
 * Registrations by address of record, with expiry: expired bindings are never returned, and
 * `sweep` hands each one out exactly once, even with several edge instances sharing the store.
 */
export interface BindingStore {
  /** True when update() and list() never return a Promise (a store in the process). */
  readonly answersAtOnce?: boolean;
  /** At once from a store in the process, a Promise from a shared one. */
  update(aor: string, update: BindingUpdate): MaybePromise<BindingUpdateResult>;
  /** One binding, as `update` with a single change (its own Call-ID and CSeq). */
  upsert(
    aor: string,
    binding: Binding,
    now: number,
    maxBindings: number,
  ): Promise<BindingUpdateResult>;
  /** Removes one binding whatever its Call-ID and CSeq. */
  remove(aor: string, key: string, now: number): Promise<Removal>;
  /** Removes every binding of the AOR (the device was removed). */
  removeAll(aor: string, now: number): Promise<Removal>;
  list(aor: string, now: number): MaybePromise<readonly Binding[]>;
  /** Drops up to `limit` expired bindings and returns them. */
  sweep(now: number, limit: number): Promise<readonly ExpiredBinding[]>;
}
