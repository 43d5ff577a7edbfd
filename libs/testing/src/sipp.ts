import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One sipp run (Debian's sip-tester) with a scenario file, bounded in calls and time. */
export interface SippOptions {
  readonly scenario: string;
  /** host:port of the system under test; omit for a UAS that only answers. */
  readonly remote?: string;
  readonly localPort: number;
  /** RTP port of sipp's media (play_pcap_audio source, SDP [media_port]). */
  readonly mediaPort?: number;
  /** Rows of the injection file (`SEQUENTIAL` is added), fields separated by `;`. */
  readonly rows?: readonly (readonly string[])[];
  /** Calls to place (UAC) or answer (UAS) before exiting. */
  readonly calls: number;
  /** Calls per second (UAC). */
  readonly rate?: number;
  /** Concurrent calls cap. */
  readonly limit?: number;
  /** -d: the length of a <pause/> in ms. */
  readonly pauseMs?: number;
  /** `u1` (one UDP socket) or `t1` (one TCP connection). */
  readonly transport?: 'u1' | 'un' | 't1';
  /** The run is killed after this long. */
  readonly timeoutS: number;
  readonly extraArgs?: readonly string[];
}

export interface SippResult {
  readonly code: number | null;
  readonly output: string;
  /** Contents of sipp's error log (unexpected messages, failures). */
  readonly errors: string;
  /** Successful and failed calls as sipp counted them. */
  readonly successful: number;
  readonly failed: number;
  /** The stat CSV's last row by column name, when -trace_stat was on. */
  readonly stats: Readonly<Record<string, string>>;
}

export interface SippProcess {
  readonly child: ChildProcess;
  readonly done: Promise<SippResult>;
  kill(): void;
}

const handedOut = new Set<number>();

/**
 * A UDP port nobody holds now and this process never handed out before: sipp instances started
 * one after the other must not get the port an earlier one is still about to bind.
 */
export async function freeUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        const { port: bound } = socket.address();
        socket.close(() => resolve(bound));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no fresh UDP port after 50 attempts');
}

/**
 * sipp's media ports: 50,000-55,999, between the platforms' RTP ranges (40,000-47,999) and
 * baresip's (56,000 and up).
 */
const SIPP_MEDIA_FIRST = 50_000;
const SIPP_MEDIA_PORTS = 6_000;
/** A random start per test process, so that suites running side by side rarely meet. */
let nextSippMedia = SIPP_MEDIA_FIRST + 4 * Math.floor(Math.random() * (SIPP_MEDIA_PORTS / 4));

async function udpPortFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * An RTP port for a sipp instance (its `mediaPort`): a multiple of 4, so that the port, its RTCP
 * port and sipp's video pair above them belong to no other instance, and free now.
 */
export async function sippMediaPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    nextSippMedia += 4;
    if (nextSippMedia + 3 >= SIPP_MEDIA_FIRST + SIPP_MEDIA_PORTS) nextSippMedia = SIPP_MEDIA_FIRST;
    const port = nextSippMedia;
    if ((await udpPortFree(port)) && (await udpPortFree(port + 1))) return port;
  }
  throw new Error('no free sipp media port after 50 attempts');
}

export function sippAvailable(): boolean {
  return existsSync('/usr/bin/sipp');
}

export function startSipp(options: SippOptions): SippProcess {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const args = [
    '-sf',
    options.scenario,
    '-i',
    '127.0.0.1',
    '-p',
    String(options.localPort),
    '-m',
    String(options.calls),
    '-t',
    options.transport ?? 'u1',
    '-nostdin',
    '-trace_err',
    '-error_file',
    join(dir, 'errors.log'),
    '-trace_stat',
    '-stf',
    join(dir, 'stats.csv'),
    '-fd',
    '1',
    '-timeout',
    `${options.timeoutS}s`,
    '-timeout_error',
    '-max_recv_loops',
    '1000',
  ];
  if (options.mediaPort !== undefined) args.push('-mp', String(options.mediaPort));
  if (options.rate !== undefined) args.push('-r', String(options.rate));
  if (options.limit !== undefined) args.push('-l', String(options.limit));
  if (options.pauseMs !== undefined) args.push('-d', String(options.pauseMs));
  if (options.rows !== undefined) {
    const file = join(dir, 'fields.csv');
    writeFileSync(file, ['SEQUENTIAL', ...options.rows.map((r) => `${r.join(';')};`)].join('\n'));
    args.push('-inf', file);
  }
  args.push(...(options.extraArgs ?? []));
  if (options.remote !== undefined) args.push(options.remote);
  const child = spawn('/usr/bin/sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), (options.timeoutS + 10) * 1000);
  const done = new Promise<SippResult>((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(killer);
      const read = (f: string): string =>
        existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '';
      const stats = lastStatRow(read('stats.csv'));
      resolve({
        code,
        output,
        errors: read('errors.log'),
        successful: Number(stats['SuccessfulCall(C)'] ?? 0),
        failed: Number(stats['FailedCall(C)'] ?? 0),
        stats,
      });
    });
  });
  return { child, done, kill: () => child.kill('SIGTERM') };
}

function lastStatRow(csv: string): Record<string, string> {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return {};
  const names = lines[0].split(';');
  const values = lines[lines.length - 1].split(';');
  const row: Record<string, string> = {};
  names.forEach((n, i) => (row[n] = values[i] ?? ''));
  return row;
}
