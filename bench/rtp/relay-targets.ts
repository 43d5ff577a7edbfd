import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { NgClient } from './ng-client';
import { audioPortOf, inBatches, phoneSdp } from './phone-sdp';

/** A relay under test, in its own process; `setup` returns [callerDst, calleeDst] per call. */
export interface RelayTarget {
  readonly name: string;
  /** The relay's process, for its CPU time; null for the direct baseline. */
  readonly pid: number | null;
  setup(calls: number, callerPort: number, calleePort: number): Promise<number[][]>;
  teardown(): Promise<void>;
  stop(): Promise<void>;
}

/** `taskset -c <core>` before the command when taskset exists. */
export function pinned(core: number | null, command: string, args: string[]): [string, string[]] {
  return core === null ? [command, args] : ['taskset', ['-c', String(core), command, ...args]];
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/** The phones talk to each other directly: the loopback and generator baseline. */
export const directTarget: RelayTarget = {
  name: 'direct (no relay)',
  pid: null,
  setup: async (calls, callerPort, calleePort) =>
    Array.from({ length: calls }, () => [calleePort, callerPort]),
  teardown: async () => undefined,
  stop: async () => undefined,
};

/** RtpRelayMediaControl in bench/rtp/relay-server.js. */
export async function startOurRelay(
  core: number | null,
  ports: [number, number],
): Promise<RelayTarget> {
  const [command, args] = pinned(core, process.execPath, [
    join(__dirname, 'relay-server.js'),
    String(ports[0]),
    String(ports[1]),
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: ((message: { type: string; ports?: number[][]; message?: string }) => void)[] = [];
  child.on('message', (message: { type: string; ports?: number[][]; message?: string }) => {
    replies.shift()?.(message);
  });
  const ask = (command: object): Promise<{ type: string; ports?: number[][]; message?: string }> =>
    new Promise((resolve, reject) => {
      replies.push((message) =>
        message.type === 'error'
          ? reject(new Error(`relay-server: ${message.message}`))
          : resolve(message),
      );
      if (Object.keys(command).length > 0) child.send(command);
    });
  await ask({}); // 'started'
  if (child.pid === undefined) throw new Error('relay-server did not start');
  return {
    name: 'pbx media (Node)',
    pid: child.pid,
    setup: async (calls, callerPort, calleePort) =>
      (await ask({ type: 'setup', calls, callerPort, calleePort })).ports ?? [],
    teardown: async () => {
      await ask({ type: 'teardown' });
    },
    stop: () => stopProcess(child),
  };
}

/** rtpengine from Debian, userspace forwarding only (--table=-1), one worker thread. */
export async function startRtpengine(
  core: number | null,
  ports: [number, number],
  ngPort: number,
): Promise<RelayTarget> {
  const [command, args] = pinned(core, '/usr/bin/rtpengine', [
    '--interface=127.0.0.1',
    `--listen-ng=127.0.0.1:${ngPort}`,
    `--port-min=${ports[0]}`,
    `--port-max=${ports[1]}`,
    '--foreground',
    '--log-stderr',
    '--log-level=4',
    '--table=-1',
    '--num-threads=1',
    '--delete-delay=0',
    '--timeout=3600',
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4_000);
  });
  const ng = await NgClient.open(ngPort);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rtpengine exited: ${log}`);
    try {
      await ng.command({ command: 'ping' }, 200, 1, 'pong');
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`rtpengine does not answer ng ping: ${log}`);
    }
  }
  let calls = 0;
  return {
    name: 'rtpengine (userspace)',
    pid: child.pid ?? 0,
    setup: async (count, callerPort, calleePort) => {
      calls = count;
      const callerSdp = phoneSdp('caller', callerPort);
      const calleeSdp = phoneSdp('callee', calleePort);
      return inBatches(Array.from({ length: count }), 64, async (_, i) => {
        const ids = { 'call-id': `bench-${i}`, 'from-tag': `caller-${i}` };
        const offer = await ng.command({ command: 'offer', ...ids, sdp: callerSdp });
        const answer = await ng.command({
          command: 'answer',
          ...ids,
          'to-tag': `callee-${i}`,
          sdp: calleeSdp,
        });
        return [audioPortOf(String(answer.sdp)), audioPortOf(String(offer.sdp))];
      });
    },
    teardown: async () => {
      await inBatches(Array.from({ length: calls }), 64, (_, i) =>
        ng.command({ command: 'delete', 'call-id': `bench-${i}`, 'from-tag': `caller-${i}` }),
      );
      calls = 0;
    },
    stop: async () => {
      await ng.close();
      await stopProcess(child);
    },
  };
}
