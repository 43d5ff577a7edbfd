/**
 * Provisioning benchmark: a 1,000-user company file applied with the real `pbx` CLI, and the
 * API's user listing under concurrent load (autocannon), against the built standalone platform
 * running as its own process on a fresh PostgreSQL database (no Jest).
 *
 *   source scripts/test-services.sh        # exports DATABASE_URL
 *   npm run build && node dist/bench/provisioning.bench.js [options]
 *
 * Options:
 *   --users N            users in the generated company file (default 1000)
 *   --repeat N           runs of each repeatable apply: dry run, no change, 10 users changed
 *                        (default 3; the first apply, which creates the company, runs once)
 *   --seconds N          duration of each load run (default 10)
 *   --connections A,B    autocannon connection counts of the listing runs (default 10,50)
 *   --profile            sample the platform's CPU (an inspector preload, cut into one profile per
 *                        step by SIGUSR2) and the first CLI apply's (--cpu-prof); prints the
 *                        hotspots per step. Timings of a profiled run are inflated: use it to find
 *                        where time goes, not for the headline numbers
 *   --keep DIR           copy the generated company files and the .cpuprofile files into DIR
 *                        (open them in Chrome DevTools or speedscope)
 *   --json               print only the JSON result (one line) on stdout
 *
 * Steps, each timed end to end with the CLI as a user runs it (`node dist/.../pbx/main.js apply
 * -f company.yaml`: process start to exit) and, separately, as the HTTP call alone
 * (`POST /api/v1/apply` with the same documents as JSON, from this process):
 *   (d) `--dry-run` against the empty platform (validation and planning only)
 *   (a) the first apply, which creates the company (CLI: group `bench`; HTTP: a second company,
 *       `bench-http`, with its own domain and number block, since a company is created once)
 *   (b) the same file again: nothing changes
 *   (c) a file in which 10 users changed
 * then checks that the group lists every user, issues a group-admin token and loads
 * `GET /api/v1/groups/bench/users?limit=50` and `?limit=500` and `GET .../users/<ext>`.
 *
 * Generated files go to a temporary folder that is removed at the end. A fresh database is
 * created through DATABASE_URL and dropped at the end, the platform process is stopped, also on
 * an error, a timeout or SIGINT/SIGTERM. Progress goes to stderr; stdout carries the table and a
 * `BENCH_RESULT {...}` line. Exit codes: 0 done (goal met or not), 1 failure (a wrong apply
 * result, a missing user, an error or non-2xx answer under load), 2 usage, 130 interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import {
  availableParallelism,
  cpus,
  loadavg,
  platform as osPlatform,
  release,
  tmpdir,
} from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { LineCounter, parseAllDocuments, stringify } from 'yaml';
import {
  createTestDatabase,
  freePort,
  startPlatformProcess,
  type TestDatabase,
} from '@pbx/testing';
import {
  companyDocument,
  companyStats,
  withChangedUsers,
  type CompanyDocument,
  type CompanyStats,
} from './fixtures/company-file';

const GOAL_USERS = 1000;
const GOAL_APPLY_MS = 10_000;
/** Not a stated goal: the line above which the table calls the listing slow. */
const LISTING_SLOW_P99_MS = 100;
const CHANGED_USERS = 10;
const OPERATOR_TOKEN = `bench-operator-${Date.now().toString(36)}-0123456789abcdef0123456789`;
/** The platform's Fastify body limit (libs/platform/src/runtime/run-platform.ts). */
const BODY_LIMIT_BYTES = 1024 * 1024;
const READY_TIMEOUT_MS = 90_000;
const APPLY_TIMEOUT_MS = 180_000;
const SETTLE_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 15_000;
const SEQUENTIAL_SAMPLES = 20;

/** The built entry points next to this file (dist/bench → dist/services/...). */
const DIST = resolve(__dirname, '..');
const PLATFORM_MAIN = join(DIST, 'services', 'standalone', 'src', 'main.js');
const PBX_CLI = join(DIST, 'services', 'standalone', 'src', 'cli', 'pbx', 'main.js');

/**
 * Loaded into the platform with --profile (NODE_OPTIONS=--require=<this file>; Node 20 refuses
 * --cpu-prof in NODE_OPTIONS): samples the process's CPU with the inspector from start-up, and on
 * SIGUSR2 writes what it sampled since the previous signal as a .cpuprofile into
 * BENCH_PROFILE_DIR, so each step of the bench gets its own profile from one process.
 */
const PROFILER_PRELOAD = `'use strict';
const { Session } = require('node:inspector');
const { renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  // An in-process session answers synchronously.
  const post = (method, params) => {
    let answer;
    session.post(method, params || {}, (error, result) => {
      if (error) throw error;
      answer = result;
    });
    return answer;
  };
  post('Profiler.enable');
  post('Profiler.setSamplingInterval', { interval: 1000 });
  post('Profiler.start');
  let cut = 0;
  process.on('SIGUSR2', () => {
    const { profile } = post('Profiler.stop');
    post('Profiler.start');
    const file = join(dir, 'cut-' + process.pid + '-' + ++cut + '.cpuprofile');
    writeFileSync(file + '.part', JSON.stringify(profile));
    renameSync(file + '.part', file);
  });
}
`;

class UsageError extends Error {}
class BenchError extends Error {}

interface Options {
  readonly users: number;
  readonly repeat: number;
  readonly seconds: number;
  readonly connections: readonly number[];
  readonly profile: boolean;
  readonly keep: string | undefined;
  readonly json: boolean;
}

// ---------------------------------------------------------------------------------------------
// autocannon 8 has no type declarations: the part of its programmatic API used here.

interface Histogram {
  readonly average: number;
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
  readonly p2_5: number;
  readonly p50: number;
  readonly p97_5: number;
  readonly p99: number;
}

interface AutocannonResult {
  readonly requests: Histogram & { readonly total: number; readonly sent: number };
  readonly latency: Histogram;
  readonly throughput: Histogram;
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly mismatches: number;
  readonly statusCodeStats?: Record<string, { count: number }>;
}

interface AutocannonInstance {
  stop(): void;
}

type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    timeout: number;
    headers: Record<string, string>;
    title?: string;
  },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(__filename)('autocannon') as Autocannon;

// ---------------------------------------------------------------------------------------------
// Results

interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

interface CpuUse {
  /** CPU time of the platform process (user + system) over the step. */
  readonly platformCpuMs: number | null;
  /** CPU time of the PostgreSQL backends serving the bench database. */
  readonly postgresCpuMs: number | null;
  /** The whole machine from /proc/stat; 100 = every CPU busy. */
  readonly hostBusyPercent: number | null;
}

interface RunSample extends CpuUse {
  readonly wallMs: number;
}

interface ApplySide {
  readonly runs: number;
  readonly wallMs: LatencySummary;
  readonly samples: readonly RunSample[];
}

interface ApplyStepResult {
  readonly step: 'dry-run' | 'create' | 'unchanged' | 'change-10-users';
  readonly title: string;
  readonly cli: ApplySide;
  readonly http: ApplySide;
  readonly httpRequestBytes: number;
  readonly httpResponseBytes: number;
  /** Events the apply appended (the HTTP answer's change lines). */
  readonly changes: number;
  /** After the (last) CLI run: until the read models had applied every event. */
  readonly readModelsCaughtUpMs: number | null;
}

interface LoadRunResult {
  readonly name: string;
  readonly path: string;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p97_5: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  readonly responseBytesPerRequest: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
  /** Platform CPU per completed request: the server's cost of one answer. */
  readonly platformCpuMsPerRequest: number | null;
  readonly postgresCpuMsPerRequest: number | null;
  readonly cpu: CpuUse;
}

interface SequentialResult {
  readonly name: string;
  readonly path: string;
  readonly latencyMs: LatencySummary;
  readonly responseBytes: number;
}

interface Hotspot {
  readonly function: string;
  readonly file: string;
  readonly selfMs: number;
  readonly selfPercent: number;
  readonly totalMs: number;
  readonly totalPercent: number;
}

interface ProfileSummary {
  readonly segment: string;
  readonly process: 'platform' | 'cli';
  readonly sampledMs: number;
  readonly idlePercent: number;
  readonly gcPercent: number;
  readonly topSelf: readonly Hotspot[];
  /** Functions of the platform's own code (libs/, services/) by inclusive time. */
  readonly topOwnCode: readonly Hotspot[];
  readonly byPackage: readonly { readonly name: string; readonly selfPercent: number }[];
  readonly file: string;
}

interface Environment {
  readonly node: string;
  readonly platform: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly postgres: string;
  readonly platformEntry: string;
  readonly platformStartedBy: string;
  readonly cli: string;
}

interface BenchResult {
  readonly startedAt: string;
  readonly options: Options;
  readonly environment: Environment;
  readonly company: CompanyStats & {
    readonly yamlBytes: number;
    readonly jsonBytes: number;
    readonly bodyLimitPercent: number;
    readonly yamlLines: number;
  };
  readonly cliStartupMs: LatencySummary;
  readonly yamlParseMs: LatencySummary;
  readonly applies: readonly ApplyStepResult[];
  readonly listingVerified: { readonly users: number; readonly pages: number };
  readonly sequential: readonly SequentialResult[];
  readonly load: readonly LoadRunResult[];
  readonly goals: {
    readonly applyUsers: {
      readonly users: number;
      readonly targetMs: number;
      readonly cliMs: number;
      readonly httpMs: number;
      readonly met: boolean;
    };
    readonly listingP99Ms: {
      readonly indicativeThresholdMs: number;
      readonly measured: number;
      readonly slow: boolean;
    };
  };
  readonly profiles: readonly ProfileSummary[];
  readonly failures: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE =
  'usage: node dist/bench/provisioning.bench.js [--users N] [--repeat N] [--seconds N] ' +
  '[--connections A,B] [--profile] [--keep DIR] [--json]\n' +
  '  needs DATABASE_URL (source scripts/test-services.sh); see bench/provisioning.bench.ts';

function parseOptions(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (['--json', '--profile'].includes(flag)) {
      flags.add(flag);
    } else if (['--users', '--repeat', '--seconds', '--connections', '--keep'].includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      values.set(flag, value);
    } else {
      throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  const integer = (flag: string, fallback: number, min: number, max: number): number => {
    const raw = values.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${flag} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
  const seconds = Number(values.get('--seconds') ?? 10);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) {
    throw new UsageError('--seconds must be a number from 1 to 600');
  }
  const connections = (values.get('--connections') ?? '10,50').split(',').map(Number);
  if (
    connections.length === 0 ||
    !connections.every((c) => Number.isInteger(c) && c >= 1 && c <= 1000)
  ) {
    throw new UsageError('--connections must be a comma-separated list of integers 1-1000');
  }
  const keep = values.get('--keep');
  return {
    users: integer('--users', GOAL_USERS, 2, 3000),
    repeat: integer('--repeat', 3, 1, 20),
    seconds,
    connections,
    profile: flags.has('--profile'),
    keep: keep === undefined ? undefined : resolve(keep),
    json: flags.has('--json'),
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: NaN, p99: NaN, min: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return {
    count: sorted.length,
    p50: round(rank(50)),
    p99: round(rank(99)),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
  };
}

function median(values: readonly number[]): number | null {
  const present = values.filter((v) => Number.isFinite(v));
  if (present.length === 0) return null;
  const sorted = [...present].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchError(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new BenchError(message);
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): the platform process, the database's backends, the host

const CLOCK_TICKS_PER_SECOND = 100;

function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5), utime and stime, are 11 and 12 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function hostTicks(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const ticks = fields.slice(1, 9).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    return Number.isFinite(total) && total > 0
      ? { busy: total - ticks[3] - ticks[4], total }
      : null;
  } catch {
    return null;
  }
}

/** Measures CPU over a step: platform process, PostgreSQL backends of one database, host. */
class CpuMeter {
  constructor(
    private readonly platformPid: () => number | undefined,
    private readonly monitor: Client,
    private readonly databaseName: string,
  ) {}

  private async backendCpu(): Promise<Map<number, number>> {
    const rows = (
      await this.monitor.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [this.databaseName],
      )
    ).rows;
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (ms !== null) cpu.set(pid, ms);
    }
    return cpu;
  }

  async start(): Promise<() => Promise<CpuUse>> {
    const pid = this.platformPid();
    const platformBefore = processCpuMs(pid);
    const backendsBefore = await this.backendCpu().catch(() => null);
    const hostBefore = hostTicks();
    return async (): Promise<CpuUse> => {
      const platformAfter = processCpuMs(pid);
      const hostAfter = hostTicks();
      const backendsAfter = await this.backendCpu().catch(() => null);
      let postgresCpuMs: number | null = null;
      if (backendsBefore && backendsAfter) {
        postgresCpuMs = 0;
        // A backend that appeared during the step counts from zero (it was born in the step).
        for (const [backend, ms] of backendsAfter)
          postgresCpuMs += ms - (backendsBefore.get(backend) ?? 0);
      }
      return {
        platformCpuMs:
          platformBefore !== null && platformAfter !== null ? platformAfter - platformBefore : null,
        postgresCpuMs,
        hostBusyPercent:
          hostBefore && hostAfter && hostAfter.total > hostBefore.total
            ? round(
                ((hostAfter.busy - hostBefore.busy) / (hostAfter.total - hostBefore.total)) * 100,
              )
            : null,
      };
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The platform process

interface BenchPlatform {
  readonly url: string;
  readonly child: ChildProcess;
  readonly entry: string;
  readonly startedBy: string;
  output(): string;
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForReady(timeoutMs?: number): Promise<void>;
}

let fallbackNoted = false;

/**
 * `startPlatformProcess` from @pbx/testing, as the e2e tests start the platform. Compiled, that
 * helper resolves the repository root from its own folder (dist/libs/testing/src/../../..), which
 * is `dist/`, and looks for `dist/dist/services/...`, which does not exist: it only works from the
 * TypeScript sources under Jest. Then the same process is started here from the entry point of
 * this build (next to this file), with the same environment rules.
 */
async function startPlatform(env: Record<string, string | undefined>): Promise<BenchPlatform> {
  try {
    const started = await startPlatformProcess('standalone', env);
    return {
      ...started,
      child: started.child,
      url: started.url,
      entry: started.child.spawnargs[1] ?? 'unknown',
      startedBy: '@pbx/testing startPlatformProcess',
    };
  } catch (error) {
    if (!/is missing: run `npm run build` first/.test((error as Error).message)) throw error;
    if (!fallbackNoted) {
      progress(
        `@pbx/testing startPlatformProcess looks for a path that a build does not have ` +
          `(${(error as Error).message.split(' is missing')[0]}); starting ${PLATFORM_MAIN} instead`,
      );
      fallbackNoted = true;
    }
    return spawnPlatform(env);
  }
}

async function spawnPlatform(env: Record<string, string | undefined>): Promise<BenchPlatform> {
  check(existsSync(PLATFORM_MAIN), `${PLATFORM_MAIN} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    LOG_LEVEL: 'info',
  };
  for (const [key, value] of Object.entries({ ...env, PBX_HTTP_PORT: String(port) })) {
    if (value !== undefined) childEnv[key] = value;
  }
  const child = spawn(process.execPath, [PLATFORM_MAIN], {
    cwd: env.PBX_DATA_DIR ?? tmpdir(),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on(
    'data',
    (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000)),
  );
  child.stderr?.on(
    'data',
    (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000)),
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    child,
    entry: PLATFORM_MAIN,
    startedBy: 'bench (startPlatformProcess cannot find a built entry point)',
    output: () => output,
    async waitForReady(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (hasExited)
          throw new BenchError(`the platform exited before it was ready:\n${output.slice(-3000)}`);
        try {
          const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
          if (response.status === 200) return;
        } catch {
          // Not listening yet.
        }
        await sleep(200);
      }
      throw new BenchError(
        `the platform was not ready after ${timeoutMs} ms:\n${output.slice(-3000)}`,
      );
    },
    async stop(timeoutMs = 20_000) {
      if (!hasExited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP and CLI

interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly bytes: number;
  readonly wallMs: number;
}

async function http(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: string,
  timeoutMs = STEP_TIMEOUT_MS,
): Promise<HttpAnswer> {
  const start = performance.now();
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  const wallMs = performance.now() - start;
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the error message.
  }
  return { status: response.status, body: parsed, bytes: Buffer.byteLength(text), wallMs };
}

interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

let runningCli: ChildProcess | undefined;

/** One `pbx` command as a user runs it: a new Node process, timed from spawn to exit. */
function runCli(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
  execArgv: readonly string[] = [],
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...execArgv, PBX_CLI, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    runningCli = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), APPLY_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      const wallMs = performance.now() - start;
      clearTimeout(timer);
      runningCli = undefined;
      resolvePromise({ code, signal, stdout, stderr, wallMs });
    });
  });
}

interface ApplyAnswer {
  readonly dryRun: boolean;
  readonly changed: boolean;
  readonly results: readonly {
    readonly kind: string;
    readonly name: string;
    readonly action: string;
    readonly changes: readonly unknown[];
  }[];
}

function applyAnswer(answer: HttpAnswer, what: string): ApplyAnswer {
  if (answer.status !== 200) {
    throw new BenchError(
      `${what}: HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 2000)}`,
    );
  }
  return answer.body as ApplyAnswer;
}

// ---------------------------------------------------------------------------------------------
// CPU profiles (.cpuprofile, as written by node --cpu-prof)

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** `file:///…/dist/services/x/src/a.js` → `services/x/src/a.ts`; packages by their name. */
function sourceOf(url: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `${name}: ${rest.slice(rest[0].startsWith('@') ? 2 : 1).join('/')}`;
  }
  const dist = path.lastIndexOf('/dist/');
  if (dist >= 0) return path.slice(dist + '/dist/'.length).replace(/\.js$/, '.ts');
  if (path.startsWith('node:')) return path;
  return path;
}

function packageOf(source: string): string {
  if (source.startsWith('(')) return source;
  if (source.startsWith('node:')) return 'node (internals)';
  const colon = source.indexOf(': ');
  if (colon >= 0) return source.slice(0, colon);
  const parts = source.split('/');
  return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : source;
}

function analyzeProfile(file: string, segment: string, kind: 'platform' | 'cli'): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const keyOf = (node: CpuProfileNode): string =>
    `${node.callFrame.functionName || '(anonymous)'}\t${sourceOf(node.callFrame.url)}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const packages = new Map<string, number>();
  let sampledUs = 0;
  let idleUs = 0;
  let gcUs = 0;
  const n = profile.samples.length;
  for (let i = 0; i < n; i++) {
    // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
    const us = Math.max(0, profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0);
    const leaf = byId.get(profile.samples[i]);
    if (!leaf) continue;
    sampledUs += us;
    const name = leaf.callFrame.functionName;
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    if (name === '(garbage collector)') gcUs += us;
    const leafKey = keyOf(leaf);
    self.set(leafKey, (self.get(leafKey) ?? 0) + us);
    const pkg = name.startsWith('(') ? name : packageOf(sourceOf(leaf.callFrame.url));
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!node) break;
      const key = keyOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + us);
    }
  }
  const busyUs = Math.max(1, sampledUs - idleUs);
  const hotspot = (key: string): Hotspot => {
    const [fn, source] = key.split('\t');
    const s = self.get(key) ?? 0;
    const t = total.get(key) ?? 0;
    return {
      function: fn,
      file: source,
      selfMs: round(s / 1000),
      selfPercent: round((s / busyUs) * 100),
      totalMs: round(t / 1000),
      totalPercent: round((t / busyUs) * 100),
    };
  };
  const infrastructure = /^\((root|program|idle|garbage collector)\)$/;
  const topSelf = [...self.entries()]
    .filter(([key]) => !infrastructure.test(key.split('\t')[0]))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([key]) => hotspot(key));
  const topOwnCode = [...total.entries()]
    .filter(([key]) => /^(libs|services)\//.test(key.split('\t')[1]))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([key]) => hotspot(key));
  const byPackage = [...packages.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, us]) => ({ name, selfPercent: round((us / busyUs) * 100) }));
  return {
    segment,
    process: kind,
    sampledMs: round(sampledUs / 1000),
    idlePercent: round((idleUs / Math.max(1, sampledUs)) * 100),
    gcPercent: round((gcUs / busyUs) * 100),
    topSelf,
    topOwnCode,
    byPackage,
    file,
  };
}

function profilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
}

// ---------------------------------------------------------------------------------------------
// Output

function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
    .join('  ')
    .trimEnd();
}

function spread(s: LatencySummary): string {
  return s.count > 1 ? `${fmt(s.min)}-${fmt(s.max)}` : '';
}

function renderTable(result: BenchResult): string {
  const env = result.environment;
  const c = result.company;
  const lines: string[] = [];
  lines.push(
    `Provisioning benchmark — ${fmt(c.users)}-user company file, applied with the pbx CLI ` +
      `and over HTTP; user listing under load (autocannon, ${result.options.seconds} s per run)` +
      (result.options.profile ? '  [PROFILED RUN: timings inflated by --cpu-prof]' : ''),
  );
  lines.push(
    `node ${env.node}, ${env.cpuCount} CPUs (${env.cpuModel}), load ${env.loadAverageStart
      .map((n) => n.toFixed(2))
      .join(' ')} → ${env.loadAverageEnd.map((n) => n.toFixed(2)).join(' ')}`,
  );
  lines.push(env.postgres);
  lines.push(`platform: ${env.platformEntry} (started by ${env.platformStartedBy})`);
  lines.push('');
  lines.push(
    `company file: ${fmt(c.users)} users (${Object.entries(c.profiles)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ')}), ${fmt(c.devices)} devices, ${fmt(c.usersWithNumber)} users with a ` +
      `number (${fmt(c.numbers)} numbers in all, one block), ${c.departments} departments, ` +
      `${c.huntGroups} hunt groups (${c.huntGroupMembers} members), ${c.schedules} schedules`,
  );
  lines.push(
    `  ${fmt(c.yamlBytes / 1024)} KiB YAML (${fmt(c.yamlLines)} lines), ${fmt(c.jsonBytes / 1024)} ` +
      `KiB as the JSON request body = ${fmt(c.bodyLimitPercent)} % of the platform's 1 MiB body limit`,
  );
  lines.push('');
  const widths = [32, 4, 8, 11, 8, 11, 8, 8, 7, 6, 6];
  lines.push(
    row(
      [
        'apply (wall ms)',
        'runs',
        'CLI p50',
        'CLI min-max',
        'HTTP p50',
        'HTTP min-max',
        'CLI-HTTP',
        'plat CPU',
        'PG CPU',
        'host%',
        'events',
      ],
      widths,
    ),
  );
  for (const step of result.applies) {
    const cpuCli = step.cli.samples;
    lines.push(
      row(
        [
          step.title,
          `${step.cli.runs}+${step.http.runs}`,
          fmt(step.cli.wallMs.p50),
          spread(step.cli.wallMs),
          fmt(step.http.wallMs.p50),
          spread(step.http.wallMs),
          fmt(step.cli.wallMs.p50 - step.http.wallMs.p50),
          fmt(median(step.http.samples.map((s) => s.platformCpuMs ?? NaN))),
          fmt(median(step.http.samples.map((s) => s.postgresCpuMs ?? NaN))),
          fmt(median(cpuCli.map((s) => s.hostBusyPercent ?? NaN))),
          fmt(step.changes),
        ],
        widths,
      ),
    );
  }
  lines.push(
    `  runs: CLI+HTTP runs; CLI-HTTP: what the CLI adds (start-up, YAML, output); plat CPU / ` +
      `PG CPU: CPU ms of the platform process / of the database's PostgreSQL backends during the ` +
      `HTTP call (median); host%: machine busy during the CLI run; events: events appended.`,
  );
  lines.push(
    `  CLI start-up (pbx --help): p50 ${fmt(result.cliStartupMs.p50)} ms; YAML parse of the file ` +
      `(the CLI's parser options, in this process): p50 ${fmt(result.yamlParseMs.p50)} ms.`,
  );
  const create = result.applies.find((a) => a.step === 'create');
  if (create?.readModelsCaughtUpMs !== null && create?.readModelsCaughtUpMs !== undefined) {
    lines.push(
      `  read models caught up ${fmt(create.readModelsCaughtUpMs)} ms after the first apply returned ` +
        `(${fmt(create.changes)} events through the relay and every projection).`,
    );
  }
  lines.push(
    `  after the first apply the group lists ${fmt(result.listingVerified.users)} users ` +
      `(${result.listingVerified.pages} pages of 500).`,
  );
  lines.push('');
  lines.push(
    `${fmt(GOAL_USERS)} users applied in < ${GOAL_APPLY_MS / 1000} s: ` +
      `${result.goals.applyUsers.met ? 'MET' : c.users < GOAL_USERS ? 'NOT MEASURED' : 'MISSED'} — pbx apply ${fmt(
        result.goals.applyUsers.cliMs,
      )} ms end to end (HTTP call alone ${fmt(result.goals.applyUsers.httpMs)} ms)` +
      (c.users === GOAL_USERS
        ? ''
        : ` [measured with ${fmt(c.users)} users, not ${fmt(GOAL_USERS)}]`),
  );
  lines.push('');
  lines.push('sequential, 1 client (after warm-up)         p50 ms    p99 ms    max ms   bytes');
  for (const s of result.sequential) {
    lines.push(
      `  ${s.name.padEnd(40)} ${fmt(s.latencyMs.p50, 1).padStart(8)}  ${fmt(s.latencyMs.p99, 1).padStart(8)}  ${fmt(
        s.latencyMs.max,
        1,
      ).padStart(8)}  ${fmt(s.responseBytes).padStart(6)}`,
    );
  }
  lines.push('');
  const lw = [26, 5, 7, 7, 7, 7, 7, 6, 6, 9, 9, 5];
  lines.push(
    row(
      [
        'under load (autocannon)',
        'conns',
        'req/s',
        'p50 ms',
        'p97.5',
        'p99',
        'max',
        'errors',
        'non2xx',
        'plat ms/r',
        'PG ms/r',
        'host%',
      ],
      lw,
    ),
  );
  for (const run of result.load) {
    lines.push(
      row(
        [
          run.name,
          String(run.connections),
          fmt(run.requestsPerSecond, 1),
          fmt(run.latencyMs.p50),
          fmt(run.latencyMs.p97_5),
          fmt(run.latencyMs.p99),
          fmt(run.latencyMs.max),
          fmt(run.errors),
          fmt(run.non2xx),
          fmt(run.platformCpuMsPerRequest, 1),
          fmt(run.postgresCpuMsPerRequest, 1),
          fmt(run.cpu.hostBusyPercent),
        ],
        lw,
      ),
    );
  }
  lines.push(
    '  errors include timeouts; plat ms/r / PG ms/r: CPU ms of the platform process / of the ' +
      "database's PostgreSQL backends per answered request; host%: machine busy.",
  );
  const l = result.goals.listingP99Ms;
  lines.push(
    `listing p99 at ${result.options.connections[0]} connections, limit=50: ${fmt(l.measured)} ms ` +
      `(indicative threshold ${l.indicativeThresholdMs} ms, not a stated goal): ${l.slow ? 'SLOW' : 'OK'}`,
  );
  if (!result.options.profile && (l.slow || !result.goals.applyUsers.met)) {
    lines.push(
      '  run again with --profile (and --keep DIR) to see where the platform spends its time.',
    );
  }
  for (const p of result.profiles) {
    lines.push('');
    lines.push(
      `profile ${p.process}/${p.segment}: ${fmt(p.sampledMs)} ms sampled, ${fmt(p.idlePercent)} % idle, ` +
        `GC ${fmt(p.gcPercent, 1)} % of busy — ${p.file}`,
    );
    lines.push(
      `  by package (self): ${p.byPackage.map((b) => `${b.name} ${fmt(b.selfPercent, 1)} %`).join(', ')}`,
    );
    lines.push('  top self time (% of busy)');
    for (const h of p.topSelf.slice(0, 10)) {
      lines.push(`    ${fmt(h.selfPercent, 1).padStart(5)} %  ${h.function}  ${h.file}`);
    }
    lines.push('  own code by inclusive time (% of busy)');
    for (const h of p.topOwnCode.slice(0, 10)) {
      lines.push(
        `    ${fmt(h.totalPercent, 1).padStart(5)} %  ${h.function}  ${h.file}  (self ${fmt(h.selfPercent, 1)} %)`,
      );
    }
  }
  if (result.failures.length > 0) {
    lines.push('');
    lines.push('FAILURES');
    for (const f of result.failures) lines.push(`  ${f}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (!process.env.DATABASE_URL) {
    process.stderr.write(
      'bench: DATABASE_URL is not set. Start PostgreSQL and export it first:\n' +
        '  source scripts/test-services.sh\n' +
        '  npm run build && node dist/bench/provisioning.bench.js\n',
    );
    return 2;
  }
  if (!existsSync(PBX_CLI)) {
    process.stderr.write(`bench: ${PBX_CLI} is missing: run \`npm run build\` first\n`);
    return 2;
  }

  const loadStart = loadavg();
  const startedAt = new Date().toISOString();
  const work = mkdtempSync(join(tmpdir(), 'pbx-bench-provisioning-'));
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  let database: TestDatabase | undefined;
  let monitor: Client | undefined;
  let platform: BenchPlatform | undefined;
  let load: AutocannonInstance | undefined;
  let interrupted = false;

  const copyKept = (): void => {
    if (!options.keep) return;
    try {
      mkdirSync(options.keep, { recursive: true });
      for (const entry of readdirSync(work)) {
        if (entry === 'data') continue;
        cpSync(join(work, entry), join(options.keep, entry), { recursive: true });
      }
      progress(`kept the company files and profiles in ${options.keep}`);
    } catch (error) {
      progress(`could not copy to ${options.keep}: ${(error as Error).message}`);
    }
  };

  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaning ??= (async (): Promise<void> => {
      const step = async (what: string, action: () => Promise<unknown>): Promise<void> => {
        try {
          await withTimeout(action(), 30_000, what);
        } catch (error) {
          process.stderr.write(`bench: cleanup: ${what}: ${(error as Error).message}\n`);
        }
      };
      load?.stop();
      runningCli?.kill('SIGKILL');
      if (platform) {
        const running = platform;
        await step('stopping the platform', () => running.stop());
      }
      if (monitor) {
        const client = monitor;
        await step('closing the monitor connection', () => client.end());
      }
      if (database) {
        const dropping = database;
        await step(`dropping database ${dropping.name}`, () => dropping.drop());
      }
      copyKept();
      rmSync(work, { recursive: true, force: true });
    })();
    return cleaning;
  };

  const loadRuns = 2 * options.connections.length + 1;
  const budgetMs =
    READY_TIMEOUT_MS * (options.profile ? 6 : 1) +
    (2 + 3 * options.repeat) * 2 * 30_000 +
    loadRuns * (options.seconds + 10) * 1000 +
    300_000;
  const interrupt = (why: string, code: number): void => {
    interrupted = true;
    process.stderr.write(`bench: ${why}; cleaning up\n`);
    void cleanup().finally(() => process.exit(code));
  };
  const watchdog = setTimeout(
    () => interrupt(`gave up after ${Math.round(budgetMs / 1000)} s`, 1),
    budgetMs,
  );
  watchdog.unref();
  process.once('SIGINT', () => interrupt('interrupted', 130));
  process.once('SIGTERM', () => interrupt('terminated', 130));

  const failures: string[] = [];
  const profiles: ProfileSummary[] = [];
  try {
    database = await withTimeout(
      createTestDatabase('pbx_bench'),
      STEP_TIMEOUT_MS,
      'CREATE DATABASE',
    );
    progress(`database ${database.name}, work folder ${work}`);
    monitor = new Client({ connectionString: database.url });
    await monitor.connect();
    const [{ version: postgresVersion }] = (
      await monitor.query<{ version: string }>('SELECT version()')
    ).rows;

    // ----- the platform; with --profile it runs a sampling profiler from its first line on
    const profileDir = join(work, 'profiles');
    let profilerOption: string | undefined;
    if (options.profile) {
      mkdirSync(profileDir);
      const preload = join(work, 'cpu-profiler.cjs');
      writeFileSync(preload, PROFILER_PRELOAD);
      check(!/\s/.test(preload), `the profiler's path may not contain spaces: ${preload}`);
      profilerOption = `--require=${preload}`;
    }
    progress('starting the platform');
    const startUp = performance.now();
    const started = await startPlatform({
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: OPERATOR_TOKEN,
      LOG_LEVEL: 'warn',
      PBX_DATA_DIR: dataDir,
      // The build outside the repository (a temporary folder) finds its packages through it.
      NODE_PATH: process.env.NODE_PATH,
      NODE_OPTIONS: profilerOption,
      BENCH_PROFILE_DIR: options.profile ? profileDir : undefined,
    });
    platform = started;
    await started.waitForReady(READY_TIMEOUT_MS);
    progress(`platform ready in ${Math.round(performance.now() - startUp)} ms at ${started.url}`);
    /** With --profile: the platform's profile since the previous cut, analysed as `segment`. */
    const cutProfile = async (segment: string): Promise<void> => {
      if (!options.profile || started.child.pid === undefined) return;
      const before = new Set(profilesIn(profileDir));
      process.kill(started.child.pid, 'SIGUSR2');
      const deadline = Date.now() + 30_000;
      let written: string | undefined;
      while (written === undefined && Date.now() < deadline) {
        await sleep(100);
        written = profilesIn(profileDir).find((f) => !before.has(f));
      }
      check(written, `the platform wrote no CPU profile for ${segment}`);
      const file = join(
        profileDir,
        `platform-${segment.replace(/[^a-z0-9=-]+/gi, '_')}.cpuprofile`,
      );
      renameSync(written, file);
      profiles.push(analyzeProfile(file, segment, 'platform'));
    };
    // Loading modules and starting the services, apart from what the steps cost.
    await cutProfile('start-up');
    const base = (): string => started.url;
    const meter = new CpuMeter(() => started.child.pid, monitor, database.name);
    const operator = (
      method: string,
      path: string,
      body?: string,
      timeoutMs?: number,
    ): Promise<HttpAnswer> => http(base(), method, path, OPERATOR_TOKEN, body, timeoutMs);
    const cliEnv = (): Record<string, string> => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      PBX_API_URL: base(),
      PBX_OPERATOR_TOKEN: OPERATOR_TOKEN,
      ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}),
    });

    // ----- the company files
    const company = companyDocument({
      name: 'bench',
      domain: 'bench.example',
      users: options.users,
      numberBlock: '+3120123',
    });
    const httpCompany = companyDocument({
      name: 'bench-http',
      domain: 'bench-http.example',
      users: options.users,
      numberBlock: '+3120124',
    });
    const yamlOf = (doc: CompanyDocument): string => stringify(doc, { lineWidth: 0 });
    const companyYaml = yamlOf(company);
    const companyFile = join(work, 'company.yaml');
    writeFileSync(companyFile, companyYaml);
    const parseLikeCli = (text: string): unknown[] =>
      parseAllDocuments(text, {
        version: '1.2',
        schema: 'core',
        lineCounter: new LineCounter(),
        prettyErrors: false,
        strict: true,
        uniqueKeys: true,
      }).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
    check(
      JSON.stringify(parseLikeCli(companyYaml)) === JSON.stringify([company]),
      'the generated YAML does not read back as the generated document',
    );
    const body = (doc: CompanyDocument): string => JSON.stringify({ documents: [doc] });
    const companyBody = body(company);
    const stats = companyStats(company);
    const companyInfo = {
      ...stats,
      yamlBytes: Buffer.byteLength(companyYaml),
      jsonBytes: Buffer.byteLength(companyBody),
      bodyLimitPercent: round((Buffer.byteLength(companyBody) / BODY_LIMIT_BYTES) * 100),
      yamlLines: companyYaml.split('\n').length - 1,
    };
    progress(
      `company file ${companyFile}: ${stats.users} users, ${stats.devices} devices, ` +
        `${Math.round(companyInfo.yamlBytes / 1024)} KiB YAML, ${Math.round(companyInfo.jsonBytes / 1024)} KiB JSON`,
    );

    // ----- baselines: the CLI's own start-up, and the YAML parse it does
    const startupSamples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await runCli(['--help'], cliEnv(), work);
      check(run.code === 0, `pbx --help exited with ${run.code}: ${run.stderr}`);
      startupSamples.push(run.wallMs);
    }
    const parseSamples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      parseLikeCli(readFileSync(companyFile, 'utf8'));
      parseSamples.push(performance.now() - t);
    }

    // ----- one measured CLI run and one HTTP run
    const timedCli = async (
      args: readonly string[],
      expect: (run: CliRun) => string | undefined,
      execArgv: readonly string[] = [],
    ): Promise<RunSample> => {
      const stop = await meter.start();
      const run = await runCli(args, cliEnv(), work, execArgv);
      const cpu = await stop();
      const problem =
        run.code !== 0
          ? `exit code ${run.code ?? run.signal}: ${(run.stderr || run.stdout).slice(-2000)}`
          : expect(run);
      if (problem) throw new BenchError(`pbx ${args.join(' ')}: ${problem}`);
      return { wallMs: round(run.wallMs), ...cpu };
    };
    const timedHttp = async (
      requestBody: string,
      dryRun: boolean,
      expect: (answer: ApplyAnswer) => string | undefined,
    ): Promise<{ sample: RunSample; answer: ApplyAnswer; bytes: number }> => {
      const stop = await meter.start();
      const answer = await operator(
        'POST',
        `/api/v1/apply?dryRun=${dryRun}`,
        requestBody,
        APPLY_TIMEOUT_MS,
      );
      const cpu = await stop();
      const parsed = applyAnswer(answer, `POST /api/v1/apply?dryRun=${dryRun}`);
      const problem = expect(parsed);
      if (problem) throw new BenchError(`POST /api/v1/apply?dryRun=${dryRun}: ${problem}`);
      return {
        sample: { wallMs: round(answer.wallMs), ...cpu },
        answer: parsed,
        bytes: answer.bytes,
      };
    };
    const expectAction =
      (name: string, action: string, dryRun: boolean, changes?: number) =>
      (a: ApplyAnswer): string | undefined => {
        const r = a.results[0];
        if (
          a.dryRun !== dryRun ||
          a.results.length !== 1 ||
          r.name !== name ||
          r.action !== action
        ) {
          return `expected ${name} ${action} (dryRun ${dryRun}), got ${JSON.stringify({ ...a, results: a.results.map((x) => ({ ...x, changes: x.changes.length })) })}`;
        }
        if (changes !== undefined && r.changes.length !== changes) {
          return `expected ${changes} changes, got ${r.changes.length}`;
        }
        return undefined;
      };
    const expectCliLine =
      (...wanted: string[]) =>
      (run: CliRun): string | undefined => {
        const missing = wanted.filter((w) => !run.stdout.split('\n').includes(w));
        return missing.length === 0
          ? undefined
          : `expected the lines ${JSON.stringify(missing)} in its output, got: ${run.stdout.slice(0, 500)}`;
      };

    /** Until the relay published every event and no projection applied anything for 1 s. */
    const settle = async (): Promise<number | null> => {
      const start = performance.now();
      let lastSum = -1;
      let lastChange = performance.now();
      while (performance.now() - start < SETTLE_TIMEOUT_MS) {
        const [{ behind }] = (
          await (monitor as Client).query<{ behind: boolean }>(
            `SELECT coalesce((SELECT max(global_position) FROM pbx_events), 0) >
                    coalesce((SELECT max(global_position) FROM pbx_relay_checkpoints), 0) AS behind`,
          )
        ).rows;
        const status = await operator('GET', '/api/v1/admin/projections');
        const items = (status.body as { items?: { eventsApplied: number }[] }).items ?? [];
        const sum = items.reduce((n, p) => n + p.eventsApplied, 0);
        if (sum !== lastSum || behind) {
          lastSum = sum;
          lastChange = performance.now();
        } else if (performance.now() - lastChange >= 1000) {
          return round(lastChange - start);
        }
        await sleep(100);
      }
      progress(`the read models were still busy after ${SETTLE_TIMEOUT_MS} ms`);
      return null;
    };

    /** Until the platform process is idle (at most 10 % of a core over 500 ms); waited ms. */
    const quiesce = async (): Promise<number> => {
      const start = performance.now();
      while (performance.now() - start < SETTLE_TIMEOUT_MS) {
        const before = processCpuMs(started.child.pid);
        await sleep(500);
        const after = processCpuMs(started.child.pid);
        if (before === null || after === null || after - before <= 50) break;
      }
      return performance.now() - start;
    };

    const applies: ApplyStepResult[] = [];
    const side = (samples: RunSample[]): ApplySide => ({
      runs: samples.length,
      wallMs: summarize(samples.map((s) => s.wallMs)),
      samples,
    });
    const expectedEvents = (doc: CompanyDocument): number => {
      const s = companyStats(doc);
      // GroupCreated, then one event per department, schedule, user, device and hunt group.
      return 1 + s.departments + s.schedules + s.users + s.devices + s.huntGroups;
    };

    // (d) dry run against the empty platform
    {
      progress(
        `(d) dry run of the ${options.users}-user file against the empty platform × ${options.repeat}`,
      );
      const cli: RunSample[] = [];
      const viaHttp: RunSample[] = [];
      let responseBytes = 0;
      for (let r = 0; r < options.repeat; r++) {
        cli.push(
          await timedCli(
            ['apply', '-f', companyFile, '--dry-run'],
            expectCliLine('group/bench: would be created', '(dry run: nothing was changed)'),
          ),
        );
        const h = await timedHttp(
          companyBody,
          true,
          expectAction('bench', 'created', true, expectedEvents(company)),
        );
        viaHttp.push(h.sample);
        responseBytes = h.bytes;
      }
      applies.push({
        step: 'dry-run',
        title: '(d) --dry-run, empty platform',
        cli: side(cli),
        http: side(viaHttp),
        httpRequestBytes: companyInfo.jsonBytes,
        httpResponseBytes: responseBytes,
        changes: expectedEvents(company),
        readModelsCaughtUpMs: null,
      });
      const exists = await operator('GET', '/api/v1/resources/group/bench');
      check(exists.status === 404, `a dry run created the group (GET answered ${exists.status})`);
    }

    // (a) the first apply: the CLI creates `bench`, the HTTP call creates `bench-http`
    await cutProfile('apply-dry-run');
    {
      progress('(a) first apply: creates the company');
      const cliSample = await timedCli(
        ['apply', '-f', companyFile],
        expectCliLine('group/bench created'),
        options.profile
          ? ['--cpu-prof', `--cpu-prof-dir=${join(work, 'profiles', 'cli-create')}`]
          : [],
      );
      const caughtUp = await settle();
      progress(
        `  CLI ${Math.round(cliSample.wallMs)} ms; read models caught up after ${caughtUp ?? '?'} ms`,
      );
      await cutProfile('apply-create-cli-with-read-models');
      const h = await timedHttp(
        body(httpCompany),
        false,
        expectAction('bench-http', 'created', false, expectedEvents(httpCompany)),
      );
      progress(`  HTTP ${Math.round(h.sample.wallMs)} ms`);
      // With --profile: the CLI's create with its read-model work, the HTTP create alone (cut as
      // it returns), and the read models catching up with it.
      if (options.profile) {
        await cutProfile('apply-create-http-call');
        await settle();
        await cutProfile('read-models-after-create');
      } else {
        await settle();
      }
      applies.push({
        step: 'create',
        title: '(a) first apply (creates all)',
        cli: side([cliSample]),
        http: side([h.sample]),
        httpRequestBytes: Buffer.byteLength(body(httpCompany)),
        httpResponseBytes: h.bytes,
        changes: h.answer.results[0].changes.length,
        readModelsCaughtUpMs: caughtUp,
      });
      for (const file of profilesIn(join(work, 'profiles', 'cli-create'))) {
        profiles.push(analyzeProfile(file, 'apply-create', 'cli'));
      }
    }

    // Every user is listed, with what the file gave them.
    let listingVerified = { users: 0, pages: 0 };
    {
      const seen = new Map<
        string,
        { name: string; profile: string; devices: unknown[]; numbers: string[] }
      >();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const answer = await operator(
          'GET',
          `/api/v1/groups/bench/users?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        check(answer.status === 200, `listing users answered ${answer.status}`);
        const page = answer.body as {
          items: {
            extension: string;
            name: string;
            profile: string;
            devices: unknown[];
            numbers: string[];
          }[];
          nextCursor?: string;
        };
        for (const item of page.items) seen.set(item.extension, item);
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== undefined && pages < 100);
      const wrong = company.spec.users.filter((u) => {
        const got = seen.get(u.extension);
        return (
          !got ||
          got.name !== u.name ||
          got.profile !== u.profile ||
          got.devices.length !== u.devices.length ||
          JSON.stringify(got.numbers) !== JSON.stringify(u.numbers ?? [])
        );
      });
      check(
        seen.size === company.spec.users.length && wrong.length === 0,
        `the group lists ${seen.size} users, ${wrong.length} of the file's users missing or different ` +
          `(first: ${wrong[0]?.extension})`,
      );
      listingVerified = { users: seen.size, pages };
    }

    // (b) the same file again
    await cutProfile('verify-listing');
    {
      progress(`(b) the same file again × ${options.repeat}`);
      const cli: RunSample[] = [];
      const viaHttp: RunSample[] = [];
      let responseBytes = 0;
      for (let r = 0; r < options.repeat; r++) {
        cli.push(
          await timedCli(
            ['apply', '-f', companyFile],
            expectCliLine('group/bench unchanged', 'no changes'),
          ),
        );
        const h = await timedHttp(companyBody, false, expectAction('bench', 'unchanged', false, 0));
        viaHttp.push(h.sample);
        responseBytes = h.bytes;
      }
      applies.push({
        step: 'unchanged',
        title: '(b) same file again (no change)',
        cli: side(cli),
        http: side(viaHttp),
        httpRequestBytes: companyInfo.jsonBytes,
        httpResponseBytes: responseBytes,
        changes: 0,
        readModelsCaughtUpMs: null,
      });
    }

    // (c) 10 users changed: the CLI and the HTTP call each apply their own change
    await cutProfile('apply-unchanged');
    {
      progress(`(c) ${CHANGED_USERS} users changed × ${options.repeat}`);
      const cli: RunSample[] = [];
      const viaHttp: RunSample[] = [];
      let responseBytes = 0;
      let requestBytes = 0;
      let caughtUp: number | null = null;
      // Cumulative: each apply changes 10 users the previous ones did not touch.
      const changedPerApply = Math.min(CHANGED_USERS, options.users);
      let current = company;
      for (let r = 0; r < options.repeat; r++) {
        const viaCli = withChangedUsers(current, CHANGED_USERS, 2 * r);
        current = viaCli.doc;
        const file = join(work, `company-changed-${2 * r}.yaml`);
        writeFileSync(file, yamlOf(viaCli.doc));
        cli.push(await timedCli(['apply', '-f', file], expectCliLine('group/bench configured')));
        caughtUp = await settle();
        for (const changed of viaCli.changed.slice(0, 3)) {
          const user = await operator('GET', `/api/v1/groups/bench/users/${changed.extension}`);
          check(
            (user.body as { name?: string }).name === changed.name,
            `user ${changed.extension} is ${JSON.stringify(user.body)} after the CLI apply, ` +
              `expected the name ${changed.name}`,
          );
        }
        const viaApi = withChangedUsers(current, CHANGED_USERS, 2 * r + 1);
        current = viaApi.doc;
        const requestBody = body(viaApi.doc);
        requestBytes = Buffer.byteLength(requestBody);
        const h = await timedHttp(
          requestBody,
          false,
          expectAction('bench', 'updated', false, changedPerApply),
        );
        viaHttp.push(h.sample);
        responseBytes = h.bytes;
        await settle();
      }
      applies.push({
        step: 'change-10-users',
        title: `(c) ${CHANGED_USERS} users changed`,
        cli: side(cli),
        http: side(viaHttp),
        httpRequestBytes: requestBytes,
        httpResponseBytes: responseBytes,
        changes: changedPerApply,
        readModelsCaughtUpMs: caughtUp,
      });
    }

    // ----- the user listing, as a group administrator
    await cutProfile('apply-change');
    const issued = await operator(
      'POST',
      '/api/v1/tokens',
      JSON.stringify({ role: 'group-admin', group: 'bench', label: 'provisioning bench' }),
    );
    check(
      issued.status === 201,
      `issuing a group-admin token answered ${issued.status}: ${JSON.stringify(issued.body)}`,
    );
    const adminToken = (issued.body as { token: string }).token;
    const probeExtension = company.spec.users[Math.floor(company.spec.users.length / 2)].extension;
    const endpoints = [
      { name: 'users?limit=50', path: '/api/v1/groups/bench/users?limit=50', items: 50 },
      { name: 'users?limit=500', path: '/api/v1/groups/bench/users?limit=500', items: 500 },
      {
        name: `users/${probeExtension}`,
        path: `/api/v1/groups/bench/users/${probeExtension}`,
        items: 0,
      },
    ];
    await quiesce();
    const sequential: SequentialResult[] = [];
    for (const endpoint of endpoints) {
      const samples: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 5 + SEQUENTIAL_SAMPLES; i++) {
        const answer = await http(base(), 'GET', endpoint.path, adminToken);
        check(answer.status === 200, `GET ${endpoint.path} answered ${answer.status}`);
        if (endpoint.items > 0) {
          const n = (answer.body as { items: unknown[] }).items.length;
          check(
            n === Math.min(endpoint.items, options.users),
            `GET ${endpoint.path} listed ${n} users`,
          );
        }
        if (i >= 5) samples.push(answer.wallMs);
        bytes = answer.bytes;
      }
      sequential.push({
        name: endpoint.name,
        path: endpoint.path,
        latencyMs: summarize(samples),
        responseBytes: bytes,
      });
      progress(`  1 client ${endpoint.name}: p50 ${summarize(samples).p50} ms`);
    }

    await cutProfile('listing-1-client');
    const loadRunsDone: LoadRunResult[] = [];
    const plan: { endpoint: (typeof endpoints)[number]; connections: number }[] = [
      ...endpoints
        .slice(0, 2)
        .flatMap((endpoint) =>
          options.connections.map((connections) => ({ endpoint, connections })),
        ),
      { endpoint: endpoints[2], connections: options.connections[0] },
    ];
    for (const [index, { endpoint, connections }] of plan.entries()) {
      // Requests of the previous run that autocannon abandoned when it stopped are still being
      // answered: they would count against this run.
      const waited = await quiesce();
      if (waited > 1000) {
        progress(`  waited ${Math.round(waited)} ms for the previous run's requests to finish`);
      }
      const previous = plan[index - 1]?.endpoint;
      if (previous !== undefined && previous !== endpoint)
        await cutProfile(`listing-${previous.name}`);
      progress(`load: GET ${endpoint.path}, ${connections} connections, ${options.seconds} s`);
      const stop = await meter.start();
      const result = await new Promise<AutocannonResult>((resolvePromise, reject) => {
        load = autocannon(
          {
            url: `${base()}${endpoint.path}`,
            connections,
            duration: options.seconds,
            timeout: 30,
            headers: { authorization: `Bearer ${adminToken}` },
            title: endpoint.name,
          },
          (error, r) => (error ? reject(error) : resolvePromise(r)),
        );
      });
      load = undefined;
      const cpu = await stop();
      const answered = result.requests.total;
      const statusCodes = Object.fromEntries(
        Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]),
      );
      const run: LoadRunResult = {
        name: endpoint.name,
        path: endpoint.path,
        connections,
        seconds: result.duration,
        requests: answered,
        requestsPerSecond: round(answered / Math.max(0.001, result.duration), 1),
        latencyMs: {
          p50: result.latency.p50,
          p97_5: result.latency.p97_5,
          p99: result.latency.p99,
          max: result.latency.max,
          mean: round(result.latency.average),
        },
        responseBytesPerRequest:
          answered > 0 ? Math.round((result.throughput.average * result.duration) / answered) : 0,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        statusCodes,
        platformCpuMsPerRequest:
          cpu.platformCpuMs !== null && answered > 0
            ? round(cpu.platformCpuMs / answered, 2)
            : null,
        postgresCpuMsPerRequest:
          cpu.postgresCpuMs !== null && answered > 0
            ? round(cpu.postgresCpuMs / answered, 2)
            : null,
        cpu,
      };
      loadRunsDone.push(run);
      progress(
        `  ${run.requestsPerSecond} req/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, ` +
          `errors ${run.errors}, non-2xx ${run.non2xx}`,
      );
      if (run.errors > 0 || run.non2xx > 0 || answered === 0) {
        const logged = started
          .output()
          .split('\n')
          .filter((line) => /"level":("(warn|error|fatal)"|[4-6]0)/.test(line))
          .slice(-5);
        if (logged.length > 0) progress(`  platform log (last warnings):\n${logged.join('\n')}`);
        failures.push(
          `GET ${endpoint.path} with ${connections} connections: ${run.errors} errors (${run.timeouts} timeouts), ` +
            `${run.non2xx} non-2xx (${JSON.stringify(statusCodes)}), ${answered} answered`,
        );
      }
    }
    await quiesce();
    await cutProfile(`listing-${plan[plan.length - 1].endpoint.name}`);

    // ----- the result
    const createStep = applies.find((a) => a.step === 'create');
    const cliMs = createStep?.cli.wallMs.p50 ?? NaN;
    const listing = loadRunsDone.find((r) => r.name === 'users?limit=50');
    const result: BenchResult = {
      startedAt,
      options,
      environment: {
        node: process.version,
        platform: `${osPlatform()} ${release()}`,
        cpuCount: availableParallelism(),
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        loadAverageStart: loadStart.map((n) => round(n, 2)),
        loadAverageEnd: loadavg().map((n) => round(n, 2)),
        postgres: postgresVersion,
        platformEntry: started.entry,
        platformStartedBy: started.startedBy,
        cli: PBX_CLI,
      },
      company: companyInfo,
      cliStartupMs: summarize(startupSamples),
      yamlParseMs: summarize(parseSamples),
      applies,
      listingVerified,
      sequential,
      load: loadRunsDone,
      goals: {
        applyUsers: {
          users: options.users,
          targetMs: GOAL_APPLY_MS,
          cliMs,
          httpMs: createStep?.http.wallMs.p50 ?? NaN,
          met: options.users >= GOAL_USERS && cliMs < GOAL_APPLY_MS,
        },
        listingP99Ms: {
          indicativeThresholdMs: LISTING_SLOW_P99_MS,
          measured: listing?.latencyMs.p99 ?? NaN,
          slow: (listing?.latencyMs.p99 ?? Infinity) >= LISTING_SLOW_P99_MS,
        },
      },
      // The work folder is removed at the end: name the copy that --keep made, if any.
      profiles: profiles.map((p) => ({
        ...p,
        file: options.keep ? p.file.replace(work, options.keep) : '(removed; --keep DIR keeps it)',
      })),
      failures,
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(`${renderTable(result)}\n\nBENCH_RESULT ${JSON.stringify(result)}\n`);
    }
    return failures.length > 0 ? 1 : 0;
  } catch (error) {
    if (interrupted) return 130;
    process.stderr.write(`bench: ERROR: ${(error as Error).stack ?? String(error)}\n`);
    if (platform)
      process.stderr.write(
        `bench: platform output (last lines):\n${platform.output().slice(-3000)}\n`,
      );
    return 1;
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
}

void main().then(
  (code) => {
    process.exitCode = code;
    // Anything still holding the event loop (it should not) must not keep the bench alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
