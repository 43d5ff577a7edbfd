/** One thing wrong with a file, where it is. */
export interface ManifestProblem {
  /** 1-based; absent when the problem has no place in the file (an empty file). */
  readonly line?: number;
  /** 1-based; given for YAML syntax errors, which point at a character. */
  readonly column?: number;
  /** The path in the document, `spec.users[2].profile`; empty for a whole document. */
  readonly path?: string;
  readonly message: string;
}

/**
 * `company.yaml:27: spec.users[2].profile: unknown profile "gold"; ...`, or
 * `company.yaml:3:5: <YAML message>`: the `file:line:column:` prefix that editors and terminals
 * turn into links.
 */
export function formatProblem(label: string, problem: ManifestProblem): string {
  let where = label;
  if (problem.line !== undefined) where += `:${problem.line}`;
  if (problem.line !== undefined && problem.column !== undefined) where += `:${problem.column}`;
  return problem.path
    ? `${where}: ${problem.path}: ${problem.message}`
    : `${where}: ${problem.message}`;
}

export function countProblems(count: number): string {
  return count === 1 ? '1 problem' : `${count} problems`;
}

/** Problems in file order (those without a line first), keeping the order of problems on one line. */
export function sortProblems(problems: readonly ManifestProblem[]): ManifestProblem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
