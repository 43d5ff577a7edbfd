/** The parts of a kustomize Kustomization this validator checks; validated by hand (no schema ships for it). */
export interface Kustomization {
  readonly namespace?: string;
  /** Files and folders that become resources, relative to the kustomization's folder. */
  readonly resources: readonly string[];
  readonly components: readonly string[];
  /** Patch files: listed, but partial objects, so they are not schema-validated as resources. */
  readonly patches: readonly string[];
  readonly images: readonly { readonly name: string }[];
}

export const KUSTOMIZATION_FILE_NAMES: readonly string[] = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

const KUSTOMIZE_KINDS: Readonly<Record<string, string>> = {
  'kustomize.config.k8s.io/v1beta1': 'Kustomization',
  'kustomize.config.k8s.io/v1alpha1': 'Component',
};

export function isKustomizeDocument(apiVersion: string, kind: string): boolean {
  return KUSTOMIZE_KINDS[apiVersion] === kind;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(doc: Record<string, unknown>, field: string, problems: string[]): string[] {
  const value = doc[field];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    problems.push(`${field} must be a list of strings`);
    return [];
  }
  return value;
}

/** Reads and checks the shape; problems are returned, not thrown, so that all of them get reported. */
export function parseKustomization(doc: Record<string, unknown>): {
  kustomization: Kustomization;
  problems: string[];
} {
  const problems: string[] = [];
  const known = new Set([
    'apiVersion',
    'kind',
    'metadata',
    'namespace',
    'resources',
    'components',
    'patches',
    'patchesStrategicMerge',
    'images',
    'labels',
    'commonLabels',
    'commonAnnotations',
    'namePrefix',
    'nameSuffix',
    'configMapGenerator',
    'secretGenerator',
    'generatorOptions',
    'replicas',
  ]);
  for (const field of Object.keys(doc))
    if (!known.has(field)) problems.push(`unsupported field "${field}"`);
  if ('commonLabels' in doc)
    problems.push(
      'commonLabels also rewrites selectors, which breaks rollouts of existing Deployments; use labels',
    );
  const namespace = doc.namespace;
  if (namespace !== undefined && typeof namespace !== 'string')
    problems.push('namespace must be a string');

  const patches: string[] = stringList(doc, 'patchesStrategicMerge', problems);
  if (doc.patches !== undefined) {
    if (!Array.isArray(doc.patches)) problems.push('patches must be a list');
    else
      for (const patch of doc.patches) {
        if (!isRecord(patch)) problems.push('each patch must be a mapping');
        else if (typeof patch.path === 'string') patches.push(patch.path);
        else if (typeof patch.patch !== 'string')
          problems.push('each patch needs a path or an inline patch');
      }
  }
  const images: { name: string }[] = [];
  if (doc.images !== undefined) {
    if (!Array.isArray(doc.images)) problems.push('images must be a list');
    else
      for (const image of doc.images) {
        if (!isRecord(image) || typeof image.name !== 'string')
          problems.push('each images entry needs a name');
        else if (
          image.newTag === undefined &&
          image.newName === undefined &&
          image.digest === undefined
        )
          problems.push(`images entry "${image.name}" sets none of newTag, newName, digest`);
        else images.push({ name: image.name });
      }
  }
  return {
    kustomization: {
      namespace: typeof namespace === 'string' ? namespace : undefined,
      resources: stringList(doc, 'resources', problems),
      components: stringList(doc, 'components', problems),
      patches,
      images,
    },
    problems,
  };
}
