import {
  API_VERSION,
  isRecord,
  KIND_PATTERN,
  NAME_PATTERN,
  type PbxDocument,
  resourceRef,
} from './pbx-document';

/** A problem of one document of a file; `document` is its 0-based position among the documents. */
export interface DocumentProblem {
  readonly document: number;
  readonly path: string;
  readonly message: string;
}

export type CheckedDocuments =
  | { readonly ok: true; readonly documents: readonly PbxDocument[] }
  | { readonly ok: false; readonly problems: readonly DocumentProblem[] };

const TOP_LEVEL_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'];

/** A value in a message: short, quoted as JSON so that `"201"` and `201` differ. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Checks what this command can judge without the platform: each document's envelope, and that no
 * resource is given twice. Reports every problem, not the first.
 */
export function checkDocuments(values: readonly unknown[]): CheckedDocuments {
  const problems: DocumentProblem[] = [];
  const seen = new Map<string, number>();
  values.forEach((value, document) => {
    const report = (path: string, message: string): void => {
      problems.push({ document, path, message });
    };
    checkEnvelope(value, report);
    if (!isRecord(value) || !isRecord(value.metadata)) return;
    const { kind } = value;
    const { name } = value.metadata;
    if (typeof kind !== 'string' || typeof name !== 'string') return;
    const ref = resourceRef(kind, name);
    const first = seen.get(ref);
    if (first === undefined) seen.set(ref, document);
    else report('metadata.name', `${ref} is already given in document ${first + 1} of this file`);
  });
  return problems.length === 0
    ? { ok: true, documents: values as readonly PbxDocument[] }
    : { ok: false, problems };
}

function checkEnvelope(value: unknown, report: (path: string, message: string) => void): void {
  if (!isRecord(value)) {
    report('', 'expected a mapping with apiVersion, kind, metadata and spec');
    return;
  }
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL_FIELDS.includes(key)) {
      report(key, `unknown field; expected ${TOP_LEVEL_FIELDS.join(', ')}`);
    }
  }

  if (value.apiVersion === undefined) report('apiVersion', `required; expected ${API_VERSION}`);
  else if (value.apiVersion !== API_VERSION) {
    report('apiVersion', `unsupported ${describeValue(value.apiVersion)}; expected ${API_VERSION}`);
  }

  if (value.kind === undefined) report('kind', 'required; the kind of resource, such as Group');
  else if (typeof value.kind !== 'string' || !KIND_PATTERN.test(value.kind)) {
    report(
      'kind',
      `expected a kind in PascalCase, such as Group; got ${describeValue(value.kind)}`,
    );
  }

  if (value.metadata === undefined) report('metadata', 'required; a mapping with name');
  else if (!isRecord(value.metadata)) report('metadata', 'expected a mapping with name');
  else if (value.metadata.name === undefined) report('metadata.name', 'required');
  else if (typeof value.metadata.name !== 'string' || !NAME_PATTERN.test(value.metadata.name)) {
    report(
      'metadata.name',
      'expected lowercase letters, digits and hyphens, at most 63, starting and ending with a ' +
        `letter or digit; got ${describeValue(value.metadata.name)}`,
    );
  }

  if (value.spec === undefined) report('spec', 'required; a mapping');
  else if (!isRecord(value.spec))
    report('spec', `expected a mapping; got ${describeValue(value.spec)}`);
}
