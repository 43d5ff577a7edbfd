/** One thing wrong with a spec; `path` is JSON-path-ish and relative to `spec`, e.g. `users[2].profile`. */
export interface SpecProblem {
  readonly path: string;
  readonly message: string;
}

export function formatProblem(problem: SpecProblem): string {
  return `${problem.path}: ${problem.message}`;
}

export function field(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

export function item(path: string, index: number): string {
  return `${path}[${index}]`;
}

/**
 * Collects every problem instead of stopping at the first, so that an administrator fixes a
 * config file in one round. Readers return undefined for a value that is missing or wrong.
 */
export class SpecProblems {
  readonly all: SpecProblem[] = [];

  add(path: string, message: string): void {
    this.all.push({ path: path === '' ? 'spec' : path, message });
  }

  /** A plain object whose fields are all known; unknown fields are reported, not dropped. */
  object(
    value: unknown,
    path: string,
    known: readonly string[],
    required: readonly string[] = [],
  ): Readonly<Record<string, unknown>> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path, 'must be an object');
      return undefined;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue;
      const guess = closest(key, known);
      this.add(
        field(path, key),
        guess ? `unknown field; did you mean "${guess}"?` : 'unknown field',
      );
    }
    for (const key of required) {
      if (record[key] === undefined || record[key] === null) this.add(field(path, key), 'required');
    }
    return record;
  }

  /** Strings only: YAML turns an unquoted 201 or +31... into a number and would lose the `+`. */
  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.add(
      path,
      typeof value === 'number' ? 'must be a string; quote it in YAML' : 'must be a string',
    );
    return undefined;
  }

  list(value: unknown, path: string): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.add(path, 'must be a list');
    return [];
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.add(path, 'must be true or false');
    return undefined;
  }

  /** One of a closed set of words, with the set in the message. */
  oneOf<T extends string>(
    value: unknown,
    path: string,
    noun: string,
    allowed: readonly T[],
  ): T | undefined {
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    const found = allowed.find((a) => a === text);
    if (!found) this.add(path, `unknown ${noun} "${text}"; expected one of ${allowed.join(', ')}`);
    return found;
  }
}

/** Remembers who claimed a unique value first, and reports every later claim against it. */
export class Claims {
  private readonly owners = new Map<string, string>();

  constructor(private readonly problems: SpecProblems) {}

  claim(value: string, path: string, owner: string): boolean {
    const first = this.owners.get(value);
    if (first !== undefined) {
      this.problems.add(path, `"${value}" is already used by ${first}`);
      return false;
    }
    this.owners.set(value, owner);
    return true;
  }

  has(value: string): boolean {
    return this.owners.has(value);
  }
}

/** The known field name closest to a misspelt one, within edit distance 2. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
