// Two tiers (CONVENTIONS.md, "Tests"): unit specs run anywhere with no I/O; integration specs need
// the machine's PostgreSQL, Redis and Kafka-protocol broker (started by scripts/test-services.sh).
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;
const transform = { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] };
const common = {
  rootDir: __dirname,
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  // Global (Jest ignores it per project); unit specs finish in milliseconds anyway.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,services,tools}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{libs,services,tools}/**/*.int-spec.ts',
        '<rootDir>/e2e/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.js',
      slowTestThreshold: 20,
    },
  ],
};
