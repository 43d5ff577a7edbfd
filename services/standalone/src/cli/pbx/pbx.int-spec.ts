import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Environment } from '@pbx/config';
import type { CliIo } from './cli-io';
import { run } from './run';

// `pbx` against a fake of the operator API on 127.0.0.1, run in-process through `run` with its
// own environment, files and stdin.

const TOKEN = 'pbx_op_test-token';
const PROFILES = ['base', 'business', 'premium', 'fixed-mobile-business', 'fixed-mobile-premium'];
const ACME_TEXT = readFileSync(join(__dirname, '../../../../../examples/acme.yaml'), 'utf8');

type Json = Record<string, unknown>;
type Users = { extension: string; name: string; profile: string; devices?: Json[] }[];

interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/** The operator API's resource endpoints as the contract describes them, kept in memory. */
class FakePlatform {
  readonly requests: RecordedRequest[] = [];
  readonly stored = new Map<string, Json>();
  /** Answers every request instead of the contract, when set. */
  override: ((response: ServerResponse) => void) | undefined;
  private server: Server | undefined;

  async start(): Promise<number> {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += chunk;
    const body = text === '' ? undefined : JSON.parse(text);
    const url = request.url ?? '';
    this.requests.push({
      method: request.method ?? '',
      url,
      authorization: request.headers.authorization,
      body,
    });
    if (this.override) return this.override(response);
    const send = (status: number, value: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      return send(401, { error: { code: 'UNAUTHENTICATED', message: 'bad token' } });
    }
    const apply = /^\/api\/v1\/apply\?dryRun=(true|false)$/.exec(url);
    if (request.method === 'POST' && apply) {
      return this.apply(body as { documents: Json[] }, apply[1] === 'true', send);
    }
    const resource = /^\/api\/v1\/resources\/([a-z]+)(?:\/([a-z0-9-]+))?$/.exec(url);
    if (!resource) return send(404, { error: { code: 'NOT_FOUND', message: 'no route' } });
    const [, kind, name] = resource;
    const key = `${kind}/${name}`;
    if (request.method === 'GET' && name === undefined) {
      const items = [...this.stored.entries()]
        .filter(([k]) => k.startsWith(`${kind}/`))
        .map(([, document]) => withoutPasswords(document));
      return send(200, { items });
    }
    const found = this.stored.get(key);
    if (!found) return send(404, { error: { code: 'NOT_FOUND', message: `${key} not found` } });
    if (request.method === 'GET') return send(200, withoutPasswords(found));
    if (request.method === 'DELETE') {
      this.stored.delete(key);
      return send(200, { kind: found.kind, name, action: 'deleted' });
    }
    send(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'no' } });
  }

  private apply(
    { documents }: { documents: Json[] },
    dryRun: boolean,
    send: (status: number, value: unknown) => void,
  ): void {
    const problems = documents.flatMap((document, index) =>
      (((document.spec as Json).users ?? []) as Users).flatMap((user, position) =>
        PROFILES.includes(user.profile)
          ? []
          : [
              {
                document: index,
                path: `spec.users[${position}].profile`,
                message: `unknown profile "${user.profile}"; expected one of ${PROFILES.join(', ')}`,
              },
            ],
      ),
    );
    if (problems.length > 0) {
      return send(422, {
        error: { code: 'INVALID_DOCUMENT', message: 'invalid documents', problems },
      });
    }
    const results = documents.map((document) => {
      const key = `${String(document.kind).toLowerCase()}/${(document.metadata as Json).name}`;
      const before = this.stored.get(key);
      const after = keepPasswords(document, before);
      const action =
        before === undefined
          ? 'created'
          : canonical(before) === canonical(after)
            ? 'unchanged'
            : 'updated';
      if (!dryRun) this.stored.set(key, after);
      return {
        kind: document.kind,
        name: (document.metadata as Json).name,
        action,
        changes: userChanges(before, after),
      };
    });
    send(200, { dryRun, changed: results.some((r) => r.action !== 'unchanged'), results });
  }
}

/** JSON with sorted keys: the platform compares content, not key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

function usersOf(document: Json | undefined): Users {
  return ((document?.spec as Json | undefined)?.users ?? []) as Users;
}

function userChanges(before: Json | undefined, after: Json): Json[] {
  const old = new Map(usersOf(before).map((user) => [user.extension, user]));
  const now = new Map(usersOf(after).map((user) => [user.extension, user]));
  return [
    ...[...now.values()]
      .filter((user) => !old.has(user.extension))
      .map((user) => ({
        op: 'add',
        path: `spec.users[extension=${user.extension}]`,
        summary: `user ${user.extension} (${user.name}) added`,
      })),
    ...[...old.values()]
      .filter((user) => !now.has(user.extension))
      .map((user) => ({
        op: 'remove',
        path: `spec.users[extension=${user.extension}]`,
        summary: `user ${user.extension} (${user.name}) removed`,
      })),
  ];
}

function mapDevices(document: Json, map: (device: Json) => Json): Json {
  const copy = structuredClone(document);
  for (const user of usersOf(copy)) user.devices = user.devices?.map(map);
  return copy;
}

function withoutPasswords(document: Json): Json {
  return mapDevices(document, ({ password: _password, ...device }) => device);
}

/** A device without a password keeps the credential it has. */
function keepPasswords(document: Json, before: Json | undefined): Json {
  const passwords = new Map(
    usersOf(before).flatMap((user) =>
      (user.devices ?? []).map((device) => [device.username, device.password]),
    ),
  );
  return mapDevices(document, (device) =>
    device.password === undefined && passwords.has(device.username)
      ? { ...device, password: passwords.get(device.username) }
      : device,
  );
}

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('pbx against the operator API', () => {
  const platform = new FakePlatform();
  let port: number;
  let dir: string;
  let env: Environment;

  async function pbx(
    argv: string[],
    options: { stdin?: string | Buffer; env?: Environment } = {},
  ): Promise<RunResult> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: options.env ?? env,
      cwd: dir,
    };
    const code = await run(argv, io);
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    port = await platform.start();
  });

  afterAll(async () => {
    await platform.stop();
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pbx-cli-'));
    writeFileSync(join(dir, 'acme.yaml'), ACME_TEXT);
    env = { PBX_API_URL: `http://127.0.0.1:${port}/`, PBX_OPERATOR_TOKEN: TOKEN };
    platform.requests.length = 0;
    platform.stored.clear();
    platform.override = undefined;
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('apply', () => {
    it('creates the example, then finds nothing to change', async () => {
      expect(await pbx(['apply', '-f', 'acme.yaml'])).toEqual({
        code: 0,
        stdout: 'group/acme created\n',
        stderr: '',
      });
      expect(platform.requests).toHaveLength(1);
      expect(platform.requests[0]).toMatchObject({
        method: 'POST',
        url: '/api/v1/apply?dryRun=false',
        authorization: `Bearer ${TOKEN}`,
      });
      const sent = (platform.requests[0].body as { documents: Json[] }).documents;
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        apiVersion: 'pbx/v1',
        kind: 'Group',
        metadata: { name: 'acme' },
      });
      expect(usersOf(sent[0]).map((user) => user.extension)).toEqual(['201', '202', '203']);

      expect(await pbx(['apply', '-f', 'acme.yaml'])).toEqual({
        code: 0,
        stdout: 'group/acme unchanged\nno changes\n',
        stderr: '',
      });
    });

    it('shows what a dry run would change, and changes nothing', async () => {
      await pbx(['apply', '-f', 'acme.yaml']);
      const withDan = ACME_TEXT.replace(
        '  huntGroups:',
        '    - extension: "204"\n      name: Dan Visser\n      profile: base\n  huntGroups:',
      );
      writeFileSync(join(dir, 'acme.yaml'), withDan);
      const result = await pbx(['apply', '-f', 'acme.yaml', '--dry-run']);
      expect(result).toEqual({
        code: 0,
        stdout:
          'group/acme: would be updated\n' +
          '  + spec.users[extension=204]: user 204 (Dan Visser) added\n' +
          '(dry run: nothing was changed)\n',
        stderr: '',
      });
      expect(platform.requests[1].url).toBe('/api/v1/apply?dryRun=true');
      expect(usersOf(platform.stored.get('group/acme'))).toHaveLength(3);
    });

    it('reads the file from stdin', async () => {
      const result = await pbx(['apply', '-f', '-'], { stdin: ACME_TEXT });
      expect(result.stdout).toBe('group/acme created\n');
      expect(platform.stored.has('group/acme')).toBe(true);
    });

    it('names the line of each problem the platform finds, and nothing is changed', async () => {
      const text = `# Acme's PBX, managed as code\n${ACME_TEXT.replace('profile: base', 'profile: gold')}`;
      expect(text.split('\n')[26]).toBe('      profile: gold');
      writeFileSync(join(dir, 'company.yaml'), text);
      const result = await pbx(['apply', '-f', 'company.yaml']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        'company.yaml:27: spec.users[2].profile: unknown profile "gold"; expected one of base, ' +
          'business, premium, fixed-mobile-business, fixed-mobile-premium\n' +
          'error: company.yaml was refused by the platform (1 problem); nothing was changed\n',
      );
      expect(platform.stored.size).toBe(0);
    });

    it('refuses a file that is not UTF-8 without asking the platform', async () => {
      const bytes = Buffer.from(ACME_TEXT.replace('name: acme', 'name: acmé'), 'latin1');
      writeFileSync(join(dir, 'company.yaml'), bytes);
      const result = await pbx(['apply', '-f', 'company.yaml']);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'error: company.yaml: not valid UTF-8 at line 4, byte offset ' +
          `${bytes.indexOf(0xe9)}\n`,
      });
      expect(platform.requests).toEqual([]);
    });

    it('refuses an oversized file without reading it or asking the platform', async () => {
      const file = join(dir, 'company.yaml');
      writeFileSync(file, ACME_TEXT);
      truncateSync(file, Math.round(12.3 * 1024 * 1024));
      const result = await pbx(['apply', '-f', 'company.yaml']);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: company.yaml: 12.3 MiB is over the 10 MiB limit\n',
      });
      expect(platform.requests).toEqual([]);
    });

    it('refuses oversized input on stdin', async () => {
      const result = await pbx(['apply', '-f', '-'], {
        stdin: Buffer.alloc(11 * 1024 * 1024, 0x20),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('error: <stdin>: over the 10 MiB limit\n');
      expect(platform.requests).toEqual([]);
    });

    it('refuses a file that does not exist', async () => {
      const result = await pbx(['apply', '-f', 'missing.yaml']);
      expect(result).toMatchObject({ code: 1, stderr: 'error: missing.yaml: no such file\n' });
    });
  });

  describe('get', () => {
    it('prints YAML that applies back as exactly the same document', async () => {
      await pbx(['apply', '-f', 'acme.yaml']);
      const got = await pbx(['get', 'group', 'acme', '-o', 'yaml']);
      expect(got.code).toBe(0);
      expect(got.stdout).not.toContain('password');
      const served = withoutPasswords(platform.stored.get('group/acme') as Json);

      const applied = await pbx(['apply', '-f', '-'], { stdin: got.stdout });
      expect(applied.stdout).toBe('group/acme unchanged\nno changes\n');
      const sentBack = (platform.requests.at(-1)?.body as { documents: Json[] }).documents;
      expect(JSON.stringify(sentBack)).toBe(JSON.stringify([served]));
    });

    it('lists every resource of a kind as documents separated by ---, which apply takes back', async () => {
      await pbx(['apply', '-f', 'acme.yaml']);
      writeFileSync(join(dir, 'beta.yaml'), ACME_TEXT.replace('name: acme', 'name: beta'));
      await pbx(['apply', '-f', 'beta.yaml']);

      expect((await pbx(['get', 'group'])).stdout).toBe(
        'KIND    NAME\ngroup   acme\ngroup   beta\n',
      );
      const yaml = (await pbx(['get', 'group', '-o', 'yaml'])).stdout;
      expect(yaml.match(/^---$/gm)).toHaveLength(1);
      expect((await pbx(['apply', '-f', '-'], { stdin: yaml })).stdout).toBe(
        'group/acme unchanged\ngroup/beta unchanged\nno changes\n',
      );
    });

    it('exits 1 when the resource does not exist', async () => {
      expect(await pbx(['get', 'group', 'nope'])).toMatchObject({
        code: 1,
        stderr: 'error: group/nope not found\n',
      });
    });
  });

  describe('delete', () => {
    it('deletes by name', async () => {
      await pbx(['apply', '-f', 'acme.yaml']);
      expect(await pbx(['delete', 'group', 'acme'])).toEqual({
        code: 0,
        stdout: 'group/acme deleted\n',
        stderr: '',
      });
      expect(platform.requests.at(-1)).toMatchObject({
        method: 'DELETE',
        url: '/api/v1/resources/group/acme',
      });
      expect(platform.stored.size).toBe(0);
    });

    it('deletes what a file describes', async () => {
      await pbx(['apply', '-f', 'acme.yaml']);
      expect((await pbx(['delete', '-f', 'acme.yaml'])).stdout).toBe('group/acme deleted\n');
      expect(await pbx(['delete', '-f', 'acme.yaml'])).toMatchObject({
        code: 1,
        stderr: 'error: group/acme not found\n',
      });
    });
  });

  describe('finding the platform', () => {
    it('uses the local platform and the token in its data folder without any setting', async () => {
      writeFileSync(join(dir, 'operator-token'), `${TOKEN}\n`, { mode: 0o600 });
      const result = await pbx(['apply', '-f', 'acme.yaml'], {
        env: { PBX_HTTP_PORT: String(port), PBX_DATA_DIR: '.' },
      });
      expect(result.stdout).toBe('group/acme created\n');
      expect(platform.requests[0].authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('says how to get a credential when there is none, and exits 3', async () => {
      const result = await pbx(['get', 'group'], {
        env: { PBX_HTTP_PORT: String(port), PBX_DATA_DIR: 'data' },
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toBe(
        'error: no operator credential: set PBX_OPERATOR_TOKEN, or start the standalone platform ' +
          `once (npm start) so that it writes ${join(dir, 'data', 'operator-token')}\n`,
      );
      expect(platform.requests).toEqual([]);
    });

    it('checks the file before looking for the platform', async () => {
      writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: pbx/v1\nkind: Group\n');
      const result = await pbx(['apply', '-f', 'bad.yaml'], { env: {} });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('bad.yaml:1: metadata: required');
    });

    it('exits 3 with a clear message when nothing listens', async () => {
      const closed = createServer();
      closed.listen(0, '127.0.0.1');
      await once(closed, 'listening');
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));

      const result = await pbx(['apply', '-f', 'acme.yaml'], {
        env: { PBX_API_URL: `http://127.0.0.1:${closedPort}`, PBX_OPERATOR_TOKEN: TOKEN },
      });
      expect(result).toEqual({
        code: 3,
        stdout: '',
        stderr: `error: cannot reach the platform at http://127.0.0.1:${closedPort}: connect ECONNREFUSED 127.0.0.1:${closedPort}\n`,
      });
    });

    it('names where the refused credential came from, and exits 3', async () => {
      const result = await pbx(['get', 'group'], {
        env: { PBX_API_URL: `http://127.0.0.1:${port}`, PBX_OPERATOR_TOKEN: 'wrong' },
      });
      expect(result).toMatchObject({
        code: 3,
        stderr:
          'error: the platform refused the operator credential from PBX_OPERATOR_TOKEN: ' +
          'bad token (UNAUTHENTICATED)\n',
      });
      expect(result.stderr).not.toContain('wrong');
    });

    it('exits 3 on a bad PBX_API_URL', async () => {
      const result = await pbx(['get', 'group'], { env: { PBX_API_URL: 'localhost:8080' } });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('configuration error: PBX_API_URL must be');
    });

    it('exits 3 when the platform answers outside the contract', async () => {
      platform.override = (response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html>proxy login</html>');
      };
      const result = await pbx(['apply', '-f', 'acme.yaml']);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/answered HTTP 200 without the documented answer/);
    });

    it('exits 3 when the platform is not ready', async () => {
      platform.override = (response) => {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'NOT_READY', message: 'database down' } }));
      };
      const result = await pbx(['get', 'group', 'acme']);
      expect(result).toMatchObject({
        code: 3,
        stderr:
          'error: the platform is not ready to get group/acme; try again shortly: database down (NOT_READY)\n',
      });
    });
  });
});
