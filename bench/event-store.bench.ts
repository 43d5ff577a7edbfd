/**
 * Event store and outbox relay benchmark against a real PostgreSQL (no Jest).
 *
 *   source scripts/test-services.sh        # exports DATABASE_URL
 *   npm run build && node dist/bench/event-store.bench.js [options]
 *
 * Options:
 *   --seconds N          measured duration of each phase (default 10)
 *   --warmup N           warm-up before each phase, not measured (default 2)
 *   --writers N          concurrent writers of the multi-writer phases (default 8)
 *   --rate N             total paced append rate of the relay phase, events/s (default 2000)
 *   --sync-commit off    also run the append phases with synchronous_commit=off for the session,
 *                        as clearly labelled comparison lines (the headline numbers always use
 *                        the server's default)
 *   --json               print only the JSON result (one line) on stdout
 *
 * A fresh database is created through DATABASE_URL for the run and dropped at the end, also on
 * an error, a timeout or SIGINT/SIGTERM. Progress goes to stderr; stdout carries the table and a
 * `BENCH_RESULT {...}` line. Exit codes: 0 done (goals met or not), 1 failure (including an event
 * not relayed exactly once), 2 usage (no DATABASE_URL, bad flags), 130 interrupted.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import {
  AppendListeners,
  EventStoreSchema1764028800000,
  InProcessEventBus,
  OutboxRelay,
  PostgresEventStore,
  type BusMessage,
  type EventBus,
  type NewEvent,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '@pbx/events';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';

const EVENT_TYPE = 'pbx.provisioning.v1.TenantRenamed';
const SOURCE = '/pbx/bench';
const PAYLOAD_BYTES = 200;
const BATCH_EVENTS = 10;
const STREAMS_PER_WRITER = 32;
/** As the platform's DatabaseConnection default. */
const POOL_SIZE = 20;
const GOAL_EVENTS_PER_SECOND = 5000;
const GOAL_RELAY_P99_MS = 50;
const DRAIN_TIMEOUT_MS = 30_000;
const STEP_TIMEOUT_MS = 15_000;

class UsageError extends Error {}
class BenchError extends Error {}

interface Options {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly writers: number;
  readonly rate: number;
  readonly syncCommitOff: boolean;
  readonly json: boolean;
}

interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

interface WalStats {
  readonly records: number;
  readonly bytes: number;
  readonly syncs: number;
}

interface CpuMark {
  readonly client: NodeJS.CpuUsage;
  readonly at: number;
  readonly machine: { readonly busy: number; readonly total: number } | null;
}

interface CpuUse {
  /** CPU time of this Node process over wall time; 100 = one core busy. */
  readonly benchProcessPercentOfOneCore: number;
  /** The whole machine from /proc/stat (PostgreSQL, this process, everyone else); 100 = all. */
  readonly machineBusyPercent: number | null;
}

interface AppendPhaseResult {
  readonly name: string;
  readonly writers: number;
  readonly eventsPerAppend: number;
  readonly synchronousCommit: string;
  readonly comparisonOnly: boolean;
  readonly measuredSeconds: number;
  readonly appends: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly appendsPerSecond: number;
  readonly appendLatencyMs: LatencySummary;
  /** Cluster-wide (pg_stat_wal), so other databases' traffic is included: indicative only. */
  readonly walSyncsPerAppend: number | null;
  readonly walBytesPerEvent: number | null;
  readonly cpu: CpuUse;
}

interface RelayPhaseResult {
  readonly writers: number;
  readonly targetEventsPerSecond: number;
  readonly achievedEventsPerSecond: number;
  readonly measuredSeconds: number;
  readonly eventsAppended: number;
  readonly eventsRelayed: number;
  readonly measuredEvents: number;
  readonly relayBatches: number;
  readonly meanBatchSize: number;
  readonly relayFailures: number;
  readonly cpu: CpuUse;
  readonly appendLatencyMs: LatencySummary;
  /** Append call resolved → relay observer called (after publish and checkpoint). */
  readonly lagFromAppendReturnMs: LatencySummary;
  /** Observer's publishedAt − the event's time (set by the store just before its INSERT). */
  readonly lagFromEventTimeMs: LatencySummary;
  readonly exactlyOnce: {
    readonly ok: boolean;
    readonly missing: number;
    readonly duplicated: number;
    readonly unexpected: number;
    readonly busMessages: number;
  };
}

interface ProbeResult {
  readonly name: string;
  readonly sql: string;
  readonly latencyMs: LatencySummary;
}

interface Environment {
  readonly node: string;
  readonly platform: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly postgres: string;
  readonly settings: Record<string, string>;
}

interface BenchResult {
  readonly startedAt: string;
  readonly options: Options;
  readonly environment: Environment;
  readonly probes: readonly ProbeResult[];
  readonly appends: readonly AppendPhaseResult[];
  readonly relay: RelayPhaseResult;
  readonly goals: {
    readonly appendEventsPerSecond: { target: number; measured: number; met: boolean };
    readonly relayLagP99Ms: { target: number; measured: number; met: boolean };
  };
}

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE =
  'usage: node dist/bench/event-store.bench.js [--seconds N] [--warmup N] [--writers N] ' +
  '[--rate N] [--sync-commit off] [--json]\n' +
  '  needs DATABASE_URL (source scripts/test-services.sh); see bench/event-store.bench.ts';

function parseOptions(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--json' || flag === '--help' || flag === '-h') {
      flags.add(flag);
    } else if (['--seconds', '--warmup', '--rate', '--sync-commit', '--writers'].includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      values.set(flag, value);
    } else {
      throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  const positive = (flag: string, fallback: number, min: number): number => {
    const raw = values.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag} must be a number ≥ ${min}`);
    return n;
  };
  const syncCommit = values.get('--sync-commit') ?? 'on';
  if (syncCommit !== 'on' && syncCommit !== 'off') {
    throw new UsageError('--sync-commit must be "off" (or "on", the default)');
  }
  const writers = positive('--writers', 8, 1);
  if (!Number.isInteger(writers) || writers > POOL_SIZE - 2) {
    throw new UsageError(`--writers must be an integer from 1 to ${POOL_SIZE - 2}`);
  }
  return {
    seconds: positive('--seconds', 10, 0.5),
    warmupSeconds: positive('--warmup', 2, 0),
    rate: positive('--rate', 2000, 1),
    writers,
    syncCommitOff: syncCommit === 'off',
    json: flags.has('--json'),
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    p50: round(rank(50)),
    p99: round(rank(99)),
    max: round(sorted[sorted.length - 1]),
    mean: round(sum / sorted.length),
  };
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
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

/** The streams one writer owns, appended to round-robin with the right expected version. */
class WriterStreams {
  readonly #streams: { id: string; version: number }[];
  #next = 0;

  constructor(tag: string, writer: number) {
    this.#streams = Array.from({ length: STREAMS_PER_WRITER }, (_, i) => ({
      id: `tenant-${tag}-w${writer}-s${i}`,
      version: 0,
    }));
  }

  next(): { id: string; version: number } {
    const stream = this.#streams[this.#next];
    this.#next = (this.#next + 1) % this.#streams.length;
    return stream;
  }
}

function newEvents(count: number, tenant: string, payload: Uint8Array): NewEvent[] {
  return Array.from({ length: count }, () => ({ type: EVENT_TYPE, tenant, data: payload }));
}

function payloadFor(writer: number): Uint8Array {
  // Not compressible in any useful way, and below PostgreSQL's TOAST threshold, as real events.
  const bytes = new Uint8Array(PAYLOAD_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + writer * 17 + 7) & 0xff;
  return bytes;
}

function machineTicks(): CpuMark['machine'] {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const ticks = fields.slice(1, 9).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = ticks[3] + ticks[4];
    return Number.isFinite(total) && total > 0 ? { busy: total - idle, total } : null;
  } catch {
    return null;
  }
}

function markCpu(): CpuMark {
  return { client: process.cpuUsage(), at: performance.now(), machine: machineTicks() };
}

function cpuSince(mark: CpuMark): CpuUse {
  const client = process.cpuUsage(mark.client);
  const wallUs = (performance.now() - mark.at) * 1000;
  const machine = machineTicks();
  return {
    benchProcessPercentOfOneCore: round(((client.user + client.system) / wallUs) * 100, 1),
    machineBusyPercent:
      mark.machine && machine && machine.total > mark.machine.total
        ? round(
            ((machine.busy - mark.machine.busy) / (machine.total - mark.machine.total)) * 100,
            1,
          )
        : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Database

async function resetStore(db: DataSource): Promise<void> {
  await db.query('TRUNCATE pbx_events, pbx_streams, pbx_relay_checkpoints RESTART IDENTITY');
  await db.query('VACUUM ANALYZE pbx_events');
  await db.query('VACUUM ANALYZE pbx_streams');
}

async function readWal(db: DataSource): Promise<WalStats | null> {
  try {
    const [row] = (await db.query(
      'SELECT wal_records::text AS records, wal_bytes::text AS bytes, wal_sync::text AS syncs FROM pg_stat_wal',
    )) as { records: string; bytes: string; syncs: string }[];
    return { records: Number(row.records), bytes: Number(row.bytes), syncs: Number(row.syncs) };
  } catch {
    return null;
  }
}

async function showSetting(db: DataSource, name: string): Promise<string> {
  const [row] = (await db.query(`SELECT current_setting($1) AS value`, [name])) as {
    value: string;
  }[];
  return row.value;
}

async function openSyncOffDataSource(url: string): Promise<DataSource> {
  const db = new DataSource({
    type: 'postgres',
    url,
    // A libpq startup option: every connection of the pool gets it for its session.
    extra: { max: POOL_SIZE, options: '-c synchronous_commit=off' },
    logging: false,
  });
  await db.initialize();
  const value = await showSetting(db, 'synchronous_commit');
  if (value !== 'off') throw new BenchError(`synchronous_commit is "${value}", expected "off"`);
  return db;
}

async function probe(
  db: DataSource,
  name: string,
  sql: string,
  iterations: number,
): Promise<ProbeResult> {
  for (let i = 0; i < 20; i++) await db.query(sql);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await db.query(sql);
    samples.push(performance.now() - start);
  }
  return { name, sql, latencyMs: summarize(samples) };
}

/**
 * The server's share of an append: pbx_append_to_stream called in a loop inside one statement, so
 * with no round trip, no statement parse and no commit. Reported as one "sample" per run.
 */
async function probeServerSideAppend(db: DataSource, appends: number): Promise<ProbeResult> {
  const sql = `DO $$ BEGIN
      FOR i IN 1..${appends} LOOP
        PERFORM pbx_append_to_stream('probe-' || i, 'version', 0, ARRAY[gen_random_uuid()],
          ARRAY['${EVENT_TYPE}'], ARRAY['pbx.provisioning.v1'], '${SOURCE}', ARRAY['t'],
          ARRAY[now()], ARRAY[decode(repeat('ab', ${PAYLOAD_BYTES}), 'hex')]);
      END LOOP;
    END $$`;
  const samples: number[] = [];
  for (let run = 0; run < 3; run++) {
    await db.query('TRUNCATE pbx_events, pbx_streams');
    const start = performance.now();
    await db.query(sql);
    samples.push((performance.now() - start) / appends);
  }
  return {
    name: 'server-side append only (plpgsql loop)',
    sql: `pbx_append_to_stream × ${appends} in one DO block`,
    latencyMs: summarize(samples),
  };
}

// ---------------------------------------------------------------------------------------------
// Phases 1 and 2: append throughput

interface AppendPhaseSpec {
  readonly name: string;
  readonly tag: string;
  readonly db: DataSource;
  readonly writers: number;
  readonly eventsPerAppend: number;
  readonly comparisonOnly: boolean;
}

async function runAppendPhase(
  spec: AppendPhaseSpec,
  options: Options,
  signal: AbortSignal,
): Promise<AppendPhaseResult> {
  progress(`${spec.name}: ${options.warmupSeconds} s warm-up + ${options.seconds} s`);
  await resetStore(spec.db);
  const synchronousCommit = await showSetting(spec.db, 'synchronous_commit');
  const store = new PostgresEventStore(spec.db, SOURCE);
  const startAt = performance.now();
  const measureFrom = startAt + options.warmupSeconds * 1000;
  const endAt = measureFrom + options.seconds * 1000;
  const latencies: number[] = [];
  let appends = 0;
  let events = 0;
  const atMeasureStart = (async (): Promise<{ wal: WalStats | null; cpu: CpuMark }> => {
    await sleep(measureFrom - performance.now());
    return { wal: await readWal(spec.db), cpu: markCpu() };
  })();

  const writer = async (w: number): Promise<void> => {
    const streams = new WriterStreams(spec.tag, w);
    const payload = payloadFor(w);
    const tenant = `tenant-${w}`;
    while (!signal.aborted) {
      const start = performance.now();
      if (start >= endAt) return;
      const stream = streams.next();
      const result = await store.append(
        stream.id,
        newEvents(spec.eventsPerAppend, tenant, payload),
        stream.version,
      );
      const end = performance.now();
      stream.version = result.nextExpectedVersion;
      // Counted by completion inside the window, so the rate is not biased at either edge.
      if (end >= measureFrom && end <= endAt) {
        latencies.push(end - start);
        appends++;
        events += spec.eventsPerAppend;
      }
    }
  };
  let cpu: CpuUse | undefined;
  const [start] = await withTimeout(
    Promise.all([
      atMeasureStart,
      ...Array.from({ length: spec.writers }, (_, w) => writer(w)),
      (async (): Promise<void> => {
        const mark = await atMeasureStart;
        await sleep(endAt - performance.now());
        cpu = cpuSince(mark.cpu);
      })(),
    ]),
    endAt - startAt + STEP_TIMEOUT_MS,
    spec.name,
  );
  const walAfter = await readWal(spec.db);
  const wal = start?.wal && walAfter ? { before: start.wal, after: walAfter } : undefined;
  const seconds = (endAt - measureFrom) / 1000;
  return {
    name: spec.name,
    writers: spec.writers,
    eventsPerAppend: spec.eventsPerAppend,
    synchronousCommit,
    comparisonOnly: spec.comparisonOnly,
    measuredSeconds: seconds,
    appends,
    events,
    eventsPerSecond: round(events / seconds, 1),
    appendsPerSecond: round(appends / seconds, 1),
    appendLatencyMs: summarize(latencies),
    walSyncsPerAppend:
      wal && appends > 0 ? round((wal.after.syncs - wal.before.syncs) / appends) : null,
    walBytesPerEvent:
      wal && events > 0 ? round((wal.after.bytes - wal.before.bytes) / events, 0) : null,
    cpu: cpu ?? cpuSince(markCpu()),
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 3: relay lag

/** Hands everything to the in-process bus and counts each event id that reached it. */
class CountingBus implements EventBus {
  readonly published = new Map<string, number>();
  messages = 0;

  constructor(private readonly inner: EventBus) {}

  async publish(messages: readonly BusMessage[]): Promise<void> {
    await this.inner.publish(messages);
    this.messages += messages.length;
    for (const m of messages)
      this.published.set(m.event.id, (this.published.get(m.event.id) ?? 0) + 1);
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.inner.subscribe(options);
  }

  isReady(): Promise<boolean> {
    return this.inner.isReady();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

interface RelayResources {
  relay?: OutboxRelay;
  bus?: EventBus;
}

async function runRelayPhase(
  db: DataSource,
  options: Options,
  signal: AbortSignal,
  resources: RelayResources,
): Promise<RelayPhaseResult> {
  const writers = options.writers;
  progress(
    `relay lag: ${writers} writers paced at ${options.rate} events/s, ` +
      `${options.warmupSeconds} s warm-up + ${options.seconds} s`,
  );
  await resetStore(db);
  const appended = new AppendListeners();
  const store = new PostgresEventStore(db, SOURCE, appended);
  const bus = new CountingBus(new InProcessEventBus());
  resources.bus = bus;

  const appendReturnedAt = new Map<string, number>();
  const measured = new Set<string>();
  const relayedAt = new Map<string, number>();
  const relayCount = new Map<string, number>();
  const lagFromEventTime = new Map<string, number>();
  let relayBatches = 0;
  let relayedEvents = 0;
  const failures: string[] = [];

  // The platform's relay as run-platform.ts builds it: defaults, woken by the store's appends.
  const relay = new OutboxRelay(db, bus, appended, {
    name: 'bench',
    observer: {
      relayed(events: readonly StoredEvent[], publishedAt: Date): void {
        const now = performance.now();
        relayBatches++;
        relayedEvents += events.length;
        for (const event of events) {
          const seen = relayCount.get(event.id) ?? 0;
          relayCount.set(event.id, seen + 1);
          if (seen === 0) {
            relayedAt.set(event.id, now);
            lagFromEventTime.set(event.id, publishedAt.getTime() - event.time.getTime());
          }
        }
      },
      failed(error: unknown): void {
        failures.push((error as Error).message);
      },
    },
  });
  resources.relay = relay;
  relay.start();
  await withTimeout(
    (async (): Promise<void> => {
      while (!relay.isLeader) await sleep(5);
    })(),
    STEP_TIMEOUT_MS,
    'the relay taking the lead',
  );

  const startAt = performance.now();
  const measureFrom = startAt + options.warmupSeconds * 1000;
  const endAt = measureFrom + options.seconds * 1000;
  const intervalMs = (1000 * writers) / options.rate;
  const latencies: number[] = [];
  let measuredAppended = 0;

  const writer = async (w: number): Promise<void> => {
    const streams = new WriterStreams('relay', w);
    const payload = payloadFor(w);
    const tenant = `tenant-${w}`;
    // Writers are staggered across one interval so the total rate is smooth.
    for (let k = 0; !signal.aborted; k++) {
      const due = startAt + (w / writers) * intervalMs + k * intervalMs;
      if (due >= endAt) return;
      const wait = due - performance.now();
      if (wait >= 1) await sleep(wait);
      const start = performance.now();
      const stream = streams.next();
      const result = await store.append(stream.id, newEvents(1, tenant, payload), stream.version);
      const end = performance.now();
      stream.version = result.nextExpectedVersion;
      const inWindow = end >= measureFrom && end <= endAt;
      if (inWindow) {
        latencies.push(end - start);
        measuredAppended += result.events.length;
      }
      for (const event of result.events) {
        appendReturnedAt.set(event.id, end);
        if (inWindow) measured.add(event.id);
      }
    }
  };
  let cpu: CpuUse | undefined;
  await withTimeout(
    Promise.all([
      ...Array.from({ length: writers }, (_, w) => writer(w)),
      (async (): Promise<void> => {
        await sleep(measureFrom - performance.now());
        const mark = markCpu();
        await sleep(endAt - performance.now());
        cpu = cpuSince(mark);
      })(),
    ]),
    endAt - startAt + STEP_TIMEOUT_MS,
    'relay phase writers',
  );

  progress(`relay lag: waiting for the relay to drain ${appendReturnedAt.size} events`);
  const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
  const allRelayed = (): boolean => {
    for (const id of appendReturnedAt.keys()) if (!relayCount.has(id)) return false;
    return true;
  };
  while (!allRelayed() && performance.now() < drainDeadline && !signal.aborted) await sleep(20);
  // A few more relay cycles, so a duplicate delivery would show.
  await sleep(500);
  await withTimeout(relay.stop(), STEP_TIMEOUT_MS, 'stopping the relay');
  resources.relay = undefined;

  let missing = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const id of appendReturnedAt.keys()) {
    const n = relayCount.get(id) ?? 0;
    const onBus = bus.published.get(id) ?? 0;
    if (n === 0 || onBus === 0) missing++;
    else if (n > 1 || onBus > 1) duplicated++;
  }
  for (const id of relayCount.keys()) if (!appendReturnedAt.has(id)) unexpected++;
  for (const id of bus.published.keys()) if (!appendReturnedAt.has(id)) unexpected++;

  const lagFromReturn: number[] = [];
  const lagFromTime: number[] = [];
  for (const id of measured) {
    const published = relayedAt.get(id);
    const returned = appendReturnedAt.get(id);
    if (published !== undefined && returned !== undefined) lagFromReturn.push(published - returned);
    const fromTime = lagFromEventTime.get(id);
    if (fromTime !== undefined) lagFromTime.push(fromTime);
  }
  const seconds = (endAt - measureFrom) / 1000;
  await withTimeout(bus.close(), STEP_TIMEOUT_MS, 'closing the bus');
  resources.bus = undefined;
  return {
    writers,
    targetEventsPerSecond: options.rate,
    achievedEventsPerSecond: round(measuredAppended / seconds, 1),
    measuredSeconds: seconds,
    eventsAppended: appendReturnedAt.size,
    eventsRelayed: relayedEvents,
    measuredEvents: measured.size,
    relayBatches,
    meanBatchSize: relayBatches > 0 ? round(relayedEvents / relayBatches, 1) : 0,
    relayFailures: failures.length,
    cpu: cpu ?? cpuSince(markCpu()),
    appendLatencyMs: summarize(latencies),
    lagFromAppendReturnMs: summarize(lagFromReturn),
    lagFromEventTimeMs: summarize(lagFromTime),
    exactlyOnce: {
      ok: missing === 0 && duplicated === 0 && unexpected === 0,
      missing,
      duplicated,
      unexpected,
      busMessages: bus.messages,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Output

function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return '-';
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

function renderTable(result: BenchResult): string {
  const env = result.environment;
  const lines: string[] = [];
  lines.push(
    `Event store benchmark — ${result.options.seconds} s per phase after ` +
      `${result.options.warmupSeconds} s warm-up; ${PAYLOAD_BYTES}-byte ${EVENT_TYPE}`,
  );
  lines.push(
    `node ${env.node}, ${env.cpuCount} CPUs (${env.cpuModel}), load ${env.loadAverageStart
      .map((n) => n.toFixed(2))
      .join(' ')} → ${env.loadAverageEnd.map((n) => n.toFixed(2)).join(' ')}`,
  );
  lines.push(env.postgres);
  lines.push(
    'server: ' +
      Object.entries(env.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
  );
  lines.push('');
  const widths = [42, 9, 9, 7, 7, 7, 9, 6, 6, 24];
  lines.push(
    row(
      [
        'append phase',
        'events/s',
        'appends/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'syncs/app',
        'node%',
        'host%',
        'goal',
      ],
      widths,
    ),
  );
  lines.push('-'.repeat(widths.reduce((a, b) => a + b + 2, -2)));
  const headline = result.goals.appendEventsPerSecond;
  for (const phase of result.appends) {
    const isHeadline =
      !phase.comparisonOnly &&
      phase.eventsPerAppend === 1 &&
      phase.writers === result.options.writers;
    const goal = phase.comparisonOnly
      ? 'comparison only'
      : isHeadline
        ? `≥ ${fmt(headline.target, 0)} ev/s: ${headline.met ? 'MET' : 'MISSED'}`
        : '';
    lines.push(
      row(
        [
          phase.name,
          fmt(phase.eventsPerSecond, 0),
          fmt(phase.appendsPerSecond, 0),
          fmt(phase.appendLatencyMs.p50),
          fmt(phase.appendLatencyMs.p99),
          fmt(phase.appendLatencyMs.max, 1),
          phase.walSyncsPerAppend === null ? '-' : fmt(phase.walSyncsPerAppend),
          fmt(phase.cpu.benchProcessPercentOfOneCore, 0),
          fmt(phase.cpu.machineBusyPercent ?? NaN, 0),
          goal,
        ],
        widths,
      ),
    );
  }
  const relay = result.relay;
  const lagGoal = result.goals.relayLagP99Ms;
  lines.push('');
  lines.push(
    `relay lag — ${relay.writers} writers paced at ${fmt(relay.targetEventsPerSecond, 0)} ev/s ` +
      `(achieved ${fmt(relay.achievedEventsPerSecond, 0)} ev/s, append p50 ` +
      `${fmt(relay.appendLatencyMs.p50)} / p99 ${fmt(relay.appendLatencyMs.p99)} ms); ` +
      `${fmt(relay.eventsRelayed, 0)} events relayed in ${fmt(relay.relayBatches, 0)} batches ` +
      `(mean ${fmt(relay.meanBatchSize, 1)}), ${relay.relayFailures} relay failures; ` +
      `node ${fmt(relay.cpu.benchProcessPercentOfOneCore, 0)}% of a core, host ` +
      `${fmt(relay.cpu.machineBusyPercent ?? NaN, 0)}% busy`,
  );
  const lagWidths = [42, 9, 9, 7, 7, 24];
  lines.push(row(['lag', 'events', 'p50 ms', 'p99 ms', 'max ms', 'goal'], lagWidths));
  lines.push('-'.repeat(lagWidths.reduce((a, b) => a + b + 2, -2)));
  lines.push(
    row(
      [
        'append resolved → relay published',
        fmt(relay.lagFromAppendReturnMs.count, 0),
        fmt(relay.lagFromAppendReturnMs.p50),
        fmt(relay.lagFromAppendReturnMs.p99),
        fmt(relay.lagFromAppendReturnMs.max, 1),
        `p99 < ${lagGoal.target} ms: ${lagGoal.met ? 'MET' : 'MISSED'}`,
      ],
      lagWidths,
    ),
  );
  lines.push(
    row(
      [
        'event time → observer publishedAt',
        fmt(relay.lagFromEventTimeMs.count, 0),
        fmt(relay.lagFromEventTimeMs.p50),
        fmt(relay.lagFromEventTimeMs.p99),
        fmt(relay.lagFromEventTimeMs.max, 1),
        '',
      ],
      lagWidths,
    ),
  );
  const once = relay.exactlyOnce;
  lines.push(
    once.ok
      ? `exactly once: OK — all ${fmt(relay.eventsAppended, 0)} appended events relayed once`
      : `exactly once: FAILED — ${once.missing} missing, ${once.duplicated} duplicated, ` +
          `${once.unexpected} unexpected`,
  );
  lines.push('');
  lines.push('probes (1 client, sequential)');
  for (const p of result.probes) {
    lines.push(
      `  ${p.name.padEnd(44)} p50 ${fmt(p.latencyMs.p50)} ms  p99 ${fmt(p.latencyMs.p99)} ms`,
    );
  }
  lines.push(
    'syncs/app: WAL fsyncs per append (pg_stat_wal, cluster-wide: other databases count too).',
  );
  lines.push(
    'node%: CPU of this bench process (100 = one core); host%: whole machine busy (100 = all CPUs).',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function environment(db: DataSource, loadStart: readonly number[]): Promise<Environment> {
  const [version] = (await db.query('SELECT version() AS version')) as { version: string }[];
  const names = [
    'synchronous_commit',
    'fsync',
    'wal_sync_method',
    'commit_delay',
    'shared_buffers',
    'max_connections',
  ];
  const rows = (await db.query(
    'SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY($1) ORDER BY name',
    [names],
  )) as { name: string; value: string }[];
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpuCount: availableParallelism(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    loadAverageStart: loadStart.map((n) => round(n, 2)),
    loadAverageEnd: loadavg().map((n) => round(n, 2)),
    postgres: version.version,
    settings: Object.fromEntries(rows.map((r) => [r.name, r.value])),
  };
}

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
      if (error.message) process.stderr.write(`bench: ${error.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (!process.env.DATABASE_URL) {
    process.stderr.write(
      'bench: DATABASE_URL is not set. Start PostgreSQL and export it first:\n' +
        '  source scripts/test-services.sh\n' +
        '  npm run build && node dist/bench/event-store.bench.js\n',
    );
    return 2;
  }

  const loadStart = loadavg();
  const startedAt = new Date().toISOString();
  const controller = new AbortController();
  const { signal } = controller;
  const relayResources: RelayResources = {};
  let database: TestDatabase | undefined;
  let db: DataSource | undefined;
  let syncOffDb: DataSource | undefined;

  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaning ??= (async (): Promise<void> => {
      controller.abort();
      const step = async (what: string, action: () => Promise<unknown>): Promise<void> => {
        try {
          await withTimeout(action(), 10_000, what);
        } catch (error) {
          process.stderr.write(`bench: cleanup: ${what}: ${(error as Error).message}\n`);
        }
      };
      const { relay, bus } = relayResources;
      if (relay) await step('stopping the relay', () => relay.stop());
      if (bus) await step('closing the bus', () => bus.close());
      if (syncOffDb?.isInitialized) {
        const source = syncOffDb;
        await step('closing the comparison pool', () => source.destroy());
      }
      if (db?.isInitialized) {
        const source = db;
        await step('closing the pool', () => source.destroy());
      }
      if (database) {
        const dropping = database;
        await step(`dropping database ${dropping.name}`, () => dropping.drop());
      }
    })();
    return cleaning;
  };

  const budgetMs =
    (options.warmupSeconds + options.seconds) * 1000 * (options.syncCommitOff ? 6 : 4) +
    DRAIN_TIMEOUT_MS +
    120_000;
  const interrupt = (why: string, code: number): void => {
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

  try {
    database = await withTimeout(
      createTestDatabase('pbx_bench'),
      STEP_TIMEOUT_MS,
      'CREATE DATABASE',
    );
    progress(`database ${database.name}`);
    db = await withTimeout(
      openTestDataSource(database.url, [EventStoreSchema1764028800000], POOL_SIZE),
      STEP_TIMEOUT_MS,
      'opening the database',
    );
    // What an append costs at least: a round trip, and a commit that waits for its WAL flush.
    await db.query('CREATE TABLE bench_probe (id bigserial PRIMARY KEY, at timestamptz)');
    const insert = 'INSERT INTO bench_probe (at) VALUES (now())';
    const probes: ProbeResult[] = [
      await probe(db, 'round trip (SELECT 1)', 'SELECT 1', 500),
      await probe(db, 'round trip + commit (1-row INSERT)', insert, 500),
      await probeServerSideAppend(db, 2000),
    ];
    if (options.syncCommitOff) {
      syncOffDb = await openSyncOffDataSource(database.url);
      probes.push(await probe(syncOffDb, 'same, synchronous_commit=off', insert, 500));
    }

    const w = options.writers;
    const appends: AppendPhaseResult[] = [];
    const phases: AppendPhaseSpec[] = [
      {
        name: 'append, 1 writer × 1 event',
        tag: 'p1',
        db,
        writers: 1,
        eventsPerAppend: 1,
        comparisonOnly: false,
      },
      {
        name: `append, ${w} writers × 1 event`,
        tag: 'p2',
        db,
        writers: w,
        eventsPerAppend: 1,
        comparisonOnly: false,
      },
      {
        name: `append, ${w} writers × ${BATCH_EVENTS} events (batch)`,
        tag: 'p2b',
        db,
        writers: w,
        eventsPerAppend: BATCH_EVENTS,
        comparisonOnly: false,
      },
    ];
    if (syncOffDb) {
      phases.push(
        {
          name: '[sync_commit=off] 1 writer × 1 event',
          tag: 'c1',
          db: syncOffDb,
          writers: 1,
          eventsPerAppend: 1,
          comparisonOnly: true,
        },
        {
          name: `[sync_commit=off] ${w} writers × 1 event`,
          tag: 'c2',
          db: syncOffDb,
          writers: w,
          eventsPerAppend: 1,
          comparisonOnly: true,
        },
      );
    }
    for (const spec of phases) {
      const result = await runAppendPhase(spec, options, signal);
      progress(
        `  ${fmt(result.eventsPerSecond, 0)} events/s, p50 ${fmt(result.appendLatencyMs.p50)} ms, ` +
          `p99 ${fmt(result.appendLatencyMs.p99)} ms`,
      );
      appends.push(result);
    }

    const relay = await runRelayPhase(db, options, signal, relayResources);
    const headline = appends.find(
      (p) => !p.comparisonOnly && p.eventsPerAppend === 1 && p.writers === w,
    );
    const result: BenchResult = {
      startedAt,
      options,
      environment: await environment(db, loadStart),
      probes,
      appends,
      relay,
      goals: {
        appendEventsPerSecond: {
          target: GOAL_EVENTS_PER_SECOND,
          measured: headline?.eventsPerSecond ?? 0,
          met: (headline?.eventsPerSecond ?? 0) >= GOAL_EVENTS_PER_SECOND,
        },
        relayLagP99Ms: {
          target: GOAL_RELAY_P99_MS,
          measured: relay.lagFromAppendReturnMs.p99,
          met: relay.lagFromAppendReturnMs.p99 < GOAL_RELAY_P99_MS,
        },
      },
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(`${renderTable(result)}\n\nBENCH_RESULT ${JSON.stringify(result)}\n`);
    }
    if (!relay.exactlyOnce.ok) {
      process.stderr.write(
        `bench: ERROR: the relay did not deliver every appended event exactly once ` +
          `(${relay.exactlyOnce.missing} missing, ${relay.exactlyOnce.duplicated} duplicated, ` +
          `${relay.exactlyOnce.unexpected} unexpected)\n`,
      );
      return 1;
    }
    return 0;
  } catch (error) {
    if (signal.aborted) return 130;
    process.stderr.write(`bench: ERROR: ${(error as Error).stack ?? String(error)}\n`);
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
