/**
 * Call-event-to-webhook latency: calls at a steady rate through the standalone path (the event
 * store as routing appends, the outbox relay, the in-process bus, the fan-out projection, the
 * dispatcher) to a signed webhook on a receiver in its own process.
 *
 *   source scripts/test-services.sh        # exports DATABASE_URL
 *   npm run bench:webhooks -- [options]
 *
 * Options:
 *   --rate N       calls per second (default 20); each call appends CallStarted, then
 *                  CallAnswered 0.5-1.5 s later and CallEnded 1-4 s after that, as a call's
 *                  events happen (60 events/s in the steady state at 20 calls/s); the spread is
 *                  seeded, so every run has the same schedule
 *   --seconds N    measured duration (default 30), after a 3 s warm-up that is not measured
 *   --json         print only the JSON result
 *
 * Latency is measured per event, receiver arrival minus (a) the moment the bench called
 * append() ("from publication", high-resolution clock shared by both processes) and (b) the
 * event's CloudEvents `time` (set by the store, millisecond resolution). The run fails (exit 1)
 * if an event is lost, delivered twice, out of order within its call, or badly signed.
 * Goal: p99 < 100 ms. Exit codes: 0 done (goal met or not), 1 failure, 2 usage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { loadConfig, platformConfigSchema } from '@pbx/config';
import { PostgresEventStore, STREAM_DOES_NOT_EXIST, type NewEvent } from '@pbx/events';
import { eventsGatewayService, verifySignature } from '@pbx/events-gateway';
import { ApiTokenStore, createLogger, runPlatform, type RunningPlatform } from '@pbx/platform';
import {
  CallAnsweredSchema,
  CallDirection,
  CallEndCause,
  CallEndedSchema,
  CallSide,
  CallStartedSchema,
  TenantArchitecture,
  TenantCreatedSchema,
} from '@pbx/proto';
import { createTestDatabase, type TestDatabase } from '@pbx/testing';

const TENANT = 'bench';
const WARMUP_S = 3;
/** A call is answered 0.5-1.5 s after it starts and ends 1-4 s after that (seeded, per call). */
const ANSWER_AFTER_MS: readonly [number, number] = [500, 1500];
const TALK_MS: readonly [number, number] = [1000, 4000];
const LAST_EVENT_MS = ANSWER_AFTER_MS[1] + TALK_MS[1];
const DRAIN_TIMEOUT_MS = 20_000;
const GOAL_P99_MS = 100;
const SIGNATURE_SAMPLE = 50;

class UsageError extends Error {}
class BenchError extends Error {}

interface Options {
  readonly rate: number;
  readonly seconds: number;
  readonly json: boolean;
}

interface Arrival {
  readonly id: string;
  readonly at: number;
  readonly time: string;
  readonly type: string;
  readonly callId: string;
}

type Latency = Record<'count' | 'p50' | 'p95' | 'p99' | 'max', number>;

interface BenchResult {
  readonly bench: 'webhook-latency';
  readonly callsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly measuredSeconds: number;
  readonly elapsedSeconds: number;
  readonly events: number;
  readonly delivered: number;
  readonly signaturesChecked: number;
  readonly latencyFromAppendMs: Latency;
  readonly latencyFromEventTimeMs: Latency;
  readonly stagesMs: { readonly eventToQueued: Latency; readonly queuedToAcknowledged: Latency };
  readonly goalP99Ms: number;
  readonly goalMet: boolean;
  readonly problems: string[];
  readonly machine: {
    readonly cpus: number;
    readonly model: string | undefined;
    readonly loadAverageStart: number[];
    readonly loadAverageEnd: number[];
  };
}

interface Sample {
  readonly headers: Record<string, string>;
  readonly body: string;
}

const now = (): number => performance.timeOrigin + performance.now();

/** A small seeded generator (LCG), so that every run spreads the calls' events the same way. */
let seed = 20_251_125;
function between([low, high]: readonly [number, number]): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return low + Math.floor((seed / 2_147_483_648) * (high - low));
}

function parseOptions(argv: readonly string[]): Options {
  const options = { rate: 20, seconds: 30, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} needs a positive number`);
      return n;
    };
    if (flag === '--rate') options.rate = value();
    else if (flag === '--seconds') options.seconds = value();
    else if (flag === '--json') options.json = true;
    else throw new UsageError(`unknown option ${flag}`);
  }
  return options;
}

/** The receiver, in a process of its own so that it does not share the event loop measured. */
const RECEIVER = `
const { createServer } = require('node:http');
const { performance } = require('node:perf_hooks');
const arrivals = [];
const samples = [];
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = performance.timeOrigin + performance.now();
    const body = Buffer.concat(chunks).toString('utf8');
    const event = JSON.parse(body);
    arrivals.push({ id: event.id, at, time: event.time, type: event.type, callId: event.data.callId });
    if (samples.length < ${SIGNATURE_SAMPLE}) samples.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => { if (m === 'report') process.send({ arrivals, samples }); });
`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

function callEvent(
  type: 'started' | 'answered' | 'ended',
  callId: string,
): NewEvent & { id: string } {
  const at = timestampFromDate(new Date());
  const id = randomUUID();
  switch (type) {
    case 'started':
      return {
        id,
        tenant: TENANT,
        type: CallStartedSchema.typeName,
        data: toBinary(
          CallStartedSchema,
          create(CallStartedSchema, {
            callId,
            tenantId: TENANT,
            groupId: 'bench-hq',
            direction: CallDirection.INTERNAL,
            caller: { tenantId: TENANT, groupId: 'bench-hq', userId: '201', extension: '201' },
            callee: { tenantId: TENANT, groupId: 'bench-hq', userId: '202', extension: '202' },
            dialed: '202',
            startedAt: at,
          }),
        ),
      };
    case 'answered':
      return {
        id,
        tenant: TENANT,
        type: CallAnsweredSchema.typeName,
        data: toBinary(
          CallAnsweredSchema,
          create(CallAnsweredSchema, { callId, deviceId: 'bob', answeredAt: at }),
        ),
      };
    case 'ended':
      return {
        id,
        tenant: TENANT,
        type: CallEndedSchema.typeName,
        data: toBinary(
          CallEndedSchema,
          create(CallEndedSchema, {
            callId,
            cause: CallEndCause.NORMAL,
            by: CallSide.CALLER,
            endedAt: at,
          }),
        ),
      };
  }
}

async function startReceiver(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', RECEIVER], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new BenchError(`the receiver exited with ${code}`)));
  });
  return { child, port };
}

async function report(child: ChildProcess): Promise<{ arrivals: Arrival[]; samples: Sample[] }> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as { arrivals: Arrival[]; samples: Sample[] }));
    child.send('report');
  });
}

async function run(options: Options, log: (line: string) => void): Promise<BenchResult> {
  let database: TestDatabase | undefined;
  let platform: RunningPlatform | undefined;
  let receiver: ChildProcess | undefined;
  try {
    database = await createTestDatabase('pbx_bench');
    const config = loadConfig(platformConfigSchema, {
      DATABASE_URL: database.url,
      PBX_HTTP_HOST: '127.0.0.1',
      PBX_OPERATOR_TOKEN: randomUUID(),
      LOG_LEVEL: 'warn',
      PBX_WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    });
    platform = await runPlatform({
      name: 'webhook-bench',
      services: [eventsGatewayService],
      config: { ...config, httpPort: 0 },
      log: createLogger({ level: 'warn', service: 'webhook-bench' }),
      databaseUrl: database.url,
    });
    await platform.started;
    const store = new PostgresEventStore(
      platform.parts.database.dataSource,
      '/pbx/routing',
      platform.parts.appended,
    );
    await new PostgresEventStore(
      platform.parts.database.dataSource,
      '/pbx/provisioning',
      platform.parts.appended,
    ).append(
      `tenant-${TENANT}`,
      [
        {
          type: TenantCreatedSchema.typeName,
          tenant: TENANT,
          data: toBinary(
            TenantCreatedSchema,
            create(TenantCreatedSchema, {
              tenantId: TENANT,
              name: 'Bench',
              architecture: TenantArchitecture.GROUP,
              domain: 'bench.example',
            }),
          ),
        },
      ],
      STREAM_DOES_NOT_EXIST,
    );
    const started = await startReceiver();
    receiver = started.child;
    const { token } = await new ApiTokenStore(platform.parts.database).issue(
      { role: 'enterprise-admin', tenantId: TENANT },
      'bench',
    );
    const created = await fetch(`${platform.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `http://127.0.0.1:${started.port}/hook`,
        eventTypes: ['pbx.calls.v1.*'],
      }),
    });
    if (created.status !== 201) throw new BenchError(`creating the webhook: ${created.status}`);
    const { secret } = (await created.json()) as { secret: string };

    const appendedAt = new Map<string, number>();
    const measured = new Set<string>();
    const calls: string[] = [];
    const pending: Promise<unknown>[] = [];
    let errors = 0;
    const append = (
      callId: string,
      version: number,
      kind: 'started' | 'answered' | 'ended',
      inWindow: boolean,
    ): void => {
      const event = callEvent(kind, callId);
      appendedAt.set(event.id, now());
      if (inWindow) measured.add(event.id);
      pending.push(
        store
          .append(`call-${callId}`, [event], version === 0 ? STREAM_DOES_NOT_EXIST : version)
          .catch(() => errors++),
      );
    };
    const total = (WARMUP_S + options.seconds) * options.rate;
    const t0 = performance.now();
    const load0 = loadavg();
    log(
      `running ${total} calls at ${options.rate}/s (${WARMUP_S} s warm-up, ${options.seconds} s measured)`,
    );
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const callId = randomUUID();
      const inWindow = i >= WARMUP_S * options.rate;
      calls.push(callId);
      append(callId, 0, 'started', inWindow);
      const answerAfter = between(ANSWER_AFTER_MS);
      setTimeout(() => append(callId, 1, 'answered', inWindow), answerAfter);
      setTimeout(() => append(callId, 2, 'ended', inWindow), answerAfter + between(TALK_MS));
    }
    await new Promise((resolve) => setTimeout(resolve, LAST_EVENT_MS + 100));
    await Promise.all(pending);
    const expected = calls.length * 3;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    let result = await report(receiver);
    while (result.arrivals.length < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      result = await report(receiver);
    }
    const elapsedS = (performance.now() - t0) / 1000;
    // Where the time goes, from the platform's own timestamps: the event's time (the store), the
    // fan-out transaction queuing its delivery, and the dispatcher recording the receiver's 2xx.
    const stages: { queued_ms: number; sent_ms: number }[] = await platform.parts.database.query(
      `SELECT EXTRACT(EPOCH FROM created_at - event_time) * 1000 AS queued_ms,
              EXTRACT(EPOCH FROM finished_at - created_at) * 1000 AS sent_ms
         FROM events_gateway_deliveries WHERE event_id = ANY($1::uuid[])`,
      [[...measured]],
    );
    const load1 = loadavg();

    const problems: string[] = [];
    if (errors > 0) problems.push(`${errors} appends failed`);
    const ids = new Set(result.arrivals.map((a) => a.id));
    if (ids.size !== result.arrivals.length) problems.push('an event was delivered twice');
    if (result.arrivals.length < expected) {
      problems.push(`${expected - result.arrivals.length} of ${expected} events never arrived`);
    }
    const order = new Map<string, string[]>();
    for (const a of result.arrivals) order.set(a.callId, [...(order.get(a.callId) ?? []), a.type]);
    const outOfOrder = [...order.values()].filter(
      (types) =>
        types.join() !==
        [CallStartedSchema, CallAnsweredSchema, CallEndedSchema].map((s) => s.typeName).join(),
    ).length;
    if (outOfOrder > 0) problems.push(`${outOfOrder} calls' events arrived out of order`);
    const badSignatures = result.samples.filter(
      (s) =>
        verifySignature(secret, s.headers, s.body, Math.floor(Date.now() / 1000), 3600) !==
        undefined,
    ).length;
    if (badSignatures > 0) problems.push(`${badSignatures} deliveries were badly signed`);

    const fromAppend: number[] = [];
    const fromTime: number[] = [];
    for (const a of result.arrivals) {
      if (!measured.has(a.id)) continue;
      fromAppend.push(a.at - (appendedAt.get(a.id) as number));
      fromTime.push(a.at - Date.parse(a.time));
    }
    const latencyFromAppend = summary(fromAppend);
    return {
      bench: 'webhook-latency',
      callsPerSecond: options.rate,
      eventsPerSecond: options.rate * 3,
      measuredSeconds: options.seconds,
      elapsedSeconds: Math.round(elapsedS),
      events: expected,
      delivered: result.arrivals.length,
      signaturesChecked: result.samples.length,
      latencyFromAppendMs: latencyFromAppend,
      latencyFromEventTimeMs: summary(fromTime),
      stagesMs: {
        eventToQueued: summary(stages.map((r) => Number(r.queued_ms))),
        queuedToAcknowledged: summary(stages.map((r) => Number(r.sent_ms))),
      },
      goalP99Ms: GOAL_P99_MS,
      goalMet: latencyFromAppend.p99 < GOAL_P99_MS,
      problems,
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        loadAverageStart: load0.map((n) => Math.round(n * 100) / 100),
        loadAverageEnd: load1.map((n) => Math.round(n * 100) / 100),
      },
    };
  } finally {
    receiver?.kill();
    await platform?.stop('bench done').catch(() => undefined);
    await database?.drop().catch(() => undefined);
  }
}

function table(r: BenchResult): string {
  const row = (label: string, s: Latency): string =>
    `${label.padEnd(26)} ${String(s.count).padStart(6)} ${[s.p50, s.p95, s.p99, s.max]
      .map((n) => n.toFixed(1).padStart(8))
      .join('')}`;
  return [
    `webhook latency: ${r.callsPerSecond} calls/s (${r.eventsPerSecond} events/s), ${r.measuredSeconds} s measured, ${r.delivered}/${r.events} delivered`,
    `${'latency (ms)'.padEnd(26)} ${'count'.padStart(6)}${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(8)).join('')}`,
    row('from append()', r.latencyFromAppendMs),
    row('from the event time', r.latencyFromEventTimeMs),
    row('  event -> queued (fan-out)', r.stagesMs.eventToQueued),
    row('  queued -> 2xx recorded', r.stagesMs.queuedToAcknowledged),
    `goal p99 < ${r.goalP99Ms} ms: ${r.goalMet ? 'met' : 'NOT met'}; load average ${r.machine.loadAverageStart.join(' ')} -> ${r.machine.loadAverageEnd.join(' ')} on ${r.machine.cpus} CPUs`,
    ...(r.problems.length ? [`PROBLEMS: ${r.problems.join('; ')}`] : []),
  ].join('\n');
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
    if (!process.env.DATABASE_URL)
      throw new UsageError('DATABASE_URL is not set: source scripts/test-services.sh');
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  try {
    const result = await run(options, log);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(result)}\n`
        : `${table(result)}\n\nBENCH_RESULT ${JSON.stringify(result)}\n`,
    );
    process.exit(result.problems.length > 0 ? 1 : 0);
  } catch (error) {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
}

void main();
