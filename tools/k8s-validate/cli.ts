import { resolve } from 'node:path';
import { formatProblem, validateManifestDirectory, type ValidationReport } from './validate';

/**
 * `node dist/tools/k8s-validate/cli.js [folder]` (default `k8s`, from the current folder).
 * Exit code 0 when the tree is valid, 1 with problems, 2 when it cannot be read.
 */
export async function runCli(
  args: readonly string[],
  write: (line: string) => void,
): Promise<number> {
  const root = resolve(args[0] ?? 'k8s');
  let report: ValidationReport;
  try {
    report = await validateManifestDirectory(root);
  } catch (error) {
    write(
      `k8s-validate: cannot read ${root}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 2;
  }
  for (const note of report.notes) write(`note: ${note}`);
  for (const problem of report.problems) write(`error: ${formatProblem(problem)}`);
  write(
    `k8s-validate: ${report.documents} documents under ${root}, ${report.problems.length} problem(s)`,
  );
  return report.problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
  void runCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then((code) => {
    process.exitCode = code;
  });
}
