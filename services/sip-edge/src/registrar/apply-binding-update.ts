import type { Binding } from './binding';
import type { BindingUpdate } from './binding-store';

export type AppliedUpdate =
  | {
      readonly status: 'ok';
      /** The AOR's live bindings after the update, by key. */
      readonly next: Map<string, Binding>;
      readonly added: Binding[];
      readonly removed: Binding[];
      readonly evicted: Binding[];
    }
  | { readonly status: 'out-of-order' };

/**
 * RFC 3261 section 10.3 steps 7 and 8 over the live bindings of one AOR; pure, so the in-memory
 * store applies it as is and the Redis store's script mirrors it line by line.
 *
 * A binding with the request's Call-ID and a CSeq at least the request's aborts the whole
 * update (an old or repeated REGISTER); another Call-ID means another registration session, and
 * its binding is simply updated. Past `maxBindings`, the least recently refreshed bindings that
 * the request did not touch are evicted.
 */
export function applyBindingUpdate(
  current: ReadonlyMap<string, Binding>,
  update: BindingUpdate,
): AppliedUpdate {
  const isOlder = (existing: Binding | undefined): boolean =>
    existing !== undefined && existing.callId === update.callId && existing.cseq >= update.cseq;
  if (update.removeAll === true) {
    for (const existing of current.values())
      if (isOlder(existing)) return { status: 'out-of-order' };
  }
  for (const change of update.changes) {
    const key = change.kind === 'set' ? change.binding.key : change.key;
    if (isOlder(current.get(key))) return { status: 'out-of-order' };
  }

  const next = new Map(update.removeAll === true ? [] : current);
  const added: Binding[] = [];
  const removed: Binding[] = update.removeAll === true ? [...current.values()] : [];
  const touched = new Set<string>();
  for (const change of update.changes) {
    if (change.kind === 'remove') {
      const existing = next.get(change.key);
      if (existing !== undefined) {
        next.delete(change.key);
        removed.push(existing);
      }
      continue;
    }
    const existing = next.get(change.binding.key);
    if (existing === undefined) {
      added.push(change.binding);
    } else if (existing.contact !== change.binding.contact) {
      removed.push(existing);
      added.push(change.binding);
    }
    next.set(change.binding.key, change.binding);
    touched.add(change.binding.key);
  }

  const evicted: Binding[] = [];
  if (next.size > update.maxBindings) {
    const candidates = [...next.values()]
      .filter((b) => !touched.has(b.key))
      .sort((a, b) => a.updatedAt - b.updatedAt || a.expiresAt - b.expiresAt);
    for (const binding of candidates) {
      if (next.size <= update.maxBindings) break;
      next.delete(binding.key);
      evicted.push(binding);
    }
  }
  return { status: 'ok', next, added, removed, evicted };
}
