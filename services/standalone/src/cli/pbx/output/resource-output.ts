import { Document } from 'yaml';
import { YAML_OPTIONS } from '../manifest/manifest';
import { kindSlug, resourceRef, type PbxDocument } from '../manifest/pbx-document';

/**
 * Documents as a pbx file: one YAML document each, `---` between them, keys in the platform's
 * order, no line folding. Read with the same YAML 1.2 core schema that `apply` uses, it gives back
 * exactly these documents: strings that would read as numbers or booleans ("201", "+3120...",
 * "true") are quoted.
 */
export function formatYaml(documents: readonly PbxDocument[]): string {
  return documents
    .map((document) => new Document(document, YAML_OPTIONS).toString({ lineWidth: 0 }))
    .join('---\n');
}

/** One document as itself; a list as `{ "items": [...] }`, as the platform sends it. */
export function formatJson(result: PbxDocument | readonly PbxDocument[]): string {
  const value = Array.isArray(result) ? { items: result } : result;
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `group/acme` per line, for scripts: `pbx get group -o name | xargs -n1 pbx delete`... */
export function formatNames(documents: readonly PbxDocument[]): string {
  return documents.map((doc) => `${resourceRef(doc.kind, doc.metadata.name)}\n`).join('');
}

/** A table of kind and name, the default for people. */
export function formatTable(documents: readonly PbxDocument[]): string {
  const rows = [
    ['KIND', 'NAME'],
    ...documents.map((doc) => [kindSlug(doc.kind), doc.metadata.name]),
  ];
  const width = Math.max(...rows.map(([kind]) => kind.length));
  return rows.map(([kind, name]) => `${kind.padEnd(width)}   ${name}\n`).join('');
}
