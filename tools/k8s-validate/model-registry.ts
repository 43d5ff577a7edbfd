import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';

/** The API versions whose kinds this repository may use; each maps to kubernetes-models' module. */
const API_VERSIONS: Readonly<Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'autoscaling/v2': autoscalingV2,
  'batch/v1': batchV1,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
};

/**
 * Custom resources kubernetes-models has no schema for. They are skipped on purpose and reported
 * as a note, never silently; every other unknown apiVersion/kind is a problem.
 */
const UNCHECKED_GROUPS: Readonly<Record<string, string>> = {
  'kafka.strimzi.io':
    'Strimzi custom resource: kubernetes-models has no schema for it, so only apiVersion, kind and metadata.name are checked',
};

interface ModelClass {
  new (data: unknown): { validate(): void };
  readonly apiVersion: string;
  readonly kind: string;
}

export type ModelLookup =
  | { readonly kind: 'model'; readonly validate: (doc: unknown) => void }
  | { readonly kind: 'unchecked'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

function isModelClass(value: unknown, apiVersion: string, kind: string): value is ModelClass {
  // Nested types (DeploymentSpec...) are classes too, but only top-level kinds carry apiVersion/kind.
  if (typeof value !== 'function') return false;
  const statics = value as unknown as Partial<Record<'apiVersion' | 'kind', unknown>>;
  return statics.apiVersion === apiVersion && statics.kind === kind;
}

export function lookupModel(apiVersion: string, kind: string): ModelLookup {
  const module = API_VERSIONS[apiVersion];
  if (module !== undefined) {
    const candidate = (module as Record<string, unknown>)[kind];
    if (isModelClass(candidate, apiVersion, kind)) {
      const Model = candidate;
      // The model's validate() runs the JSON schema compiled from Kubernetes' OpenAPI document and
      // throws a ValidationError whose `errors` are ajv errors (instancePath + message).
      return { kind: 'model', validate: (doc: unknown): void => new Model(doc).validate() };
    }
    return { kind: 'unknown', reason: `${apiVersion} has no kind "${kind}"` };
  }
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const unchecked = UNCHECKED_GROUPS[group];
  if (unchecked !== undefined) return { kind: 'unchecked', reason: unchecked };
  return {
    kind: 'unknown',
    reason: `unknown apiVersion "${apiVersion}" (known: ${Object.keys(API_VERSIONS).join(', ')}; custom resource groups are listed in tools/k8s-validate/model-registry.ts)`,
  };
}

/** Turns what a model's validate() throws into one line per schema violation. */
export function schemaErrors(error: unknown): string[] {
  if (
    typeof error === 'object' &&
    error !== null &&
    'errors' in error &&
    Array.isArray(error.errors)
  ) {
    return (error.errors as unknown[]).map((item) => {
      const e = item as { instancePath?: unknown; message?: unknown; params?: unknown };
      const where =
        typeof e.instancePath === 'string' && e.instancePath !== '' ? e.instancePath : '/';
      const extra =
        typeof e.params === 'object' && e.params !== null && 'allowedValues' in e.params
          ? ` (${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)})`
          : '';
      return `${where} ${String(e.message)}${extra}`;
    });
  }
  return [error instanceof Error ? error.message : String(error)];
}
