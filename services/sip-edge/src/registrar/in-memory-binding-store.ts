import type { Binding, ExpiredBinding } from './binding';
import type { BindingStore, BindingUpdate, BindingUpdateResult, Removal } from './binding-store';
import { applyBindingUpdate } from './apply-binding-update';

/**
 * Bindings of one process (the standalone shape, or tests): a Map of AORs. Every operation runs
 * to completion without awaiting, so an update of an AOR is atomic. Expired bindings are
 * filtered on read and dropped by `sweep` (driven by the BindingSweeper).
 */
export class InMemoryBindingStore implements BindingStore {
  readonly answersAtOnce = true;
  readonly #aors = new Map<string, Map<string, Binding>>();

  get size(): number {
    let n = 0;
    for (const bindings of this.#aors.values()) n += bindings.size;
    return n;
  }

  update(aor: string, update: BindingUpdate): BindingUpdateResult {
    const { live, expired } = this.#live(aor, update.now);
    const applied = applyBindingUpdate(live, update);
    if (applied.status === 'out-of-order') {
      this.#store(aor, live);
      return { status: 'out-of-order', expired };
    }
    this.#store(aor, applied.next);
    return {
      status: 'ok',
      bindings: [...applied.next.values()],
      added: applied.added,
      removed: applied.removed,
      evicted: applied.evicted,
      expired,
    };
  }

  async upsert(
    aor: string,
    binding: Binding,
    now: number,
    maxBindings: number,
  ): Promise<BindingUpdateResult> {
    return this.update(aor, {
      callId: binding.callId,
      cseq: binding.cseq,
      now,
      maxBindings,
      changes: [{ kind: 'set', binding }],
    });
  }

  /** Like every write, drops (and reports) the AOR's expired bindings on the way. */
  async remove(aor: string, key: string, now: number): Promise<Removal> {
    const { live, expired } = this.#live(aor, now);
    const binding = live.get(key);
    live.delete(key);
    this.#store(aor, live);
    return { live: binding === undefined ? [] : [binding], expired };
  }

  async removeAll(aor: string, now: number): Promise<Removal> {
    const bindings = this.#aors.get(aor);
    this.#aors.delete(aor);
    return splitByExpiry(bindings === undefined ? [] : [...bindings.values()], now);
  }

  list(aor: string, now: number): readonly Binding[] {
    const bindings = this.#aors.get(aor);
    return bindings === undefined ? [] : [...bindings.values()].filter((b) => b.expiresAt > now);
  }

  async sweep(now: number, limit: number): Promise<readonly ExpiredBinding[]> {
    const out: ExpiredBinding[] = [];
    for (const [aor, bindings] of this.#aors) {
      for (const [key, binding] of bindings) {
        if (out.length >= limit) return out;
        if (binding.expiresAt > now) continue;
        bindings.delete(key);
        out.push({ aor, binding });
      }
      if (bindings.size === 0) this.#aors.delete(aor);
    }
    return out;
  }

  #live(aor: string, now: number): { live: Map<string, Binding>; expired: Binding[] } {
    const live = new Map<string, Binding>();
    const expired: Binding[] = [];
    for (const [key, binding] of this.#aors.get(aor) ?? []) {
      if (binding.expiresAt > now) live.set(key, binding);
      else expired.push(binding);
    }
    return { live, expired };
  }

  #store(aor: string, bindings: Map<string, Binding>): void {
    if (bindings.size === 0) this.#aors.delete(aor);
    else this.#aors.set(aor, bindings);
  }
}

function splitByExpiry(bindings: readonly Binding[], now: number): Removal {
  return {
    live: bindings.filter((b) => b.expiresAt > now),
    expired: bindings.filter((b) => b.expiresAt <= now),
  };
}
