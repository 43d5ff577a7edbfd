import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, sep } from 'node:path';

// From the sources (Jest) three levels up is the repository; from a build it is dist/ itself.
const UP = join(__dirname, '..', '..', '..');
const ROOT = UP.endsWith(`${sep}dist`) ? join(UP, '..') : UP;
// PBX_TEST_BUILD_DIR: a build made elsewhere (its folder needs node_modules next to it).
const BUILD = process.env.PBX_TEST_BUILD_DIR ?? join(ROOT, 'dist');

export type PlatformEntry =
  'standalone' | 'provisioning' | 'events-gateway' | 'numbers' | 'telephony';

/** The built entry point of each process kind (the telephony node lives with the standalone). */
const ENTRY_MAINS: Readonly<Record<PlatformEntry, readonly string[]>> = {
  standalone: ['services', 'standalone', 'src', 'main.js'],
  provisioning: ['services', 'provisioning', 'src', 'main.js'],
  'events-gateway': ['services', 'events-gateway', 'src', 'main.js'],
  numbers: ['services', 'numbers', 'src', 'main.js'],
  telephony: ['services', 'standalone', 'src', 'telephony-main.js'],
};

export interface PlatformProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** JSON log lines parsed (non-JSON lines skipped). */
  logs(): Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForReady(timeoutMs?: number): Promise<void>;
  get(path: string, token?: string): Promise<{ status: number; body: unknown }>;
  post(path: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }>;
  /** SIGTERM and wait for exit (bounded); SIGKILL if it does not go. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  // The OS may hand the same ephemeral port out twice in a row once it is closed again: two
  // ports asked for one process (its SIP and HTTP ports) then collided (EADDRINUSE, seen in CI).
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await anyFreePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      if (handedOut.size > 4096) handedOut.delete(handedOut.values().next().value as number);
      return port;
    }
  }
  return anyFreePort();
}

/** Ports freePort gave this process, oldest first. */
const handedOut = new Set<number>();

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a built entry point (`npm run build` first) as its own process, as production does. */
export async function startPlatformProcess(
  entry: PlatformEntry,
  env: Record<string, string | undefined>,
): Promise<PlatformProcess> {
  const main = join(BUILD, ...ENTRY_MAINS[entry]);
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  // A non-numeric PBX_HTTP_PORT is passed through as is: configuration tests need bad values.
  const given = env.PBX_HTTP_PORT;
  const port = given === undefined ? await freePort() : /^\d+$/.test(given) ? Number(given) : given;
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    LOG_LEVEL: 'info',
  };
  // Every platform process listens for SIP: a free port unless the test chose one, so that
  // processes started side by side never fight over 5060.
  const sipPort = env.PBX_SIP_PORT ?? String(await freePort());
  for (const [key, value] of Object.entries({
    ...env,
    PBX_HTTP_PORT: String(port),
    PBX_SIP_PORT: sipPort,
  })) {
    if (value !== undefined) childEnv[key] = value;
  }
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const url = `http://127.0.0.1:${port}`;

  const request = async (
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  };

  return {
    child,
    url,
    output: () => output,
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
    async waitForReady(timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (hasExited)
          throw new Error(`${entry} exited before it was ready:\n${output.slice(-3000)}`);
        try {
          const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
          if (response.status === 200) return;
        } catch {
          // Not listening yet.
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${entry} not ready after ${timeoutMs} ms:\n${output.slice(-3000)}`);
    },
    get: (path, token) => request('GET', path, undefined, token),
    post: (path, body, token) => request('POST', path, body, token),
    async stop(timeoutMs = 20_000) {
      if (!hasExited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Polls `check` until it returns a value (not undefined), bounded in time. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
  );
}
