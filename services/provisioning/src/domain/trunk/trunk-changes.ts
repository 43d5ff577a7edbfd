import { field, type SpecProblem } from '../group/spec-problems';
import { sameTrunk, type Trunk } from './trunk';
import type { TrunkSpec } from './trunk-spec';

export type TrunkResolution =
  | { readonly ok: true; readonly trunk: Trunk }
  | { readonly ok: false; readonly problems: readonly SpecProblem[] };

/**
 * The trunk `spec` asks for, given the stored one. `get` never shows a password, so a spec without
 * one keeps the stored password, but only for the same username: a password belongs to its
 * account, and a new account needs its own.
 */
export function resolveTrunk(
  spec: TrunkSpec,
  stored: Trunk | undefined,
  path: string,
): TrunkResolution {
  let credentials: Trunk['credentials'];
  if (spec.username !== undefined) {
    const password =
      spec.password ??
      (stored?.credentials?.username === spec.username ? stored.credentials.password : undefined);
    if (password === undefined) {
      return {
        ok: false,
        problems: [
          {
            path: field(path, 'password'),
            message:
              stored?.credentials === undefined
                ? 'required with a username'
                : 'required when the username changes',
          },
        ],
      };
    }
    credentials = { username: spec.username, password };
  }
  return {
    ok: true,
    trunk: {
      name: spec.name,
      host: spec.host,
      port: spec.port,
      transport: spec.transport,
      ...(credentials !== undefined && { credentials }),
      register: spec.register,
      inboundAddresses: spec.inboundAddresses,
    },
  };
}

export interface TrunkChanges {
  readonly added: readonly Trunk[];
  readonly changed: readonly Trunk[];
  /** Names. */
  readonly removed: readonly string[];
}

/**
 * What turns the stored trunks into the wanted ones: removals in stored order, additions and
 * changes in the spec's order. Throws nothing: unresolved specs come back as problems.
 */
export function planTrunkChanges(
  stored: ReadonlyMap<string, Trunk>,
  specs: readonly TrunkSpec[],
  pathOf: (index: number) => string,
): { readonly problems: readonly SpecProblem[]; readonly changes: TrunkChanges } {
  const problems: SpecProblem[] = [];
  const added: Trunk[] = [];
  const changed: Trunk[] = [];
  const wanted = new Set(specs.map((s) => s.name));
  const removed = [...stored.keys()].filter((name) => !wanted.has(name));
  specs.forEach((spec, i) => {
    const existing = stored.get(spec.name);
    const resolved = resolveTrunk(spec, existing, pathOf(i));
    if (!resolved.ok) {
      problems.push(...resolved.problems);
      return;
    }
    if (!existing) added.push(resolved.trunk);
    else if (!sameTrunk(existing, resolved.trunk)) changed.push(resolved.trunk);
  });
  return { problems, changes: { added, changed, removed } };
}

/** The spec `get` shows for a stored trunk: every field but the password. */
export function trunkToSpec(trunk: Trunk): TrunkSpec {
  return {
    name: trunk.name,
    host: trunk.host,
    port: trunk.port,
    transport: trunk.transport,
    ...(trunk.credentials !== undefined && { username: trunk.credentials.username }),
    register: trunk.register,
    inboundAddresses: trunk.inboundAddresses,
  };
}
