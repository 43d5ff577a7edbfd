import { Readable } from 'node:stream';
import type { CliIo } from './cli-io';
import type { PbxDocument } from './manifest/pbx-document';
import { PbxCliError, PbxCliErrorCode } from './pbx-cli.error';
import type { ApplyOutcome, PlatformClient } from './platform/platform-client';
import { run } from './run';

const ACME_YAML = `apiVersion: pbx/v1
kind: Group
metadata:
  name: acme
spec:
  domain: acme.example
  users:
    - extension: "201"
      name: Alice Jansen
      profile: gold
`;

const acme: PbxDocument = {
  apiVersion: 'pbx/v1',
  kind: 'Group',
  metadata: { name: 'acme' },
  spec: { domain: 'acme.example' },
};

/** A platform that records what it is asked and answers as the test sets it up. */
class FakePlatform implements PlatformClient {
  readonly calls: string[] = [];
  applyOutcome: ApplyOutcome = {
    kind: 'applied',
    response: {
      dryRun: false,
      changed: true,
      results: [{ kind: 'Group', name: 'acme', action: 'created', changes: [] }],
    },
  };
  readonly stored = new Map<string, PbxDocument>([['group/acme', acme]]);
  failWith: PbxCliError | undefined;

  async apply(documents: readonly PbxDocument[], dryRun: boolean): Promise<ApplyOutcome> {
    this.calls.push(`apply ${documents.map((d) => d.metadata.name).join(',')} dryRun=${dryRun}`);
    if (this.failWith) throw this.failWith;
    return this.applyOutcome;
  }

  async get(kind: string, name: string): Promise<PbxDocument> {
    this.calls.push(`get ${kind}/${name}`);
    const document = this.stored.get(`${kind}/${name}`);
    if (!document) throw new PbxCliError(PbxCliErrorCode.NotFound, `${kind}/${name} not found`);
    return document;
  }

  async list(kind: string): Promise<PbxDocument[]> {
    this.calls.push(`list ${kind}`);
    return [...this.stored.values()];
  }

  async delete(kind: string, name: string): Promise<void> {
    this.calls.push(`delete ${kind}/${name}`);
    if (!this.stored.delete(`${kind}/${name}`)) {
      throw new PbxCliError(PbxCliErrorCode.NotFound, `${kind}/${name} not found`);
    }
  }
}

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function pbx(argv: string[], platform: FakePlatform, stdin = ''): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    cwd: '/nonexistent',
  };
  const code = await run(argv, io, { connect: () => platform });
  return { code, stdout, stderr };
}

describe(run.name, () => {
  let platform: FakePlatform;
  beforeEach(() => {
    platform = new FakePlatform();
  });

  describe('help and usage', () => {
    it('prints the commands on --help and exits 0', async () => {
      const result = await pbx(['--help'], platform);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/usage: pbx <command>/);
      expect(result.stdout).toMatch(/apply .*\n.*get .*\n.*delete /);
    });

    it.each([
      ['apply', '--help'],
      ['help', 'apply'],
      ['apply', '-f', 'x.yaml', '-h'],
    ])('prints a command help for %j', async (...argv) => {
      const result = await pbx(argv, platform);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^pbx apply: /);
      expect(result.stdout).toContain('-f, --filename <file|->');
    });

    it('prints the usage to stderr and exits 2 without a command', async () => {
      const result = await pbx([], platform);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(/usage: pbx <command>/);
    });

    it.each([
      [['frobnicate'], 'error: unknown command "frobnicate"; the commands are apply, get, delete'],
      [['apply'], 'error: pbx apply needs a file: -f <file|->'],
      [['apply', '-f', '-', 'extra'], 'error: unexpected argument "extra"'],
      [['apply', '--force'], 'error: unknown option "--force"'],
      [['get'], 'error: pbx get needs a kind, such as: pbx get group acme'],
      [['get', 'group', 'Acme'], 'error: "Acme" is not a resource name'],
      [['get', 'group', 'acme', 'more'], 'error: unexpected argument "more"'],
      [['get', 'group', '-o', 'xml'], 'error: option -o/--output must be one of yaml, json, name'],
      [['delete', 'group'], 'error: pbx delete needs a name: pbx delete group <name>'],
      [
        ['delete', 'group', 'acme', '-f', 'a.yaml'],
        'error: give either -f <file> or <kind> <name>',
      ],
    ])('refuses %j with exit 2', async (argv, message) => {
      const result = await pbx(argv, platform);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(platform.calls).toEqual([]);
    });

    it('shows the command usage under a usage error', async () => {
      const { stderr } = await pbx(['apply'], platform);
      expect(stderr).toContain('usage: pbx apply -f <file|-> [--dry-run] [-o text|json]');
      expect(stderr).toContain('Run "pbx apply --help" for more.');
    });
  });

  describe('apply', () => {
    it('sends the documents and reports kubectl style', async () => {
      const result = await pbx(['apply', '-f', '-'], platform, ACME_YAML);
      expect(result).toEqual({ code: 0, stdout: 'group/acme created\n', stderr: '' });
      expect(platform.calls).toEqual(['apply acme dryRun=false']);
    });

    it('asks for a dry run and prints the changes', async () => {
      platform.applyOutcome = {
        kind: 'applied',
        response: {
          dryRun: true,
          changed: true,
          results: [
            {
              kind: 'Group',
              name: 'acme',
              action: 'updated',
              changes: [
                { op: 'add', path: 'spec.users[extension=204]', summary: 'user 204 added' },
              ],
            },
          ],
        },
      };
      const result = await pbx(['apply', '-f', '-', '--dry-run'], platform, ACME_YAML);
      expect(result.stdout).toBe(
        'group/acme: would be updated\n  + spec.users[extension=204]: user 204 added\n' +
          '(dry run: nothing was changed)\n',
      );
      expect(platform.calls).toEqual(['apply acme dryRun=true']);
    });

    it('prints the platform answer with -o json', async () => {
      const result = await pbx(['apply', '-f', '-', '-o', 'json'], platform, ACME_YAML);
      expect(JSON.parse(result.stdout)).toEqual(
        (platform.applyOutcome as { response: unknown }).response,
      );
    });

    it('maps the problems of a refused file to their lines and exits 1', async () => {
      platform.applyOutcome = {
        kind: 'invalid',
        message: 'the documents are invalid',
        problems: [
          { document: 0, path: 'spec.users[0].profile', message: 'unknown profile "gold"' },
          { document: 0, path: 'spec.domain', message: 'domain taken' },
        ],
      };
      const result = await pbx(['apply', '-f', '-'], platform, ACME_YAML);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        '<stdin>:6: spec.domain: domain taken\n' +
          '<stdin>:10: spec.users[0].profile: unknown profile "gold"\n' +
          'error: <stdin> was refused by the platform (2 problems); nothing was changed\n',
      );
    });

    it('shows the message of a refusal without problems', async () => {
      platform.applyOutcome = { kind: 'invalid', message: 'too many users', problems: [] };
      const result = await pbx(['apply', '-f', '-'], platform, ACME_YAML);
      expect(result.stderr).toContain('<stdin>: too many users\n');
      expect(result.code).toBe(1);
    });

    it('refuses a bad file before reaching the platform', async () => {
      const result = await pbx(['apply', '-f', '-'], platform, 'apiVersion: v1\n');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('<stdin>:1: apiVersion: unsupported "v1"; expected pbx/v1');
      expect(platform.calls).toEqual([]);
    });

    it.each([
      [PbxCliErrorCode.Unreachable, 3],
      [PbxCliErrorCode.Unauthorized, 3],
      [PbxCliErrorCode.PlatformFailure, 3],
      [PbxCliErrorCode.Refused, 1],
    ])('exits with the status of a %s error', async (code, status) => {
      platform.failWith = new PbxCliError(code, 'it went wrong');
      const result = await pbx(['apply', '-f', '-'], platform, ACME_YAML);
      expect(result).toMatchObject({ code: status, stderr: 'error: it went wrong\n' });
    });
  });

  describe('get', () => {
    it('shows a table by default', async () => {
      const result = await pbx(['get', 'group'], platform);
      expect(result.stdout).toBe('KIND    NAME\ngroup   acme\n');
      expect(platform.calls).toEqual(['list group']);
    });

    it('accepts the kind in any case and kind/name', async () => {
      expect((await pbx(['get', 'Group/acme', '-o', 'name'], platform)).stdout).toBe(
        'group/acme\n',
      );
      expect(platform.calls).toEqual(['get group/acme']);
    });

    it('prints YAML and JSON', async () => {
      expect((await pbx(['get', 'group', 'acme', '-o', 'yaml'], platform)).stdout).toBe(
        'apiVersion: pbx/v1\nkind: Group\nmetadata:\n  name: acme\nspec:\n  domain: acme.example\n',
      );
      expect(
        JSON.parse((await pbx(['get', 'group', 'acme', '-o', 'json'], platform)).stdout),
      ).toEqual(acme);
    });

    it('says when there is nothing to list', async () => {
      platform.stored.clear();
      const result = await pbx(['get', 'group'], platform);
      expect(result).toEqual({ code: 0, stdout: '', stderr: 'no group resources found\n' });
    });

    it('exits 1 for a resource that does not exist', async () => {
      const result = await pbx(['get', 'group', 'nope'], platform);
      expect(result).toMatchObject({ code: 1, stderr: 'error: group/nope not found\n' });
    });
  });

  describe('delete', () => {
    it('deletes a named resource', async () => {
      const result = await pbx(['delete', 'group', 'acme'], platform);
      expect(result).toEqual({ code: 0, stdout: 'group/acme deleted\n', stderr: '' });
    });

    it('deletes the documents of a file, last first, going on past a missing one', async () => {
      const file = `${ACME_YAML}---\n${ACME_YAML.replace('name: acme', 'name: beta')}`;
      const result = await pbx(['delete', '-f', '-'], platform, file);
      expect(platform.calls).toEqual(['delete group/beta', 'delete group/acme']);
      expect(result).toEqual({
        code: 1,
        stdout: 'group/acme deleted\n',
        stderr: 'error: group/beta not found\n',
      });
    });

    it('ignores a missing resource when asked to', async () => {
      const result = await pbx(['delete', 'group', 'nope', '--ignore-not-found'], platform);
      expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    });
  });
});
