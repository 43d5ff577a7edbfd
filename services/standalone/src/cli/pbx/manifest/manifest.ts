import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type YAMLError,
} from 'yaml';
import { PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';
import { checkDocuments } from './document-checks';
import { childPath } from './document-path';
import {
  countProblems,
  formatProblem,
  type ManifestProblem,
  sortProblems,
} from './manifest-problem';
import type { PbxDocument } from './pbx-document';
import type { SourceText } from './source-file';
import { lineOfPath } from './yaml-locator';

/**
 * The YAML 1.2 core schema reads exactly JSON's values; the `yaml` library also resolves YAML 1.1
 * tags such as `!!binary`, `!!timestamp` and `!!set`, which have no JSON form and are refused.
 */
const JSON_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`),
);

/** Parse options shared with `get -o yaml`, so that what it prints reads back the same. */
export const YAML_OPTIONS = { version: '1.2', schema: 'core' } as const;

/** Aliases expand when read; a few hundred is plenty for a file and stops a "billion laughs". */
const MAX_ALIAS_COUNT = 100;

/**
 * The documents of a pbx file with their YAML syntax trees, so that a problem the platform
 * reports by path (`spec.users[2].profile`) is shown at its line in the file.
 */
export class Manifest {
  private constructor(
    readonly label: string,
    readonly documents: readonly PbxDocument[],
    private readonly trees: readonly Document.Parsed[],
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * Reads every document of `source` (`---` separated; empty ones skipped) and checks each
   * envelope. Throws one error listing every problem with its line; nothing partial is returned.
   */
  static parse(source: SourceText): Manifest {
    const lineCounter = new LineCounter();
    const parsed = parseAllDocuments(source.text, {
      ...YAML_OPTIONS,
      lineCounter,
      prettyErrors: false,
      strict: true,
      uniqueKeys: true,
    });
    const syntaxProblems = parsed.flatMap((document) =>
      [...document.errors, ...document.warnings].map((error) => syntaxProblem(error, lineCounter)),
    );
    if (syntaxProblems.length > 0) throw refusal(source.label, syntaxProblems);

    const trees: Document.Parsed[] = [];
    const values: unknown[] = [];
    const valueProblems: ManifestProblem[] = [];
    for (const tree of parsed) {
      const before = valueProblems.length;
      checkJsonValues(tree.contents, '', (node, path, message) => {
        valueProblems.push({ line: lineOf(node, lineCounter), path, message });
      });
      if (valueProblems.length > before) continue;
      let value: unknown;
      try {
        value = tree.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        valueProblems.push({
          line: lineOf(tree.contents, lineCounter),
          message: (error as Error).message,
        });
        continue;
      }
      // A document of only comments, or the empty one after a trailing `---`.
      if (value === null || value === undefined) continue;
      trees.push(tree);
      values.push(value);
    }
    if (valueProblems.length > 0) throw refusal(source.label, valueProblems);
    if (values.length === 0) {
      throw refusal(source.label, [
        { message: 'no documents; expected at least one pbx/v1 document' },
      ]);
    }

    const checked = checkDocuments(values);
    if (!checked.ok) {
      throw refusal(
        source.label,
        checked.problems.map((problem) => ({
          line: lineOfPath(trees[problem.document], problem.path, lineCounter),
          path: problem.path,
          message: problem.message,
        })),
      );
    }
    return new Manifest(source.label, checked.documents, trees, lineCounter);
  }

  /**
   * Places a problem that the platform reports for document `document` at `path`; a problem
   * without a (known) document is shown under the file's name alone.
   */
  locate(document: number | undefined, path: string, message: string): ManifestProblem {
    const tree = document === undefined ? undefined : this.trees[document];
    const line = tree === undefined ? undefined : lineOfPath(tree, path, this.lineCounter);
    return { line, path, message };
  }

  /** `company.yaml:27: spec.users[2].profile: ...` lines of `problems`. */
  format(problems: readonly ManifestProblem[]): string[] {
    return sortProblems(problems).map((problem) => formatProblem(this.label, problem));
  }
}

function refusal(label: string, problems: readonly ManifestProblem[]): PbxCliError {
  return new PbxCliError(
    PbxCliErrorCode.InvalidFile,
    `${label} was refused (${countProblems(problems.length)}); nothing was changed`,
    sortProblems(problems).map((problem) => formatProblem(label, problem)),
  );
}

function syntaxProblem(error: YAMLError, lineCounter: LineCounter): ManifestProblem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return { line, column: col, message: error.message };
}

function lineOf(node: unknown, lineCounter: LineCounter): number | undefined {
  const offset = (node as Node | null)?.range?.[0];
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

type ValueReport = (node: unknown, path: string, message: string) => void;

/** Reports every node that has no JSON form: foreign tags, non-finite numbers, complex keys. */
function checkJsonValues(node: unknown, path: string, report: ValueReport): void {
  // An alias's target is checked where it is defined.
  if (node === null || isAlias(node)) return;
  const tag = (node as Node).tag;
  if (tag !== undefined && !JSON_TAGS.has(tag)) {
    report(node, path, `the tag ${tag.replace('tag:yaml.org,2002:', '!!')} is not supported here`);
    return;
  }
  if (isScalar(node)) {
    if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
      report(node, path, `${String(node.value)} is not a number a document can hold`);
    }
    return;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) {
        report(pair.key ?? node, path, 'a key must be a plain value, not a list or a mapping');
        continue;
      }
      checkJsonValues(pair.value, childPath(path, String(pair.key.value)), report);
    }
    return;
  }
  if (isSeq(node)) {
    node.items.forEach((item, index) => checkJsonValues(item, childPath(path, index), report));
  }
}
