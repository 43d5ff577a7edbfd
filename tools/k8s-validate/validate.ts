import { readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import {
  isKustomizeDocument,
  KUSTOMIZATION_FILE_NAMES,
  parseKustomization,
  type Kustomization,
} from './kustomization';
import { lookupModel, schemaErrors } from './model-registry';

/** One YAML file of the tree; `path` is relative to the tree's root, with `/` separators. */
export interface ManifestFile {
  readonly path: string;
  readonly content: string;
}

export interface Problem {
  readonly file: string;
  /** 1-based position of the document in a multi-document file. */
  readonly document?: number;
  readonly message: string;
}

export interface ValidationReport {
  readonly documents: number;
  readonly problems: readonly Problem[];
  /** Things deliberately not checked (custom resources, patches, remote bases), so nothing is skipped silently. */
  readonly notes: readonly string[];
}

/** `*.example.yaml` files are documentation (e.g. the Secret): validated, never kustomize resources. */
export function isExampleFile(path: string): boolean {
  return /\.example\.ya?ml$/.test(path);
}

const YAML_FILE = /\.ya?ml$/;
const LIVENESS_PATH = '/healthz';
const READINESS_PATH = '/readyz';
const MIN_GRACE_SECONDS = 15;
/** Kubernetes' default when terminationGracePeriodSeconds is not set. */
const DEFAULT_GRACE_SECONDS = 30;

interface Located<T> {
  readonly file: string;
  readonly document: number;
  readonly value: T;
}

interface Resources {
  readonly deployments: Located<IDeployment>[];
  readonly services: Located<IService>[];
  readonly configMaps: Located<IConfigMap>[];
  readonly secrets: Located<ISecret>[];
  /** Secrets only shipped as examples: they satisfy references, the operator creates the real ones. */
  readonly exampleSecrets: Located<ISecret>[];
  readonly pdbs: Located<IPodDisruptionBudget>[];
  readonly namespaces: Located<{ metadata?: { name?: string } }>[];
}

class Collector {
  readonly problems: Problem[] = [];
  readonly notes: string[] = [];

  problem(file: string, document: number | undefined, message: string): void {
    this.problems.push(document === undefined ? { file, message } : { file, document, message });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dirOf(path: string): string {
  return posix.dirname(path);
}

function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(posix.basename(path));
}

/** Validates a whole manifest tree held in memory: no I/O, so fixtures can be built in tests. */
export function validateManifests(files: readonly ManifestFile[]): ValidationReport {
  const out = new Collector();
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const paths = new Set(sorted.map((file) => file.path));

  // 1. Parse every document of every file.
  const parsed: { file: string; document: number; value: unknown }[] = [];
  for (const file of sorted) {
    parseAllDocuments(file.content).forEach((doc, i) => {
      if (doc.errors.length > 0) {
        for (const error of doc.errors)
          out.problem(file.path, i + 1, `YAML: ${error.message.split('\n')[0]}`);
        return;
      }
      const value: unknown = doc.toJS();
      if (value !== null && value !== undefined)
        parsed.push({ file: file.path, document: i + 1, value });
    });
  }

  // 2. Kustomizations: what they list must exist, and every manifest must be listed.
  const kustomizations = new Map<string, Kustomization>();
  for (const doc of parsed) {
    if (!isKustomizationFile(doc.file)) continue;
    if (
      !isRecord(doc.value) ||
      !isKustomizeDocument(String(doc.value.apiVersion), String(doc.value.kind))
    ) {
      out.problem(
        doc.file,
        doc.document,
        'a kustomization file must hold one kustomize.config.k8s.io Kustomization or Component',
      );
      continue;
    }
    if (kustomizations.has(doc.file)) {
      out.problem(doc.file, doc.document, 'a kustomization file must hold a single document');
      continue;
    }
    const { kustomization, problems } = parseKustomization(doc.value);
    for (const message of problems) out.problem(doc.file, doc.document, message);
    kustomizations.set(doc.file, kustomization);
  }
  const patchFiles = checkKustomizations(kustomizations, paths, out);

  // 3. Every other document against the schema of its apiVersion/kind.
  const resources: Resources = {
    deployments: [],
    services: [],
    configMaps: [],
    secrets: [],
    exampleSecrets: [],
    pdbs: [],
    namespaces: [],
  };
  const identities = new Map<string, string>();
  for (const doc of parsed) {
    if (isKustomizationFile(doc.file)) continue;
    checkDocument(doc, patchFiles.has(doc.file), resources, identities, out);
  }
  for (const file of patchFiles)
    out.notes.push(`${file}: patch, not schema-checked as a whole object`);

  // 4. Names that must agree across documents.
  checkReferences(resources, out);
  checkNamespaces(kustomizations, resources, out);
  checkImages(kustomizations, resources, out);

  return { documents: parsed.length, problems: out.problems, notes: out.notes };
}

function checkKustomizations(
  kustomizations: ReadonlyMap<string, Kustomization>,
  paths: ReadonlySet<string>,
  out: Collector,
): Set<string> {
  const listedBy = new Map<string, Set<string>>();
  const patchFiles = new Set<string>();
  const isDir = (dir: string): boolean => [...paths].some((path) => path.startsWith(`${dir}/`));
  const hasKustomization = (dir: string): boolean =>
    KUSTOMIZATION_FILE_NAMES.some((name) =>
      kustomizations.has(dir === '.' ? name : `${dir}/${name}`),
    );

  for (const [file, kustomization] of kustomizations) {
    const base = dirOf(file);
    const listed = new Set<string>();
    listedBy.set(base, listed);
    const entries = [...kustomization.resources, ...kustomization.components];
    const seen = new Set<string>();
    for (const entry of entries) {
      if (seen.has(entry)) out.problem(file, undefined, `"${entry}" is listed twice`);
      seen.add(entry);
      if (/^[a-z][a-z0-9+.-]*:\/\/|^github\.com\//i.test(entry)) {
        out.notes.push(`${file}: remote resource "${entry}" not checked`);
        continue;
      }
      const target = posix.normalize(posix.join(base, entry));
      if (target === '..' || target.startsWith('../')) {
        out.problem(file, undefined, `"${entry}" points outside the manifest tree`);
      } else if (paths.has(target)) {
        if (isExampleFile(target))
          out.problem(
            file,
            undefined,
            `"${entry}" is an example, not a resource: remove it from the list`,
          );
        else if (isKustomizationFile(target))
          out.problem(file, undefined, `"${entry}" is a kustomization; list its folder instead`);
        listed.add(target);
      } else if (isDir(target)) {
        if (!hasKustomization(target))
          out.problem(file, undefined, `folder "${entry}" has no kustomization.yaml`);
      } else {
        out.problem(file, undefined, `"${entry}" does not exist`);
      }
    }
    for (const patch of kustomization.patches) {
      const target = posix.normalize(posix.join(base, patch));
      if (!paths.has(target)) out.problem(file, undefined, `patch "${patch}" does not exist`);
      listed.add(target);
      patchFiles.add(target);
    }
  }

  // A manifest belongs to the nearest kustomization above it, which must list it.
  for (const path of paths) {
    if (!YAML_FILE.test(path) || isKustomizationFile(path) || isExampleFile(path)) continue;
    let dir = dirOf(path);
    for (;;) {
      if (listedBy.has(dir)) break;
      if (dir === '.') break;
      dir = dirOf(dir);
    }
    const listed = listedBy.get(dir);
    if (listed === undefined)
      out.problem(
        path,
        undefined,
        'not part of any kustomization (no kustomization.yaml above it)',
      );
    else if (!listed.has(path))
      out.problem(
        path,
        undefined,
        `not listed in ${dir === '.' ? '' : `${dir}/`}kustomization.yaml (name it *.example.yaml if it is only an example)`,
      );
  }
  return patchFiles;
}

function checkDocument(
  doc: { file: string; document: number; value: unknown },
  isPatch: boolean,
  resources: Resources,
  identities: Map<string, string>,
  out: Collector,
): void {
  const { file, document, value } = doc;
  if (!isRecord(value)) {
    out.problem(file, document, 'a manifest must be a mapping');
    return;
  }
  const { apiVersion, kind } = value;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    out.problem(file, document, 'apiVersion and kind must be strings');
    return;
  }
  const label = `${kind} ${typeof metadata.name === 'string' ? metadata.name : '(unnamed)'}`;
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    out.problem(file, document, `${kind}: metadata.name is required`);
    return;
  }
  if (isKustomizeDocument(apiVersion, kind)) {
    out.problem(
      file,
      document,
      `${label}: kustomizations belong in a file named kustomization.yaml`,
    );
    return;
  }
  const model = lookupModel(apiVersion, kind);
  if (model.kind === 'unknown') {
    out.problem(file, document, `${label}: ${model.reason}`);
    return;
  }
  if (model.kind === 'unchecked') {
    out.notes.push(
      `${file}#${document}: ${label} (${apiVersion}) not schema-checked: ${model.reason}`,
    );
    return;
  }
  if (isPatch) return;
  try {
    model.validate(value);
  } catch (error) {
    for (const message of schemaErrors(error)) out.problem(file, document, `${label}: ${message}`);
    return;
  }

  const example = isExampleFile(file);
  if (!example) {
    const identity = `${apiVersion.split('/')[0] === apiVersion ? '' : apiVersion.split('/')[0]}/${kind}/${String(metadata.namespace ?? '')}/${metadata.name}`;
    const previous = identities.get(identity);
    if (previous !== undefined)
      out.problem(file, document, `${label} is also defined in ${previous}`);
    identities.set(identity, `${file}#${document}`);
  }
  // Schema-valid from here, so the kubernetes-models interfaces describe the value.
  const located = { file, document, value } as Located<never>;
  if (kind === 'Secret' && apiVersion === 'v1')
    (example ? resources.exampleSecrets : resources.secrets).push(located);
  else if (example) return;
  else if (kind === 'Deployment') resources.deployments.push(located);
  else if (kind === 'Service' && apiVersion === 'v1') resources.services.push(located);
  else if (kind === 'ConfigMap' && apiVersion === 'v1') resources.configMaps.push(located);
  else if (kind === 'PodDisruptionBudget') resources.pdbs.push(located);
  else if (kind === 'Namespace' && apiVersion === 'v1') resources.namespaces.push(located);
}

function matchesLabels(
  selector: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (selector === undefined || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

function keysOf(source: {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  binaryData?: Record<string, string>;
}): Set<string> {
  return new Set([
    ...Object.keys(source.data ?? {}),
    ...Object.keys(source.stringData ?? {}),
    ...Object.keys(source.binaryData ?? {}),
  ]);
}

function checkReferences(resources: Resources, out: Collector): void {
  const configMaps = new Map(
    resources.configMaps.map((c) => [c.value.metadata?.name ?? '', c.value]),
  );
  const secrets = new Map(
    [...resources.exampleSecrets, ...resources.secrets].map((s) => [
      s.value.metadata?.name ?? '',
      s.value,
    ]),
  );
  for (const example of resources.exampleSecrets) {
    if (!resources.secrets.some((s) => s.value.metadata?.name === example.value.metadata?.name)) {
      out.notes.push(
        `Secret ${example.value.metadata?.name ?? ''} is created outside kustomize; ${example.file} shows its keys`,
      );
    }
  }

  for (const { file, document, value: deployment } of resources.deployments) {
    const name = deployment.metadata?.name ?? '';
    const at = (message: string): void =>
      out.problem(file, document, `Deployment ${name}: ${message}`);
    const spec = deployment.spec;
    const pod = spec?.template.spec;
    if (spec === undefined || pod === undefined) {
      at('spec.template.spec is required');
      continue;
    }
    const podLabels = spec.template.metadata?.labels;
    if (!matchesLabels(spec.selector.matchLabels, podLabels))
      at('selector.matchLabels must be non-empty and match the pod template labels');
    const grace = pod.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    if (grace < MIN_GRACE_SECONDS)
      at(
        `terminationGracePeriodSeconds ${grace} leaves no time to drain on SIGTERM (at least ${MIN_GRACE_SECONDS})`,
      );

    const refs = (
      kind: 'ConfigMap' | 'Secret',
      refName: string | undefined,
      key: string | undefined,
      optional: boolean | undefined,
      where: string,
    ): void => {
      const target =
        kind === 'ConfigMap' ? configMaps.get(refName ?? '') : secrets.get(refName ?? '');
      if (target === undefined) {
        if (!optional) at(`${where} refers to ${kind} "${refName ?? ''}", which is not defined`);
        return;
      }
      if (key !== undefined && !optional && !keysOf(target).has(key))
        at(`${where} refers to key "${key}" missing from ${kind} "${refName ?? ''}"`);
    };
    for (const volume of pod.volumes ?? []) {
      if (volume.configMap)
        refs(
          'ConfigMap',
          volume.configMap.name,
          undefined,
          volume.configMap.optional,
          `volume "${volume.name}"`,
        );
      if (volume.secret)
        refs(
          'Secret',
          volume.secret.secretName,
          undefined,
          volume.secret.optional,
          `volume "${volume.name}"`,
        );
    }
    const podNonRoot = pod.securityContext?.runAsNonRoot === true;
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      const where = `container "${container.name}"`;
      for (const env of container.env ?? []) {
        const cm = env.valueFrom?.configMapKeyRef;
        const secret = env.valueFrom?.secretKeyRef;
        if (cm) refs('ConfigMap', cm.name, cm.key, cm.optional, `${where} env ${env.name}`);
        if (secret)
          refs('Secret', secret.name, secret.key, secret.optional, `${where} env ${env.name}`);
      }
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef)
          refs(
            'ConfigMap',
            source.configMapRef.name,
            undefined,
            source.configMapRef.optional,
            `${where} envFrom`,
          );
        if (source.secretRef)
          refs(
            'Secret',
            source.secretRef.name,
            undefined,
            source.secretRef.optional,
            `${where} envFrom`,
          );
      }
      if (!podNonRoot && container.securityContext?.runAsNonRoot !== true)
        at(`${where} must run with securityContext.runAsNonRoot: true`);
      if (container.image === undefined || container.image === '') at(`${where} has no image`);
    }
    for (const container of pod.containers) checkServingContainer(container, at);
  }

  for (const { file, document, value: service } of resources.services) {
    const name = service.metadata?.name ?? '';
    const selector = service.spec?.selector;
    if (selector === undefined || Object.keys(selector).length === 0) {
      // A Service without selector is managed by hand (EndpointSlices); nothing to cross-check.
      continue;
    }
    const pods = resources.deployments.filter((d) =>
      matchesLabels(selector, d.value.spec?.template.metadata?.labels),
    );
    if (pods.length === 0) {
      out.problem(
        file,
        document,
        `Service ${name}: selector ${JSON.stringify(selector)} matches the pod labels of no Deployment`,
      );
      continue;
    }
    const containerPorts = pods.flatMap(
      (d) => d.value.spec?.template.spec?.containers.flatMap((c) => c.ports ?? []) ?? [],
    );
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const found =
        typeof target === 'string'
          ? containerPorts.some((p) => p.name === target)
          : containerPorts.some((p) => p.containerPort === target);
      if (!found) {
        out.problem(
          file,
          document,
          `Service ${name}: port ${port.name ?? port.port} targets ${JSON.stringify(target)}, which no selected container declares`,
        );
      }
    }
  }

  for (const { file, document, value: pdb } of resources.pdbs) {
    const name = pdb.metadata?.name ?? '';
    const selected = resources.deployments.filter((d) =>
      matchesLabels(pdb.spec?.selector?.matchLabels, d.value.spec?.template.metadata?.labels),
    );
    if (selected.length === 0) {
      out.problem(
        file,
        document,
        `PodDisruptionBudget ${name}: selector matches the pod labels of no Deployment`,
      );
      continue;
    }
    const minAvailable = pdb.spec?.minAvailable;
    for (const d of selected) {
      const replicas = d.value.spec?.replicas ?? 1;
      if (typeof minAvailable === 'number' && minAvailable >= replicas) {
        out.problem(
          file,
          document,
          `PodDisruptionBudget ${name}: minAvailable ${minAvailable} with ${replicas} replica(s) of Deployment ${d.value.metadata?.name ?? ''} blocks every node drain`,
        );
      }
    }
  }
}

/** The platform's HTTP contract (deploy/README.md): liveness on /healthz, readiness on /readyz, sized resources. */
function checkServingContainer(container: IContainer, at: (message: string) => void): void {
  const where = `container "${container.name}"`;
  const probe = (kind: 'livenessProbe' | 'readinessProbe', path: string): void => {
    const p: IProbe | undefined = container[kind];
    const get = p?.httpGet;
    if (get?.path !== path) {
      at(
        `${where} ${kind} must be an httpGet on ${path} (got ${get ? `httpGet ${get.path ?? '/'}` : p ? 'another probe type' : 'none'})`,
      );
      return;
    }
    const declared = (container.ports ?? []).some((port) =>
      typeof get.port === 'string' ? port.name === get.port : port.containerPort === get.port,
    );
    if (!declared)
      at(`${where} ${kind} port ${JSON.stringify(get.port)} is not a declared container port`);
  };
  probe('livenessProbe', LIVENESS_PATH);
  probe('readinessProbe', READINESS_PATH);
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  if (requests.cpu === undefined || requests.memory === undefined)
    at(`${where} needs resources.requests.cpu and resources.requests.memory`);
  if (limits.memory === undefined) at(`${where} needs resources.limits.memory`);
}

function checkNamespaces(
  kustomizations: ReadonlyMap<string, Kustomization>,
  resources: Resources,
  out: Collector,
): void {
  for (const [file, kustomization] of kustomizations) {
    if (kustomization.namespace === undefined) continue;
    const base = dirOf(file);
    const listedFiles = new Set(
      kustomization.resources.map((entry) => posix.normalize(posix.join(base, entry))),
    );
    for (const ns of resources.namespaces) {
      const name = ns.value.metadata?.name;
      if (listedFiles.has(ns.file) && name !== kustomization.namespace) {
        out.problem(
          file,
          undefined,
          `namespace "${kustomization.namespace}" differs from the Namespace "${name ?? ''}" it creates (${ns.file})`,
        );
      }
    }
  }
}

function imageName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** Image tags are set per environment through kustomize `images`, so every image needs an entry there. */
function checkImages(
  kustomizations: ReadonlyMap<string, Kustomization>,
  resources: Resources,
  out: Collector,
): void {
  const pinned = new Map<string, string>();
  for (const [file, kustomization] of kustomizations)
    for (const image of kustomization.images) pinned.set(image.name, file);
  const used = new Set<string>();
  for (const { file, document, value } of resources.deployments) {
    for (const container of value.spec?.template.spec?.containers ?? []) {
      if (container.image === undefined) continue;
      const name = imageName(container.image);
      used.add(name);
      if (!pinned.has(name)) {
        out.problem(
          file,
          document,
          `Deployment ${value.metadata?.name ?? ''}: image "${name}" has no kustomize images entry to set its tag`,
        );
      }
    }
  }
  for (const [name, file] of pinned) {
    if (!used.has(name))
      out.problem(file, undefined, `images entry "${name}" matches no container image`);
  }
}

/** Reads every YAML file under `root` (recursively), with paths relative to it. */
export async function readManifestFiles(root: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (
        entry.isFile() &&
        (YAML_FILE.test(entry.name) || KUSTOMIZATION_FILE_NAMES.includes(entry.name))
      ) {
        files.push({
          path: relative(root, full).split(sep).join('/'),
          content: await readFile(full, 'utf8'),
        });
      }
    }
  };
  await walk(root);
  return files;
}

export async function validateManifestDirectory(root: string): Promise<ValidationReport> {
  return validateManifests(await readManifestFiles(root));
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}${problem.document === undefined ? '' : `#${problem.document}`}: ${problem.message}`;
}
