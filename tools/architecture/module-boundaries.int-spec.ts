import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The architecture's boundaries are lint rules; these cases prove they forbid something, by
 * linting code that breaks them as if it lived at the given path.
 */
describe('module boundaries', () => {
  beforeAll(() => {
    // The Nx rule reads the cached project graph.
    execFileSync(join(ROOT, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
  });

  // ESLint runs as its own process: its flat config is an ES module, which Jest's VM cannot load.
  function problems(path: string, code: string): string[] {
    let out: string;
    try {
      out = execFileSync(
        join(ROOT, 'node_modules', '.bin', 'eslint'),
        ['--stdin', '--stdin-filename', join(ROOT, path), '--format', 'json'],
        { cwd: ROOT, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
      );
    } catch (error) {
      // Exit code 1 means "problems found"; the report is still on stdout.
      out = (error as { stdout: string }).stdout;
    }
    const [result] = JSON.parse(out) as { messages: { ruleId: string; message: string }[] }[];
    return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  }

  it('forbids a service importing another service', async () => {
    const found = problems(
      'services/provisioning/src/adapters/leak.ts',
      "import { eventsGatewayService } from '@pbx/events-gateway';\nexport const leak = eventsGatewayService;\n",
    );
    expect(found.some((p) => p.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('forbids a shared library importing a service', async () => {
    const found = problems(
      'libs/events/src/leak.ts',
      "import { provisioningService } from '@pbx/provisioning';\nexport const leak = provisioningService;\n",
    );
    expect(found.some((p) => p.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('forbids domain code importing a framework or doing I/O', async () => {
    const found = problems(
      'services/provisioning/src/domain/leak.ts',
      "import { Injectable } from '@nestjs/common';\nimport { readFileSync } from 'node:fs';\nimport { DataSource } from 'typeorm';\nexport const leak = [Injectable, readFileSync, DataSource];\n",
    );
    expect(
      found.filter((p) => p.startsWith('@typescript-eslint/no-restricted-imports')),
    ).toHaveLength(3);
  });

  it('lets domain code import types, and only types, from the events library', async () => {
    expect(
      problems(
        'services/provisioning/src/domain/ok.ts',
        "import type { Decider } from '@pbx/events';\nexport type D = Decider<1, 2, 3>;\n",
      ),
    ).toEqual([]);
  });

  it('forbids reading the environment outside libs/config', async () => {
    const found = problems(
      'services/provisioning/src/adapters/env.ts',
      'export const port = process.env.PBX_HTTP_PORT;\n',
    );
    expect(found.some((p) => p.includes('Read configuration through @pbx/config'))).toBe(true);
  });

  it('fails a committed .only', async () => {
    const found = problems(
      'libs/events/src/x.spec.ts',
      "it.only('runs alone', () => undefined);\n",
    );
    expect(found.some((p) => p.includes('.only'))).toBe(true);
  });

  it('forbids production code importing the test kit', async () => {
    const found = problems(
      'libs/platform/src/leak.ts',
      "import { eventually } from '@pbx/testing';\nexport const leak = eventually;\n",
    );
    expect(found.some((p) => p.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });
});
