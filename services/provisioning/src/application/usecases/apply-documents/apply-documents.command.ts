import {
  checkGroupName,
  validateGroupSpec,
  type GroupSpec,
} from '../../../domain/group/group-spec';
import {
  validateEnterpriseSpec,
  type EnterpriseSpec,
} from '../../../domain/enterprise/enterprise-spec';
import { validateTrunkSpec, type OperatorTrunkSpec } from '../../../domain/trunk/trunk-spec';

/** One problem of a submitted file, by document and path from the document root. */
export interface DocumentProblem {
  readonly document: number;
  readonly path: string;
  readonly message: string;
}

export type ManifestDocument =
  | {
      readonly index: number;
      readonly kind: 'Group';
      readonly name: string;
      readonly spec: GroupSpec;
    }
  | {
      readonly index: number;
      readonly kind: 'Enterprise';
      readonly name: string;
      readonly spec: EnterpriseSpec;
    }
  | {
      readonly index: number;
      /** An operator-wide carrier trunk (issue 5). */
      readonly kind: 'Trunk';
      readonly name: string;
      readonly spec: OperatorTrunkSpec;
    };

const KINDS: readonly string[] = ['Group', 'Enterprise', 'Trunk'];

/** A problem's path from the document root; spec problems come relative to `spec`. */
const specPath = (path: string): string =>
  path === '' || path === 'spec'
    ? 'spec'
    : path.startsWith('spec') || path.startsWith('metadata.') || path === 'kind'
      ? path
      : `spec.${path}`;

/** The most documents one apply takes: a company file, not a bulk import of the platform. */
export const MAX_DOCUMENTS = 100;
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'spec']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `pbx apply`'s request: kubectl-like documents. Checks every document's envelope (apiVersion,
 * kind, metadata.name) and its spec, collecting every problem of the whole file; the rules that
 * need the current state are the use case's.
 */
export { specPath };

export class ApplyDocumentsCommand {
  private constructor(
    readonly documents: readonly ManifestDocument[],
    readonly dryRun: boolean,
  ) {}

  static create(
    body: unknown,
    dryRun: boolean,
  ): { command: ApplyDocumentsCommand } | { problems: DocumentProblem[] } {
    const problems: DocumentProblem[] = [];
    const documents: ManifestDocument[] = [];
    const raw = isObject(body) ? body.documents : undefined;
    if (!Array.isArray(raw) || raw.length === 0) {
      return {
        problems: [
          { document: 0, path: 'documents', message: 'expected a non-empty list of documents' },
        ],
      };
    }
    if (raw.length > MAX_DOCUMENTS) {
      return {
        problems: [
          {
            document: 0,
            path: 'documents',
            message: `at most ${MAX_DOCUMENTS} documents per apply, got ${raw.length}`,
          },
        ],
      };
    }
    const names = new Map<string, number>();
    raw.forEach((doc: unknown, index) => {
      const problem = (path: string, message: string): void => {
        problems.push({ document: index, path, message });
      };
      if (!isObject(doc))
        return problem('', 'a document must be a mapping with apiVersion, kind, metadata and spec');
      for (const key of Object.keys(doc)) {
        if (!ROOT_FIELDS.has(key))
          problem(key, 'unknown field; expected apiVersion, kind, metadata, spec');
      }
      if (doc.apiVersion !== 'pbx/v1')
        problem('apiVersion', `must be pbx/v1, got ${JSON.stringify(doc.apiVersion ?? null)}`);
      if (typeof doc.kind !== 'string' || !KINDS.includes(doc.kind)) {
        problem(
          'kind',
          `unknown kind ${JSON.stringify(doc.kind ?? null)}; expected Group, Enterprise or Trunk`,
        );
      }
      const metadata = doc.metadata;
      let name: string | undefined;
      if (!isObject(metadata)) {
        problem('metadata', 'expected a mapping with name');
      } else {
        for (const key of Object.keys(metadata)) {
          if (key !== 'name') problem(`metadata.${key}`, 'unknown field; expected name');
        }
        if (typeof metadata.name !== 'string') {
          problem(
            'metadata.name',
            doc.kind === 'Trunk'
              ? 'required: the name of the trunk, such as carrier'
              : 'required: the name of the group or enterprise, such as acme',
          );
        } else {
          const bad = checkGroupName(metadata.name);
          if (bad) problem(bad.path, bad.message);
          else name = metadata.name;
        }
      }
      let spec: GroupSpec | undefined;
      let enterpriseSpec: EnterpriseSpec | undefined;
      let trunkSpec: OperatorTrunkSpec | undefined;
      if (!isObject(doc.spec)) {
        problem('spec', 'expected a mapping');
      } else if (doc.kind === 'Group') {
        const validation = validateGroupSpec(doc.spec);
        if (validation.ok) spec = validation.spec;
        else validation.problems.forEach((p) => problem(specPath(p.path), p.message));
      } else if (doc.kind === 'Enterprise') {
        const validation = validateEnterpriseSpec(doc.spec);
        if (validation.ok) enterpriseSpec = validation.spec;
        else validation.problems.forEach((p) => problem(specPath(p.path), p.message));
      } else if (doc.kind === 'Trunk' && name !== undefined) {
        const validation = validateTrunkSpec(doc.spec, name);
        if (validation.ok) trunkSpec = validation.spec;
        else validation.problems.forEach((p) => problem(specPath(p.path), p.message));
      }
      if (name !== undefined) {
        // Groups and enterprises share one namespace (T3); operator trunks have their own.
        const key = doc.kind === 'Trunk' ? `trunk ${name}` : name;
        const earlier = names.get(key);
        if (earlier !== undefined)
          problem('metadata.name', `"${name}" is also document ${earlier + 1} of this file`);
        names.set(key, index);
      }
      if (name !== undefined && spec !== undefined)
        documents.push({ index, kind: 'Group', name, spec });
      if (name !== undefined && enterpriseSpec !== undefined)
        documents.push({ index, kind: 'Enterprise', name, spec: enterpriseSpec });
      if (name !== undefined && trunkSpec !== undefined)
        documents.push({ index, kind: 'Trunk', name, spec: trunkSpec });
    });
    return problems.length > 0
      ? { problems }
      : { command: new ApplyDocumentsCommand(documents, dryRun) };
  }
}
