/**
 * RTP relay benchmark: how many concurrent G.711 calls one core relays, the media service's
 * RtpRelayMediaControl side by side with rtpengine from Debian in userspace mode (the named
 * reference, CONVENTIONS.md "Code"), relaying the same streams.
 *
 *   npm run bench:rtp [-- --seconds 10 --steps 100,250,500,750,1000,1250,1500,2000,3000]
 *
 * Each relay runs in its own process pinned to core 1 (`taskset`); the load generator
 * (bench/rtp/rtp-load-generator.c, built here with cc, sendmmsg/recvmmsg) runs pinned to core 0,
 * so that it neither shares the relay's core nor is the bottleneck. A call is 50 packets/s each
 * way of 172 octets (20 ms PCMU). For each step N the generator plays N calls for a warm-up and
 * then measures for --seconds: loss (packets sent in the window that never came back), the relay's
 * CPU (from /proc/<pid>/stat, one core = 100 %) and one-way latency through the relay (send time
 * in the payload). A step passes with loss < 0.1 % and CPU < 90 %; a relay stops at its first
 * failing step. The direct row (phones to each other, no relay) is the loopback baseline.
 * "other %" is what the rest of the machine used of its two cores meanwhile (other agents).
 * stdout: a table and a `BENCH_RESULT {...}` line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { machineCpuSeconds, processCpuSeconds } from './rtp/proc-stat';
import {
  type RelayTarget,
  directTarget,
  pinned,
  startOurRelay,
  startRtpengine,
} from './rtp/relay-targets';

interface StepResult {
  readonly relay: string;
  readonly calls: number;
  readonly packetsPerSecond: number;
  readonly sent: number;
  readonly received: number;
  readonly lossPercent: number;
  readonly relayCpuPercent: number | null;
  readonly generatorCpuPercent: number;
  readonly otherCpuPercent: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly pass: boolean;
}

const MAX_LOSS_PERCENT = 0.1;
const MAX_CPU_PERCENT = 90;
const WARMUP_MS = 1_500;
const PORTS: [number, number] = [12000, 29999];

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

const measureSeconds = Number(option('seconds', '10'));
const steps = option('steps', '100,250,500,750,1000,1250,1500,2000,3000').split(',').map(Number);
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const RELAY_CORE = hasTaskset ? 1 : null;
const GENERATOR_CORE = hasTaskset ? 0 : null;

/** Builds the C load generator next to the compiled bench (once per source change). */
function buildGenerator(): string {
  const beside = join(__dirname, '..', '..', 'bench', 'rtp', 'rtp-load-generator.c');
  const source = existsSync(beside)
    ? beside
    : join(process.cwd(), 'bench', 'rtp', 'rtp-load-generator.c');
  const binary = join(__dirname, 'rtp', 'rtp-load-generator');
  mkdirSync(join(__dirname, 'rtp'), { recursive: true });
  if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) {
    execFileSync('cc', ['-O2', '-Wall', '-o', binary, source], { stdio: 'inherit' });
  }
  return binary;
}

async function runStep(target: RelayTarget, calls: number, generator: string): Promise<StepResult> {
  const [command, args] = pinned(GENERATOR_CORE, generator, [
    '127.0.0.1',
    String(WARMUP_MS),
    String(measureSeconds * 1000),
  ]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error(`load generator ended early (exit ${child.exitCode})`);
    return line.value;
  };
  const [, callerPort, calleePort] = (await next()).split(' ').map(Number);
  const destinations = await target.setup(calls, callerPort, calleePort);
  child.stdin!.end(`${calls}\n${destinations.map(([a, b]) => `${a} ${b}`).join('\n')}\n`);
  const sample = (): {
    relay: number;
    generator: number;
    machine: { busy: number; total: number };
  } => ({
    relay: target.pid === null ? 0 : processCpuSeconds(target.pid),
    generator: processCpuSeconds(child.pid!),
    machine: machineCpuSeconds(),
  });
  if ((await next()) !== 'MEASURE_START') throw new Error('load generator: no MEASURE_START');
  const before = sample();
  const startedAt = performance.now();
  if ((await next()) !== 'MEASURE_END') throw new Error('load generator: no MEASURE_END');
  const after = sample();
  const seconds = (performance.now() - startedAt) / 1000;
  const result = JSON.parse(await next()) as {
    sent: number;
    received: number;
    p50Us: number;
    p99Us: number;
    p999Us: number;
  };
  await target.teardown();
  const percent = (cpuSeconds: number): number => Math.round((cpuSeconds / seconds) * 1000) / 10;
  const relayCpu = target.pid === null ? null : percent(after.relay - before.relay);
  const generatorCpu = percent(after.generator - before.generator);
  const machineBusy = percent(after.machine.busy - before.machine.busy);
  const lossPercent =
    result.sent === 0
      ? 100
      : Math.round(((result.sent - result.received) / result.sent) * 1e5) / 1e3;
  return {
    relay: target.name,
    calls,
    packetsPerSecond: calls * 100,
    sent: result.sent,
    received: result.received,
    lossPercent,
    relayCpuPercent: relayCpu,
    generatorCpuPercent: generatorCpu,
    otherCpuPercent: Math.max(
      0,
      Math.round((machineBusy - generatorCpu - (relayCpu ?? 0)) * 10) / 10,
    ),
    p50Us: result.p50Us,
    p99Us: result.p99Us,
    p999Us: result.p999Us,
    pass: lossPercent < MAX_LOSS_PERCENT && (relayCpu ?? 0) < MAX_CPU_PERCENT,
  };
}

async function runTarget(
  target: RelayTarget,
  generator: string,
  stepList: number[],
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  try {
    for (const calls of stepList) {
      const result = await runStep(target, calls, generator);
      results.push(result);
      printRow(result);
      if (!result.pass) break;
    }
  } finally {
    await target.stop();
  }
  return results;
}

function printRow(r: StepResult): void {
  const cells = [
    r.relay.padEnd(22),
    String(r.calls).padStart(6),
    String(r.packetsPerSecond).padStart(8),
    r.lossPercent.toFixed(3).padStart(8),
    (r.relayCpuPercent === null ? '-' : r.relayCpuPercent.toFixed(1)).padStart(7),
    r.generatorCpuPercent.toFixed(1).padStart(7),
    r.otherCpuPercent.toFixed(1).padStart(7),
    String(r.p50Us).padStart(7),
    String(r.p99Us).padStart(7),
    String(r.p999Us).padStart(8),
    r.pass ? 'ok' : 'FAIL',
  ];
  console.log(cells.join(' '));
}

function maxPassing(results: StepResult[], relay: string): number {
  return results
    .filter((r) => r.relay === relay && r.pass)
    .reduce((max, r) => Math.max(max, r.calls), 0);
}

async function main(): Promise<void> {
  const generator = buildGenerator();
  const load = (): string => execFileSync('cat', ['/proc/loadavg']).toString().trim();
  console.log(
    `RTP relay benchmark: ${measureSeconds} s per step, relay on core ${RELAY_CORE ?? 'any'}, ` +
      `generator on core ${GENERATOR_CORE ?? 'any'}, loadavg before: ${load()}`,
  );
  console.log(
    'relay                   calls   pkt/s    loss%  relay%   gen%  other%  p50us   p99us  p99.9us',
  );
  const results: StepResult[] = [];
  results.push(...(await runTarget(directTarget, generator, [1000])));
  const ours = await startOurRelay(RELAY_CORE, PORTS);
  results.push(...(await runTarget(ours, generator, steps)));
  const rtpengine = await startRtpengine(
    RELAY_CORE,
    PORTS,
    2223 + Math.floor(Math.random() * 1000),
  );
  results.push(...(await runTarget(rtpengine, generator, steps)));
  const summary = {
    measureSeconds,
    criteria: { maxLossPercent: MAX_LOSS_PERCENT, maxRelayCpuPercent: MAX_CPU_PERCENT },
    maxCalls: {
      ours: maxPassing(results, ours.name),
      rtpengine: maxPassing(results, rtpengine.name),
    },
    loadavgAfter: load(),
    steps: results,
  };
  console.log(
    `max concurrent G.711 calls on one core (loss < ${MAX_LOSS_PERCENT}%, CPU < ${MAX_CPU_PERCENT}%): ` +
      `pbx media ${summary.maxCalls.ours}, rtpengine ${summary.maxCalls.rtpengine}`,
  );
  console.log(`BENCH_RESULT ${JSON.stringify(summary)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
