// Test fixtures for the group aggregate's specs (no test runs here).
import { validateGroupSpec, type GroupSpec } from './group-spec';
import { formatProblem } from './spec-problems';

/** The example manifest of `pbx apply -f company.yaml`. */
export const ACME_YAML = `apiVersion: pbx/v1
kind: Group
metadata:
  name: acme
spec:
  domain: acme.example
  timezone: Europe/Amsterdam
  mainNumber: "+31201234500"
  users:
    - extension: "201"
      name: Alice Jansen
      email: alice@acme.example
      profile: premium
      numbers: ["+31201234501"]
      devices:
        - { username: alice, password: "s3cret-Alice", kind: softphone }
    - extension: "202"
      name: Bob de Vries
      email: bob@acme.example
      profile: business
      devices:
        - { username: bob, password: "s3cret-Bob", kind: deskphone }
        - { username: bob-mobile, password: "s3cret-Bob2", kind: softphone }
    - extension: "203"
      name: Carol Smit
      profile: base
      devices:
        - { username: carol, password: "s3cret-Carol", kind: deskphone }
  huntGroups:
    - extension: "600"
      name: Sales
      policy: circular
      members: ["201", "202"]
`;

/** The `spec` of ACME_YAML as plain data, a fresh copy each time. */
export function acmeInput(): Record<string, unknown> {
  return {
    domain: 'acme.example',
    timezone: 'Europe/Amsterdam',
    mainNumber: '+31201234500',
    users: [
      {
        extension: '201',
        name: 'Alice Jansen',
        email: 'alice@acme.example',
        profile: 'premium',
        numbers: ['+31201234501'],
        devices: [{ username: 'alice', password: 's3cret-Alice', kind: 'softphone' }],
      },
      {
        extension: '202',
        name: 'Bob de Vries',
        email: 'bob@acme.example',
        profile: 'business',
        devices: [
          { username: 'bob', password: 's3cret-Bob', kind: 'deskphone' },
          { username: 'bob-mobile', password: 's3cret-Bob2', kind: 'softphone' },
        ],
      },
      {
        extension: '203',
        name: 'Carol Smit',
        profile: 'base',
        devices: [{ username: 'carol', password: 's3cret-Carol', kind: 'deskphone' }],
      },
    ],
    huntGroups: [{ extension: '600', name: 'Sales', policy: 'circular', members: ['201', '202'] }],
  };
}

/**
 * A copy of `input` with values set at spec paths (`users[2].profile`); `undefined` deletes the
 * field. Missing lists and objects on the way are created.
 */
export function edited(
  input: Record<string, unknown>,
  changes: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const copy = structuredClone(input);
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
    let node = copy as Record<string, unknown>;
    keys.slice(0, -1).forEach((key, i) => {
      node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
      node = node[key] as Record<string, unknown>;
    });
    const last = keys[keys.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy;
}

/** The problems of an input as `path: message` lines. */
export function problemsOf(input: unknown): string[] {
  const result = validateGroupSpec(input);
  return result.ok ? [] : result.problems.map(formatProblem);
}

/** A validated spec, or a test failure listing why not. */
export function validSpec(input: unknown): GroupSpec {
  const result = validateGroupSpec(input);
  if (!result.ok) {
    throw new Error(
      `fixture is not a valid spec:\n${result.problems.map(formatProblem).join('\n')}`,
    );
  }
  return result.spec;
}

/** A group of `count` users with one device each, extensions from 2000. */
export function largeGroupInput(count: number): Record<string, unknown> {
  return {
    domain: 'big.example',
    timezone: 'Europe/Amsterdam',
    mainNumber: '+31201234500',
    users: Array.from({ length: count }, (_, i) => ({
      extension: String(2000 + i),
      name: `User ${i}`,
      profile: i % 2 === 0 ? 'business' : 'base',
      devices: [{ username: `user-${i}`, password: `password-${i}`, kind: 'deskphone' }],
    })),
    huntGroups: [
      {
        extension: '600',
        name: 'Everyone',
        policy: 'uniform',
        members: Array.from({ length: count }, (_, i) => String(2000 + i)),
      },
    ],
  };
}
