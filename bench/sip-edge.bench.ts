/**
 * SIP edge benchmark, side by side with Kamailio from Debian on the same machine and the same
 * sipp scenarios (issue 5):
 *   1. REGISTER with digest per second: 1,000 devices, 401 then credentials, 200.
 *   2. Calls per second with media anchored: INVITE, 407, INVITE with credentials, 180, 200,
 *      ACK, BYE; the platform anchors RTP in its media service, Kamailio in rtpengine (userspace,
 *      the reference media relay of Kamailio platforms).
 *   3. Post-dial delay (the authenticated INVITE to 180 as the caller sees it) p50/p99 at half
 *      the maximum call rate, and the same through no proxy at all (sipp to sipp), so that the
 *      delay each system adds can be told.
 *
 *   source scripts/test-services.sh        # DATABASE_URL (the platform's database)
 *   npm run bench:sip-edge [-- --seconds 10 --json]
 *
 * The system under test (the platform's single Node process; Kamailio's processes and
 * rtpengine) is pinned to CPU 1 and sipp to CPU 0 with taskset, so each figure is "per core";
 * the platform's PostgreSQL joins sipp on CPU 0 while the bench runs.
 * sipp's own CPU is reported: when it nears 100% the load generator, not the system under
 * test, is the limit and the rate is a floor. Run on a quiet machine.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  startPlatformProcess,
  type PlatformProcess,
} from '@pbx/testing';
import { Client } from 'pg';
import { processCpuSeconds } from './rtp/proc-stat';

const ROOT = join(__dirname, '..', '..');
const SCENARIOS = join(ROOT, 'e2e', 'sip', 'scenarios');
const BENCH_SCENARIOS = join(ROOT, 'bench', 'sip');
const TOKEN = 'bench-operator-token-sip-edge-0123456789abcdef0123';
const DOMAIN = 'bench.example';

interface Options {
  readonly seconds: number;
  readonly users: number;
  readonly json: boolean;
  /** Only the REGISTER rate, platform and Kamailio (`--only register`): for quick iterations. */
  readonly registerOnly: boolean;
}

interface RateResult {
  readonly system: string;
  readonly attempted: number;
  readonly successful: number;
  readonly failed: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** CPU of the system under test, % of one core. */
  readonly sutCpu: number;
  /** CPU of sipp, % of one core. */
  readonly sippCpu: number;
}

interface DelayResult {
  readonly system: string;
  /** Inside the platform, from its histogram: upper bounds of the p50/p99 buckets. */
  readonly insideP50Ms?: number;
  readonly insideP99Ms?: number;
  readonly rate: number;
  readonly calls: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

interface SystemUnderTest {
  readonly name: string;
  readonly sipPort: number;
  /**
   * Waits until the work a run left behind is done (the platform's read models applying its
   * call events); resolves with the seconds waited. Systems that keep nothing: 0.
   */
  drained?(): Promise<number>;
  /** The platform's own post-dial histogram (INVITE in to the callee's INVITE out), if any. */
  postDialBuckets?(): Promise<Map<number, number>>;
  /** Every process to pin and to count CPU for. */
  pids(): number[];
  stop(): Promise<void>;
}

function parseOptions(argv: readonly string[]): Options {
  const get = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i === -1) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
    return n;
  };
  return {
    seconds: get('--seconds', 10),
    users: get('--users', 1000),
    json: argv.includes('--json'),
    registerOnly: argv[argv.indexOf('--only') + 1] === 'register' && argv.includes('--only'),
  };
}

const log = (message: string): void => void process.stderr.write(`${message}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pin(pids: readonly number[], cpu: number): void {
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    } catch {
      // taskset missing or the process gone: measured unpinned.
    }
  }
}

/**
 * The platform's PostgreSQL runs on CPU 0, with sipp, as a database server would on a machine
 * of its own: left free, its backends were woken onto the platform's core (the scheduler places
 * a woken task beside its waker) and took that core from the platform for up to 380 ms while
 * they wrote a batch of read-model rows, which measured the machine's sharing, not the platform.
 * Kamailio keeps its locations in memory and has no database. Returns a function that undoes it.
 */
function pinDatabaseBesideSipp(): () => void {
  let pids: number[] = [];
  try {
    pids = execFileSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return () => undefined; // no local PostgreSQL (a remote DATABASE_URL): nothing to pin
  }
  pin(pids, 0);
  return () => {
    const all = `0-${Math.max(0, cpus().length - 1)}`;
    for (const pid of pids) {
      try {
        execFileSync('taskset', ['-a', '-p', '-c', all, String(pid)], { stdio: 'ignore' });
      } catch {
        // gone
      }
    }
  };
}

function cpuOf(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += processCpuSeconds(pid);
    } catch {
      // exited
    }
  }
  return total;
}

function childPids(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent)])
      .toString()
      .trim()
      .split('\n')
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

interface SippRun {
  readonly successful: number;
  readonly failed: number;
  readonly attempted: number;
  readonly seconds: number;
  readonly sippCpuSeconds: number;
  readonly rtdMs: number[];
}

/** Runs sipp to completion on CPU 0, returning its counters and per-call response times. */
async function runSipp(args: {
  scenario: string;
  remote?: string;
  port: number;
  rows?: string[][];
  calls: number;
  rate?: number;
  limit?: number;
  extra?: string[];
  timeoutS: number;
  rtt?: boolean;
}): Promise<SippRun & { child?: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sipp-'));
  const argv = [
    '-c',
    '0',
    'sipp',
    '-sf',
    args.scenario,
    '-i',
    '127.0.0.1',
    '-p',
    String(args.port),
    '-m',
    String(args.calls),
    '-t',
    'u1',
    '-nostdin',
    '-trace_stat',
    '-stf',
    join(dir, 'stat.csv'),
    '-fd',
    '1',
    '-timeout',
    `${args.timeoutS}s`,
    '-max_recv_loops',
    '10000',
    '-max_sched_loops',
    '10000',
    '-recv_timeout',
    '10000',
    '-nd',
    '-default_behaviors',
    'all,-bye',
  ];
  if (args.rate !== undefined) argv.push('-r', String(args.rate));
  if (args.limit !== undefined) argv.push('-l', String(args.limit));
  if (args.rtt) argv.push('-trace_rtt', '-rtt_freq', '1');
  if (args.rows) {
    const file = join(dir, 'rows.csv');
    writeFileSync(file, ['SEQUENTIAL', ...args.rows.map((r) => `${r.join(';')};`)].join('\n'));
    argv.push('-inf', file);
  }
  argv.push(...(args.extra ?? []));
  if (args.remote) argv.push(args.remote);
  const started = performance.now();
  const child = spawn('taskset', argv, { cwd: dir, stdio: 'ignore' });
  let cpu = 0;
  const sampler = setInterval(() => {
    if (child.pid !== undefined) cpu = Math.max(cpu, cpuOf([child.pid]));
  }, 200);
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const stat = readFileSync(join(dir, 'stat.csv'), 'utf8').trim().split('\n');
  const names = stat[0].split(';');
  const last = stat[stat.length - 1].split(';');
  const col = (name: string): number => Number(last[names.indexOf(name)] ?? 0);
  const rtdMs: number[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('_rtt.csv'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n').slice(1)) {
      const parts = line.split(';');
      if (parts.length >= 2 && parts[1] !== '') rtdMs.push(Number(parts[1]));
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    successful: col('SuccessfulCall(C)'),
    failed: col('FailedCall(C)'),
    attempted: col('OutgoingCall(C)'),
    seconds,
    sippCpuSeconds: cpu,
    rtdMs,
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function users(count: number): { username: string; extension: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    // The device's SIP name is its user's extension, so that the same Request-URI reaches the
    // callee through the PBX's dial plan (extensions) and Kamailio's location lookup (AORs).
    username: String(2000 + i),
    extension: String(2000 + i),
  }));
}

function credentialRows(count: number, contactPort: number): string[][] {
  return users(count).map((u) => [
    u.username,
    DOMAIN,
    `[authentication username=${u.username} password=bench-pw-${u.username}]`,
    String(contactPort),
  ]);
}

async function startPlatform(
  options: Options,
): Promise<SystemUnderTest & { platform: PlatformProcess; drop(): Promise<void> }> {
  const database = await createTestDatabase('pbx_bench_sip');
  const sipPort = await freePort();
  const platform = await startPlatformProcess('standalone', {
    DATABASE_URL: database.url,
    PBX_OPERATOR_TOKEN: TOKEN,
    PBX_SIP_PORT: String(sipPort),
    PBX_SIP_HOST: '127.0.0.1',
    PBX_MEDIA_HOST: '127.0.0.1',
    PBX_RTP_PORTS: '40000-49999',
    PBX_SIP_DIGEST_ALGORITHMS: 'MD5,SHA-256',
    PBX_SIP_MAX_CALLS: '100000',
    LOG_LEVEL: 'warn',
    // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the platform under the load.
    NODE_OPTIONS: process.env.BENCH_PLATFORM_NODE_OPTIONS,
  });
  await platform.waitForReady(60_000);
  const list = users(options.users + 1);
  const doc = {
    apiVersion: 'pbx/v1',
    kind: 'Group',
    metadata: { name: 'bench' },
    spec: {
      domain: DOMAIN,
      timezone: 'Europe/Amsterdam',
      mainNumber: '+31301234500',
      users: list.map((u) => ({
        extension: u.extension,
        name: `User ${u.extension}`,
        profile: 'business',
        devices: [{ username: u.username, password: `bench-pw-${u.username}`, kind: 'softphone' }],
      })),
    },
  };
  const applied = await platform.post('/api/v1/apply', { documents: [doc] }, TOKEN);
  if (applied.status !== 200)
    throw new Error(`apply failed: ${JSON.stringify(applied.body).slice(0, 500)}`);
  // The edge's device directory follows provisioning's events: wait until it holds every
  // device (a REGISTER probe would count as an auth failure and trip the throttle).
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM sip_edge_devices WHERE domain = $1',
        [DOMAIN],
      );
      if (Number(rows[0].n) >= list.length) break;
      if (attempt > 240) throw new Error('the edge never learned every device');
      await sleep(500);
    }
  } finally {
    await client.end();
  }
  const pid = platform.child.pid as number;
  return {
    name: 'platform',
    sipPort,
    platform,
    drained: () => projectionsDrained(database.url),
    postDialBuckets: async () => {
      const { body } = await platform.get('/metrics');
      const buckets = new Map<number, number>();
      for (const m of String(body).matchAll(
        /^pbx_sip_post_dial_delay_seconds_bucket\{le="([^"]+)"[^}]*\} (\d+)/gm,
      )) {
        buckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
      }
      return buckets;
    },
    pids: () => [pid],
    stop: async () => {
      await platform.stop();
    },
    drop: () => database.drop(),
  };
}

async function startKamailio(): Promise<SystemUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-kamailio-'));
  const sipPort = await freePort();
  const ngPort = await freePort();
  const cfg = readFileSync(join(BENCH_SCENARIOS, 'kamailio.cfg.template'), 'utf8')
    .replaceAll('@PORT@', String(sipPort))
    .replaceAll('@NG_PORT@', String(ngPort))
    .replaceAll('@CHILDREN@', '2');
  writeFileSync(join(dir, 'kamailio.cfg'), cfg);
  // rtpengine first: Kamailio pings it at start and disables an engine that does not answer.
  const rtpengine = spawn(
    'rtpengine',
    [
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      '--port-min=50000',
      '--port-max=59999',
      '--foreground',
      '--log-stderr',
      '--log-level=3',
      '--table=-1',
      '--num-threads=1',
      '--delete-delay=0',
    ],
    { stdio: 'ignore' },
  );
  await sleep(1000);
  const kamailio = spawn(
    'kamailio',
    ['-f', join(dir, 'kamailio.cfg'), '-DD', '-E', '-m', '512', '-M', '64', '-w', dir],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  kamailio.stderr?.on('data', (c: Buffer) => (errors += c.toString()));
  await sleep(1500);
  if (kamailio.exitCode !== null)
    throw new Error(`kamailio did not start:\n${errors.slice(-2000)}`);
  const pids = (): number[] => [
    kamailio.pid as number,
    ...childPids(kamailio.pid as number),
    rtpengine.pid as number,
  ];
  return {
    name: 'kamailio',
    sipPort,
    pids,
    stop: async () => {
      kamailio.kill('SIGTERM');
      rtpengine.kill('SIGTERM');
      await sleep(500);
      kamailio.kill('SIGKILL');
      rtpengine.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * REGISTER/s at saturation: sipp as fast as it can with 200 transactions in flight. Its target
 * rate is above what either system answers on one core (a target of 20,000/s held Kamailio at
 * 55-65% of its core), so that both figures are maxima.
 */
async function registerRate(sut: SystemUnderTest, options: Options): Promise<RateResult> {
  const target = Number(process.env.BENCH_REGISTER_TARGET ?? 45_000);
  const calls = Math.round(options.seconds * 6_000);
  const before = cpuOf(sut.pids());
  const run = await runSipp({
    scenario: join(SCENARIOS, 'register.xml'),
    remote: `127.0.0.1:${sut.sipPort}`,
    port: await freePort(),
    rows: credentialRows(options.users, 5999),
    calls,
    rate: target,
    limit: 200,
    extra: ['-auth_uri', DOMAIN],
    timeoutS: options.seconds * 6,
  });
  const sutCpu = ((cpuOf(sut.pids()) - before) / run.seconds) * 100;
  return {
    system: sut.name,
    attempted: run.attempted,
    successful: run.successful,
    failed: run.failed,
    seconds: run.seconds,
    perSecond: run.successful / run.seconds,
    sutCpu,
    sippCpu: (run.sippCpuSeconds / run.seconds) * 100,
  };
}

/** The callee of the call tests: the one device past the `--users` registering ones. */
let CALLEE = '3000';

/** Registers the callee and starts its sipp UAS (answers every call at once). */
async function startCallee(sut: SystemUnderTest, calls: number): Promise<ChildProcess> {
  const port = await freePort();
  const registered = await runSipp({
    scenario: join(SCENARIOS, 'register.xml'),
    remote: `127.0.0.1:${sut.sipPort}`,
    port: await freePort(),
    rows: [
      [
        CALLEE,
        DOMAIN,
        `[authentication username=${CALLEE} password=bench-pw-${CALLEE}]`,
        String(port),
      ],
    ],
    calls: 1,
    extra: ['-auth_uri', DOMAIN],
    timeoutS: 10,
  });
  if (registered.successful !== 1) throw new Error(`${sut.name}: the callee did not register`);
  const child = spawn(
    'taskset',
    [
      '-c',
      '0',
      'sipp',
      '-sf',
      join(BENCH_SCENARIOS, 'uas-answer.xml'),
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-m',
      String(calls),
      '-t',
      'u1',
      '-nostdin',
      '-nd',
      '-max_recv_loops',
      '10000',
    ],
    { stdio: 'ignore' },
  );
  await sleep(300);
  return child;
}

async function callRate(
  sut: SystemUnderTest,
  options: Options,
  rate: number | undefined,
  calls: number,
): Promise<{ result: RateResult; rtdMs: number[] }> {
  const callee = await startCallee(sut, calls);
  const before = cpuOf(sut.pids());
  const run = await runSipp({
    scenario: join(BENCH_SCENARIOS, 'uac-invite.xml'),
    remote: `127.0.0.1:${sut.sipPort}`,
    port: await freePort(),
    rows: users(Math.min(options.users, 500)).map((u) => [
      u.username,
      DOMAIN,
      `[authentication username=${u.username} password=bench-pw-${u.username}]`,
      CALLEE,
    ]),
    calls,
    rate: rate ?? 5_000,
    limit: rate === undefined ? 200 : undefined,
    extra: ['-auth_uri', `${CALLEE}@${DOMAIN}`],
    timeoutS: options.seconds * 6,
    rtt: true,
  });
  const sutCpu = ((cpuOf(sut.pids()) - before) / run.seconds) * 100;
  callee.kill('SIGKILL');
  return {
    result: {
      system: sut.name,
      attempted: run.attempted,
      successful: run.successful,
      failed: run.failed,
      seconds: run.seconds,
      perSecond: run.successful / run.seconds,
      sutCpu,
      sippCpu: (run.sippCpuSeconds / run.seconds) * 100,
    },
    rtdMs: run.rtdMs,
  };
}

/** Pins the system under test, warms it up and measures its REGISTER rate at saturation. */
async function measureRegister(sut: SystemUnderTest, options: Options): Promise<RateResult> {
  pin(sut.pids(), 1);
  // Warm up (JIT, caches): one round of every device.
  await registerRate(sut, { ...options, seconds: 1 });
  log(`${sut.name}: REGISTER at saturation`);
  const register = await registerRate(sut, options);
  log(
    `${sut.name}: ${register.perSecond.toFixed(0)} REGISTER/s, CPU ${register.sutCpu.toFixed(0)}%`,
  );
  return register;
}

async function measure(
  sut: SystemUnderTest,
  options: Options,
): Promise<{
  register: RateResult;
  calls: RateResult;
  /** Calls per second counting the time the system took to finish the run's work. */
  sustained: { readonly perSecond: number; readonly drainS: number };
  delay: DelayResult;
}> {
  const register = await measureRegister(sut, options);
  log(`${sut.name}: calls at saturation`);
  const { result: calls } = await callRate(
    sut,
    options,
    undefined,
    Math.round(options.seconds * 800),
  );
  log(`${sut.name}: ${calls.perSecond.toFixed(0)} calls/s, CPU ${calls.sutCpu.toFixed(0)}%`);
  // A burst leaves work queued behind it (the platform's read models apply its call events
  // afterwards): the rate the system sustains counts that time too, and the delay is measured at
  // half of that rate, in a steady state, not on the tail of an overload.
  const drainS = (await sut.drained?.()) ?? 0;
  const sustained = { perSecond: calls.successful / (calls.seconds + drainS), drainS };
  log(
    `${sut.name}: ${sustained.perSecond.toFixed(0)} calls/s sustained (drained ${drainS.toFixed(1)} s after the burst)`,
  );
  const half = Math.max(1, Math.floor(sustained.perSecond / 2));
  log(`${sut.name}: post-dial delay at ${half} calls/s`);
  const before = await sut.postDialBuckets?.();
  const paced = await callRate(sut, options, half, half * options.seconds);
  const after = await sut.postDialBuckets?.();
  const inside = before && after ? bucketPercentiles(before, after) : undefined;
  const delay: DelayResult = {
    system: sut.name,
    insideP50Ms: inside?.p50Ms,
    insideP99Ms: inside?.p99Ms,
    rate: half,
    calls: paced.result.successful,
    failed: paced.result.failed,
    p50Ms: percentile(paced.rtdMs, 50),
    p99Ms: percentile(paced.rtdMs, 99),
  };
  return { register, calls, sustained, delay };
}

/**
 * Waits (at most 300 s) until the platform's projections are idle: the events they applied
 * unchanged for a second. Returns the seconds waited.
 */
async function projectionsDrained(databaseUrl: string): Promise<number> {
  const started = performance.now();
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let last = '';
    while (performance.now() - started < 300_000) {
      const { rows } = await client.query<{ applied: string }>(
        'SELECT coalesce(sum(events_applied), 0)::text AS applied FROM pbx_projection_checkpoints',
      );
      if (rows[0].applied === last) break;
      last = rows[0].applied;
      await sleep(1_000);
    }
  } finally {
    await client.end();
  }
  // The last second only confirmed that nothing moved.
  return Math.max(0, (performance.now() - started) / 1000 - 1);
}

/** p50/p99 of a cumulative Prometheus histogram between two scrapes, as bucket upper bounds. */
function bucketPercentiles(
  before: Map<number, number>,
  after: Map<number, number>,
): { p50Ms: number; p99Ms: number } {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  const at = (q: number): number => {
    for (const le of bounds) {
      if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= q * total) return le * 1000;
    }
    return Infinity;
  };
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** Post-dial delay with no proxy: the caller's sipp straight to the callee's sipp. */
async function directDelay(rate: number, options: Options): Promise<DelayResult> {
  const port = await freePort();
  const calls = rate * options.seconds;
  const callee = spawn(
    'taskset',
    [
      '-c',
      '0',
      'sipp',
      '-sf',
      join(BENCH_SCENARIOS, 'uas-answer.xml'),
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-m',
      String(calls),
      '-t',
      'u1',
      '-nostdin',
      '-nd',
    ],
    { stdio: 'ignore' },
  );
  await sleep(300);
  // The caller's scenario expects a 407 first; without a proxy the callee never sends one, so
  // the direct baseline uses a scenario without the challenge.
  const scenario = join(tmpdir(), `bench-uac-direct-${process.pid}.xml`);
  const uac = readFileSync(join(BENCH_SCENARIOS, 'uac-invite.xml'), 'utf8');
  writeFileSync(scenario, withoutChallenge(uac));
  const run = await runSipp({
    scenario,
    remote: `127.0.0.1:${port}`,
    port: await freePort(),
    rows: [['caller', DOMAIN, '', CALLEE]],
    calls,
    rate,
    timeoutS: options.seconds * 6,
    rtt: true,
  });
  callee.kill('SIGKILL');
  rmSync(scenario, { force: true });
  return {
    system: 'direct (no proxy)',
    rate,
    calls: run.successful,
    failed: run.failed,
    p50Ms: percentile(run.rtdMs, 50),
    p99Ms: percentile(run.rtdMs, 99),
  };
}

/** The bench call scenario minus its 407 round (first INVITE, 100, 407, ACK). */
function withoutChallenge(xml: string): string {
  const second = xml.indexOf('<send retrans="500" start_rtd="pdd">');
  const first = xml.indexOf('<send retrans="500">');
  if (first === -1 || second === -1) throw new Error('unexpected bench scenario layout');
  return xml.slice(0, first) + xml.slice(second).replace(/^\s*\[field2\]\n/m, '');
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : '-');

function rateRows(label: string, a: RateResult, b: RateResult): string[][] {
  return [
    [
      label,
      'platform',
      fmt(a.perSecond),
      fmt(a.failed),
      fmt(a.sutCpu),
      fmt(a.sippCpu),
      fmt((a.perSecond / Math.max(a.sutCpu, 1)) * 100),
    ],
    [
      '',
      'kamailio',
      fmt(b.perSecond),
      fmt(b.failed),
      fmt(b.sutCpu),
      fmt(b.sippCpu),
      fmt((b.perSecond / Math.max(b.sutCpu, 1)) * 100),
    ],
    [
      '',
      'ratio',
      `${fmt(a.perSecond / b.perSecond, 2)}x`,
      '',
      '',
      '',
      `${fmt(a.perSecond / Math.max(a.sutCpu, 1) / (b.perSecond / Math.max(b.sutCpu, 1)), 2)}x`,
    ],
  ];
}

/** `--only register`: the REGISTER rate of the platform and Kamailio, nothing else. */
async function registerOnly(options: Options): Promise<void> {
  const platform = await startPlatform(options);
  let ours: RateResult;
  try {
    ours = await measureRegister(platform, options);
  } finally {
    await platform.stop();
    await platform.drop();
  }
  const kamailio = await startKamailio();
  let theirs: RateResult;
  try {
    theirs = await measureRegister(kamailio, options);
  } finally {
    await kamailio.stop();
  }
  if (!options.json)
    process.stdout.write(
      `${table([
        ['test', 'system', 'per second', 'failed', 'SUT CPU %', 'sipp CPU %', 'per core-second'],
        ...rateRows('REGISTER (digest)', ours, theirs),
      ])}\n`,
    );
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({ ours: { register: ours }, theirs: { register: theirs }, loadAverage: loadavg() })}\n`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  CALLEE = String(2000 + options.users);
  for (const tool of ['sipp', 'kamailio', 'rtpengine', 'taskset']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `${tool} is needed (apt-get install sip-tester kamailio rtpengine-daemon util-linux)`,
      );
    }
  }
  if (!existsSync(join(ROOT, 'dist'))) throw new Error('run `npm run build` first');
  log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const unpinDatabase = pinDatabaseBesideSipp();
  try {
    await (options.registerOnly ? registerOnly(options) : sideBySide(options));
  } finally {
    unpinDatabase();
  }
}

async function sideBySide(options: Options): Promise<void> {
  const platform = await startPlatform(options);
  let ours;
  try {
    ours = await measure(platform, options);
  } finally {
    await platform.stop();
    await platform.drop();
  }
  const kamailio = await startKamailio();
  let theirs;
  try {
    theirs = await measure(kamailio, options);
  } finally {
    await kamailio.stop();
  }
  const direct = await directDelay(ours.delay.rate, options);
  const out = [
    table([
      ['test', 'system', 'per second', 'failed', 'SUT CPU %', 'sipp CPU %', 'per core-second'],
      ...rateRows('REGISTER (digest)', ours.register, theirs.register),
      ...rateRows('calls (media anchored)', ours.calls, theirs.calls),
    ]),
    '',
    table([
      ['calls sustained', 'calls/s', 'drained after the burst (s)'],
      ['platform', fmt(ours.sustained.perSecond), fmt(ours.sustained.drainS, 1)],
      ['kamailio', fmt(theirs.sustained.perSecond), fmt(theirs.sustained.drainS, 1)],
      ['ratio', `${fmt(ours.sustained.perSecond / theirs.sustained.perSecond, 2)}x`, ''],
    ]),
    '',
    table([
      ['post-dial delay', 'calls/s', 'calls', 'failed', 'p50 ms', 'p99 ms', 'inside p50/p99 ms'],
      ...[ours.delay, theirs.delay, direct].map((d) => [
        d.system,
        fmt(d.rate),
        fmt(d.calls),
        fmt(d.failed),
        fmt(d.p50Ms, 2),
        fmt(d.p99Ms, 2),
        d.insideP50Ms === undefined
          ? ''
          : `<=${fmt(d.insideP50Ms, 2)} / <=${fmt(d.insideP99Ms ?? NaN, 2)}`,
      ]),
    ]),
  ].join('\n');
  const result = { ours, theirs, direct, loadAverage: loadavg() };
  if (!options.json) process.stdout.write(`${out}\n`);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
