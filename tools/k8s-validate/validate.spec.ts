import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from './cli';
import {
  formatProblem,
  readManifestFiles,
  validateManifests,
  type ManifestFile,
  type ValidationReport,
} from './validate';

const REPO_K8S = join(__dirname, '..', '..', 'k8s');
const LABELS = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'pbx' };

/** A small tree that passes every check; each test breaks one thing. */
function validObjects(): Record<string, Record<string, unknown>> {
  return {
    kustomization: {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'pbx',
      resources: ['namespace.yaml', 'config.yaml', 'api.yaml'],
      images: [{ name: 'pbx/api', newTag: 'latest' }],
    },
    namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pbx' } },
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pbx-config' },
      data: { LOG_LEVEL: 'info' },
    },
    secret: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pbx-secrets' },
      stringData: { DATABASE_URL: 'postgres://x' },
    },
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { ...LABELS } },
        template: {
          metadata: { labels: { ...LABELS } },
          spec: {
            terminationGracePeriodSeconds: 30,
            securityContext: { runAsNonRoot: true },
            containers: [
              {
                name: 'api',
                image: 'pbx/api:latest',
                ports: [{ name: 'http', containerPort: 8080 }],
                env: [
                  {
                    name: 'LOG_LEVEL',
                    valueFrom: { configMapKeyRef: { name: 'pbx-config', key: 'LOG_LEVEL' } },
                  },
                  {
                    name: 'DATABASE_URL',
                    valueFrom: { secretKeyRef: { name: 'pbx-secrets', key: 'DATABASE_URL' } },
                  },
                ],
                livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
                readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { memory: '256Mi' },
                },
              },
            ],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api' },
      spec: { selector: { ...LABELS }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    pdb: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'api' },
      spec: { minAvailable: 1, selector: { matchLabels: { ...LABELS } } },
    },
  };
}

function toFiles(
  o: Record<string, Record<string, unknown>>,
  extra: ManifestFile[] = [],
): ManifestFile[] {
  return [
    { path: 'base/kustomization.yaml', content: stringify(o.kustomization) },
    { path: 'base/namespace.yaml', content: stringify(o.namespace) },
    { path: 'base/config.yaml', content: stringify(o.configMap) },
    { path: 'base/secret.example.yaml', content: stringify(o.secret) },
    // One multi-document file, as in the real tree.
    {
      path: 'base/api.yaml',
      content: [o.deployment, o.service, o.pdb].map((doc) => stringify(doc)).join('---\n'),
    },
    ...extra,
  ];
}

/** Sets a value at a dotted path (numeric parts index arrays) in a fixture object. */
function set(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: unknown = target;
  for (const part of parts.slice(0, -1)) node = (node as Record<string, unknown>)[part];
  const last = parts[parts.length - 1] ?? '';
  if (value === undefined) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
}

function broken(
  edit: (o: Record<string, Record<string, unknown>>) => void,
  extra: ManifestFile[] = [],
): ValidationReport {
  const objects = validObjects();
  edit(objects);
  return validateManifests(toFiles(objects, extra));
}

function messages(report: ValidationReport): string[] {
  return report.problems.map(formatProblem);
}

const CONTAINER = 'deployment';
const C0 = 'spec.template.spec.containers.0';

describe(validateManifests.name, () => {
  it('accepts the repository k8s/ tree, noting the custom resources it cannot check', async () => {
    const report = validateManifests(await readManifestFiles(REPO_K8S));

    expect(messages(report)).toEqual([]);
    expect(report.documents).toBeGreaterThanOrEqual(10);
    expect(
      report.notes.some(
        (note) => note.includes('KafkaTopic') && note.includes('not schema-checked'),
      ),
    ).toBe(true);
  });

  it('accepts the valid fixture', () => {
    expect(messages(validateManifests(toFiles(validObjects())))).toEqual([]);
  });

  it('rejects a Deployment whose pod has no containers, with file and document', () => {
    const report = broken((o) => set(o[CONTAINER], 'spec.template.spec.containers', undefined));
    expect(report.problems).toContainEqual({
      file: 'base/api.yaml',
      document: 1,
      message: 'Deployment api: /spec/template/spec must have required property containers',
    });
  });

  it('rejects a container port given as the string "abc"', () => {
    const report = broken((o) => set(o[CONTAINER], `${C0}.ports.0.containerPort`, 'abc'));
    expect(messages(report)).toContain(
      'base/api.yaml#1: Deployment api: /spec/template/spec/containers/0/ports/0/containerPort must be integer',
    );
  });

  it('rejects a Service port given as a string', () => {
    const report = broken((o) => set(o.service, 'spec.ports.0.port', 'abc'));
    expect(messages(report)).toContain(
      'base/api.yaml#2: Service api: /spec/ports/0/port must be integer',
    );
  });

  it('rejects unknown kinds and apiVersions', () => {
    const report = validateManifests(
      toFiles(validObjects(), [
        {
          path: 'base/extra.yaml',
          content: stringify({
            apiVersion: 'example.com/v1',
            kind: 'Frobnicator',
            metadata: { name: 'x' },
          }),
        },
        {
          path: 'base/extra2.yaml',
          content: stringify({
            apiVersion: 'apps/v1',
            kind: 'Deploymnet',
            metadata: { name: 'x' },
          }),
        },
      ]).map((file) =>
        file.path === 'base/kustomization.yaml'
          ? {
              ...file,
              content: stringify({
                ...validObjects().kustomization,
                resources: [
                  'namespace.yaml',
                  'config.yaml',
                  'api.yaml',
                  'extra.yaml',
                  'extra2.yaml',
                ],
              }),
            }
          : file,
      ),
    );
    expect(messages(report)).toEqual([
      expect.stringMatching(
        /^base\/extra\.yaml#1: Frobnicator x: unknown apiVersion "example\.com\/v1"/,
      ),
      'base/extra2.yaml#1: Deploymnet x: apps/v1 has no kind "Deploymnet"',
    ]);
  });

  it('notes Strimzi custom resources instead of rejecting or silently skipping them', () => {
    const topic = {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: 't' },
      spec: { partitions: 1 },
    };
    const report = validateManifests([
      {
        path: 'topics/kustomization.yaml',
        content: stringify({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['t.yaml'],
        }),
      },
      { path: 'topics/t.yaml', content: stringify(topic) },
    ]);
    expect(messages(report)).toEqual([]);
    expect(report.notes).toEqual([
      expect.stringContaining(
        'topics/t.yaml#1: KafkaTopic t (kafka.strimzi.io/v1beta2) not schema-checked',
      ),
    ]);
  });

  it('reports YAML syntax errors with the file and document', () => {
    const report = validateManifests([
      ...toFiles(validObjects()).filter((f) => f.path !== 'base/config.yaml'),
      { path: 'base/config.yaml', content: 'a: [1, 2\n' },
    ]);
    expect(messages(report)).toContainEqual(expect.stringMatching(/^base\/config\.yaml#1: YAML: /));
  });

  it('reports kustomization entries that do not exist, manifests not listed, and examples listed as resources', () => {
    const report = broken(
      (o) =>
        set(o.kustomization, 'resources', [
          'namespace.yaml',
          'config.yaml',
          'api.yaml',
          'missing.yaml',
          'secret.example.yaml',
        ]),
      [
        {
          path: 'base/forgotten.yaml',
          content: stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f' } }),
        },
      ],
    );
    expect(messages(report)).toEqual(
      expect.arrayContaining([
        'base/kustomization.yaml: "missing.yaml" does not exist',
        'base/kustomization.yaml: "secret.example.yaml" is an example, not a resource: remove it from the list',
        'base/forgotten.yaml: not listed in base/kustomization.yaml (name it *.example.yaml if it is only an example)',
      ]),
    );
  });

  it('reports manifests outside any kustomization', () => {
    const report = validateManifests([
      ...toFiles(validObjects()),
      {
        path: 'loose/cm.yaml',
        content: stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l' } }),
      },
    ]);
    expect(messages(report)).toContain(
      'loose/cm.yaml: not part of any kustomization (no kustomization.yaml above it)',
    );
  });

  it('requires liveness on /healthz and readiness on /readyz, on a declared port', () => {
    const report = broken((o) => {
      set(o[CONTAINER], `${C0}.livenessProbe.httpGet.path`, '/health');
      set(o[CONTAINER], `${C0}.readinessProbe.httpGet.port`, 'admin');
    });
    expect(messages(report)).toEqual([
      'base/api.yaml#1: Deployment api: container "api" livenessProbe must be an httpGet on /healthz (got httpGet /health)',
      'base/api.yaml#1: Deployment api: container "api" readinessProbe port "admin" is not a declared container port',
    ]);
  });

  it('requires resource requests and a memory limit', () => {
    const report = broken((o) => set(o[CONTAINER], `${C0}.resources`, undefined));
    expect(messages(report)).toEqual([
      'base/api.yaml#1: Deployment api: container "api" needs resources.requests.cpu and resources.requests.memory',
      'base/api.yaml#1: Deployment api: container "api" needs resources.limits.memory',
    ]);
  });

  it('rejects references to an undefined ConfigMap and to a key the Secret does not have', () => {
    const report = broken((o) => {
      set(o[CONTAINER], `${C0}.env.0.valueFrom.configMapKeyRef.name`, 'pbx-conf');
      set(o[CONTAINER], `${C0}.env.1.valueFrom.secretKeyRef.key`, 'DATABASE_URI');
    });
    expect(messages(report)).toEqual([
      'base/api.yaml#1: Deployment api: container "api" env LOG_LEVEL refers to ConfigMap "pbx-conf", which is not defined',
      'base/api.yaml#1: Deployment api: container "api" env DATABASE_URL refers to key "DATABASE_URI" missing from Secret "pbx-secrets"',
    ]);
  });

  it('rejects a Service whose selector matches no pods, and one whose targetPort no container declares', () => {
    expect(
      messages(broken((o) => set(o.service, 'spec.selector', { 'app.kubernetes.io/name': 'apl' }))),
    ).toEqual([
      'base/api.yaml#2: Service api: selector {"app.kubernetes.io/name":"apl"} matches the pod labels of no Deployment',
    ]);
    expect(messages(broken((o) => set(o.service, 'spec.ports.0.targetPort', 'web')))).toEqual([
      'base/api.yaml#2: Service api: port http targets "web", which no selected container declares',
    ]);
  });

  it('rejects a Deployment whose selector does not match its pod labels', () => {
    const report = broken((o) =>
      set(o[CONTAINER], 'spec.template.metadata.labels', { 'app.kubernetes.io/name': 'other' }),
    );
    expect(messages(report)).toContain(
      'base/api.yaml#1: Deployment api: selector.matchLabels must be non-empty and match the pod template labels',
    );
  });

  it('rejects a PodDisruptionBudget that would block every drain', () => {
    const report = broken((o) => set(o.pdb, 'spec.minAvailable', 2));
    expect(messages(report)).toEqual([
      'base/api.yaml#3: PodDisruptionBudget api: minAvailable 2 with 2 replica(s) of Deployment api blocks every node drain',
    ]);
  });

  it('requires non-root pods and a grace period long enough to drain', () => {
    const report = broken((o) => {
      set(o[CONTAINER], 'spec.template.spec.securityContext', undefined);
      set(o[CONTAINER], 'spec.template.spec.terminationGracePeriodSeconds', 5);
    });
    expect(messages(report)).toEqual([
      'base/api.yaml#1: Deployment api: terminationGracePeriodSeconds 5 leaves no time to drain on SIGTERM (at least 15)',
      'base/api.yaml#1: Deployment api: container "api" must run with securityContext.runAsNonRoot: true',
    ]);
  });

  it('requires every image to be pinned through kustomize images, and no stale entries', () => {
    const report = broken((o) =>
      set(o.kustomization, 'images', [{ name: 'pbx/apx', newTag: 'latest' }]),
    );
    expect(messages(report)).toEqual([
      'base/api.yaml#1: Deployment api: image "pbx/api" has no kustomize images entry to set its tag',
      'base/kustomization.yaml: images entry "pbx/apx" matches no container image',
    ]);
  });

  it('rejects a kustomization Namespace that differs from the namespace it sets', () => {
    const report = broken((o) => set(o.kustomization, 'namespace', 'telephony'));
    expect(messages(report)).toEqual([
      'base/kustomization.yaml: namespace "telephony" differs from the Namespace "pbx" it creates (base/namespace.yaml)',
    ]);
  });
});

describe(runCli.name, () => {
  it('exits 0 for the repository tree and prints a summary', async () => {
    const lines: string[] = [];
    expect(await runCli([REPO_K8S], (line) => lines.push(line))).toBe(0);
    expect(lines[lines.length - 1]).toMatch(
      /^k8s-validate: \d+ documents under .*, 0 problem\(s\)$/,
    );
  });

  it('exits 1 and prints each problem for a broken tree', async () => {
    const lines: string[] = [];
    expect(await runCli([join(__dirname, 'fixtures', 'broken')], (line) => lines.push(line))).toBe(
      1,
    );
    expect(lines).toEqual([
      'error: kustomization.yaml: "gone.yaml" does not exist',
      'error: app.yaml#1: Deployment app: /spec/template/spec must have required property containers',
      'error: app.yaml#2: Service app: /spec/ports/0/port must be integer',
      expect.stringMatching(/^k8s-validate: 3 documents under .*broken, 3 problem\(s\)$/),
    ]);
  });

  it('exits 2 when the folder cannot be read', async () => {
    const lines: string[] = [];
    expect(await runCli([join(REPO_K8S, 'does-not-exist')], (line) => lines.push(line))).toBe(2);
    expect(lines[0]).toContain('cannot read');
  });
});
