/**
 * WebRTC bridge benchmark: how many concurrent browser-to-phone calls the media service bridges
 * on one core, G.711 passed through (SRTP on the browser side, plain RTP on the phone side, only
 * the encryption differs) and with Opus transcoded to G.711 and back.
 *
 *   npm run bench:webrtc [-- --seconds 10 --g711 100,200,...  --opus 25,50,...]
 *
 * The media service runs in its own process pinned to core 1 (bench/webrtc/webrtc-media-server);
 * this process, pinned to core 0, plays every browser and every phone (bench/webrtc/browser-load):
 * each browser makes an ICE check and a DTLS handshake against its leg, then both ends send a
 * 20 ms frame 50 times a second. Calls are added step by step (setup is not measured); for each
 * step the load pauses so that nothing is in flight, then runs --seconds: loss is what was sent in
 * the window and never arrived, CPU is the media process's (/proc, one core = 100 %). A step
 * passes with loss < 0.1 % and CPU < 90 %, as bench:rtp; a mode stops at its first failing step.
 * The generator's own CPU is shown: when it nears a full core the result is bounded by it, not by
 * the media service, and the table says so.
 * stdout: a table and a `BENCH_RESULT {...}` line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { machineCpuSeconds, processCpuSeconds } from './rtp/proc-stat';
import { pinned } from './rtp/relay-targets';
import { BrowserLoad, type BridgeMode } from './webrtc/browser-load';

const MAX_LOSS_PERCENT = 0.1;
const MAX_CPU_PERCENT = 90;
const WARMUP_MS = 1_500;
const PORTS: [number, number] = [20000, 29999];

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

const measureSeconds = Number(option('seconds', '10'));
const stepsOf = (mode: BridgeMode): number[] =>
  option(
    mode,
    mode === 'g711' ? '100,200,300,400,500,600,800,1000,1200' : '25,50,75,100,150,200,250,300',
  )
    .split(',')
    .map(Number);

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface StepResult {
  readonly mode: BridgeMode;
  readonly calls: number;
  readonly lossPercent: number;
  readonly mediaCpuPercent: number;
  readonly generatorCpuPercent: number;
  readonly otherCpuPercent: number;
  readonly sent: number;
  readonly received: number;
  readonly srtpRejected: number;
  readonly pass: boolean;
  readonly generatorBound: boolean;
}

type Reply = { type: string; answers?: [string, string][]; message?: string; status?: unknown };

function startMediaServer(): {
  pid: number;
  ask(command: object): Promise<Reply>;
  stop(): Promise<void>;
} {
  const [command, args] = pinned(hasTaskset ? 1 : null, process.execPath, [
    join(__dirname, 'webrtc', 'webrtc-media-server.js'),
    String(PORTS[0]),
    String(PORTS[1]),
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: ((message: Reply) => void)[] = [];
  child.on('message', (message: Reply) => replies.shift()?.(message));
  const ask = (message: object): Promise<Reply> =>
    new Promise((resolve, reject) => {
      replies.push((reply) =>
        reply.type === 'error'
          ? reject(new Error(`media server: ${reply.message}`))
          : resolve(reply),
      );
      if (Object.keys(message).length > 0) child.send(message);
    });
  return {
    pid: child.pid ?? 0,
    ask,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function runMode(mode: BridgeMode): Promise<StepResult[]> {
  const server = startMediaServer();
  await server.ask({}); // 'started'
  const load = await BrowserLoad.open(mode);
  const results: StepResult[] = [];
  let ticking: NodeJS.Timeout | undefined;
  const startLoad = (): void => {
    // Frames at 20 ms, catching up when the event loop was late so the rate stays 50/s.
    let next = performance.now();
    const run = (): void => {
      const now = performance.now();
      while (next <= now) {
        load.tick();
        next += 20;
      }
      ticking = setTimeout(run, Math.max(0, next - performance.now()));
    };
    run();
  };
  const stopLoad = (): void => clearTimeout(ticking);
  try {
    for (const calls of stepsOf(mode)) {
      stopLoad();
      const offers = Array.from({ length: calls - load.calls.length }, () => load.newCall());
      const first = load.calls.length - offers.length;
      const { answers = [] } = await server.ask({ type: 'connect', offers });
      for (let i = 0; i < answers.length; i += 16) {
        await Promise.all(
          answers
            .slice(i, i + 16)
            .map(([toBrowser, toPhone], k) => load.connect(first + i + k, toBrowser, toPhone)),
        );
      }
      startLoad();
      await sleep(WARMUP_MS);
      stopLoad();
      await sleep(60); // nothing in flight
      load.resetCounters();
      const before = {
        media: processCpuSeconds(server.pid),
        self: process.cpuUsage(),
        machine: machineCpuSeconds(),
      };
      const startedAt = performance.now();
      startLoad();
      await sleep(measureSeconds * 1000);
      stopLoad();
      const seconds = (performance.now() - startedAt) / 1000;
      const after = {
        media: processCpuSeconds(server.pid),
        self: process.cpuUsage(before.self),
        machine: machineCpuSeconds(),
      };
      await sleep(300); // the last frames arrive
      const sent = load.sentToPhone + load.sentToBrowser;
      const received = load.receivedAtPhone + load.receivedAtBrowser;
      const mediaCpu = ((after.media - before.media) / seconds) * 100;
      const generatorCpu = ((after.self.user + after.self.system) / 1e6 / seconds) * 100;
      const machineBusy = ((after.machine.busy - before.machine.busy) / seconds) * 100;
      const lossPercent = sent === 0 ? 100 : Math.max(0, ((sent - received) / sent) * 100);
      const result: StepResult = {
        mode,
        calls,
        lossPercent,
        mediaCpuPercent: mediaCpu,
        generatorCpuPercent: generatorCpu,
        otherCpuPercent: Math.max(0, machineBusy - mediaCpu - generatorCpu),
        sent,
        received,
        srtpRejected: load.rejectedAtBrowser,
        pass:
          lossPercent < MAX_LOSS_PERCENT &&
          mediaCpu < MAX_CPU_PERCENT &&
          load.rejectedAtBrowser === 0,
        generatorBound: generatorCpu > 85,
      };
      results.push(result);
      printRow(result);
      if (!result.pass) break;
    }
  } finally {
    stopLoad();
    await server.ask({ type: 'teardown' }).catch(() => undefined);
    load.close();
    await server.stop();
  }
  return results;
}

function printRow(r: StepResult): void {
  const cells = [
    r.mode.padEnd(5),
    String(r.calls).padStart(6),
    `${r.lossPercent.toFixed(3)} %`.padStart(10),
    `${r.mediaCpuPercent.toFixed(1)} %`.padStart(9),
    `${r.generatorCpuPercent.toFixed(1)} %`.padStart(9),
    `${r.otherCpuPercent.toFixed(1)} %`.padStart(9),
    r.pass ? 'pass' : r.generatorBound ? 'FAIL (generator-bound)' : 'FAIL',
  ];
  console.log(cells.join('  '));
}

async function main(): Promise<void> {
  console.log(
    `WebRTC bridge, ${measureSeconds} s per step, media ${hasTaskset ? 'on core 1' : 'unpinned'}, ` +
      `generator ${hasTaskset ? 'on core 0' : 'unpinned'}; pass: loss < ${MAX_LOSS_PERCENT} %, CPU < ${MAX_CPU_PERCENT} %`,
  );
  console.log('mode    calls        loss  media CPU   gen CPU   other %  result');
  const results = [...(await runMode('g711')), ...(await runMode('opus'))];
  const capacity = (mode: BridgeMode): number =>
    Math.max(0, ...results.filter((r) => r.mode === mode && r.pass).map((r) => r.calls));
  console.log(
    `capacity on one core: ${capacity('g711')} calls with G.711 passed through, ${capacity('opus')} with Opus transcoded`,
  );
  console.log(
    `BENCH_RESULT ${JSON.stringify({ g711: capacity('g711'), opus: capacity('opus'), steps: results })}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
