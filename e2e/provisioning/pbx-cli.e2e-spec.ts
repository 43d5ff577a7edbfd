import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startPlatformProcess, type PlatformProcess } from '@pbx/testing';

const ROOT = join(__dirname, '..', '..');
const PBX = join(ROOT, 'dist', 'services', 'standalone', 'src', 'cli', 'pbx', 'main.js');
const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A newcomer's first minutes: `npm start` on the embedded database, then `pbx` with no flags and
 * no token, finding the platform and the operator credential in the data folder.
 */
describe('pbx against the standalone platform', () => {
  let dataDir: string;
  let platform: PlatformProcess;
  let env: NodeJS.ProcessEnv;

  const pbx = async (args: string[], input?: string): Promise<Result> => {
    if (input === undefined) {
      try {
        const { stdout, stderr } = await run(process.execPath, [PBX, ...args], { env, cwd: ROOT });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    }
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [PBX, ...args], { env, cwd: ROOT });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(input);
    });
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pbx-cli-'));
    platform = await startPlatformProcess('standalone', {
      PBX_DATA_DIR: dataDir,
      DATABASE_URL: undefined,
    });
    await platform.waitForReady(90_000);
    const port = new URL(platform.url).port;
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PBX_DATA_DIR: dataDir,
      PBX_HTTP_PORT: port,
    };
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies examples/acme.yaml, then reports no change, and get | apply changes nothing', async () => {
    const first = await pbx(['apply', '-f', 'examples/acme.yaml']);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('group/acme created') });
    const second = await pbx(['apply', '-f', 'examples/acme.yaml']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('group/acme unchanged');
    expect(second.stdout).toContain('no changes');

    const got = await pbx(['get', 'group', 'acme', '-o', 'yaml']);
    expect(got.code).toBe(0);
    expect(got.stdout).toContain('kind: Group');
    expect(got.stdout).not.toContain('s3cret');
    const roundTrip = await pbx(['apply', '-f', '-'], got.stdout);
    expect(roundTrip).toMatchObject({ code: 0, stdout: expect.stringContaining('no changes') });
  });

  it('refuses a bad file as a whole, naming each problem by line, and changes nothing', async () => {
    const file = join(dataDir, 'bad.yaml');
    const yaml = (await pbx(['get', 'group', 'acme', '-o', 'yaml'])).stdout
      .replace('name: Carol Smit', 'name: Carol Smit-de Boer')
      .replace('profile: base', 'profile: gold');
    writeFileSync(file, yaml);
    const line = yaml.split('\n').findIndex((l) => l.includes('profile: gold')) + 1;
    const refused = await pbx(['apply', '-f', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `bad.yaml:${line}: spec.users[2].profile: unknown profile "gold"`,
    );
    expect(refused.stderr).toContain('nothing was changed');
    expect((await pbx(['get', 'group', 'acme', '-o', 'yaml'])).stdout).toContain(
      'name: Carol Smit\n',
    );
  });

  it('refuses oversized and non-UTF-8 files before sending anything', async () => {
    const big = join(dataDir, 'big.yaml');
    writeFileSync(big, Buffer.alloc(11 * 1024 * 1024, 0x20));
    const tooBig = await pbx(['apply', '-f', big]);
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toMatch(/big\.yaml: .*over the 10 MiB limit/);

    const latin1 = join(dataDir, 'latin1.yaml');
    writeFileSync(
      latin1,
      Buffer.concat([
        Buffer.from('apiVersion: pbx/v1\nkind: Group\nmetadata:\n  name: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n'),
      ]),
    );
    const notUtf8 = await pbx(['apply', '-f', latin1]);
    expect(notUtf8.code).toBe(1);
    expect(notUtf8.stderr).toContain('latin1.yaml: not valid UTF-8 at line 4');
  });

  it('deletes, and says so', async () => {
    const file = join(dataDir, 'hooli.yaml');
    const yaml = readFileSync(join(ROOT, 'examples', 'acme.yaml'), 'utf8')
      .replace('name: acme', 'name: hooli')
      .replaceAll('acme.example', 'hooli.example')
      .replace(/\+312012345/g, '+314012345');
    writeFileSync(file, yaml);
    const applied = await pbx(['apply', '-f', file]);
    expect(applied).toMatchObject({ code: 0 });
    expect(await pbx(['delete', 'group', 'hooli'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('group/hooli deleted'),
    });
    expect((await pbx(['get', 'group', 'hooli'])).code).toBe(1);
  });
});
