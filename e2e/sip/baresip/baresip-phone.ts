import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BARESIP_BINARY,
  writeBaresipConfig,
  type BaresipAccount,
  type BaresipPorts,
} from './baresip-config';
import { encodeNetstring, NetstringReader } from './netstring';

/** An event from baresip's ctrl_tcp, e.g. CALL_ESTABLISHED (field names as in baresip 1.0.0). */
export interface BaresipEvent {
  readonly type: string;
  readonly class?: string;
  readonly accountaor?: string;
  readonly direction?: string;
  readonly peeruri?: string;
  readonly id?: string;
  readonly param?: string;
}

export interface BaresipResponse {
  readonly ok: boolean;
  readonly data: string;
}

export interface BaresipPhone {
  readonly child: ChildProcess;
  /** Everything baresip wrote to stdout and stderr so far (with -s: the SIP trace). */
  output(): string;
  events(): readonly BaresipEvent[];
  /** The first event of `type` at or after index `from` of events(), bounded in time. */
  waitForEvent(type: string, timeoutMs: number, from?: number): Promise<BaresipEvent>;
  /** A menu command (`dial`, `hangup`, `quit`...) through ctrl_tcp. */
  command(command: string, params?: string, timeoutMs?: number): Promise<BaresipResponse>;
  /** Quits (unregistering), SIGKILL after `timeoutMs`; removes the config folder. */
  stop(timeoutMs?: number): Promise<void>;
}

export function baresipAvailable(): boolean {
  return existsSync(BARESIP_BINARY);
}

const CONNECT_TIMEOUT_MS = 5_000;

/** Starts baresip with a fresh config folder and connects to its ctrl_tcp port. */
export async function startBaresip(
  account: BaresipAccount,
  ports: BaresipPorts,
): Promise<BaresipPhone> {
  const dir = mkdtempSync(join(tmpdir(), 'baresip-'));
  writeBaresipConfig(dir, account, ports);
  // -s: SIP trace in the output, for the failure messages.
  const child = spawn(BARESIP_BINARY, ['-f', dir, '-s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  let socket: Socket;
  try {
    socket = await connectControl(ports.control, () => hasExited);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${String(error)}\nbaresip output:\n${output.slice(-3000)}`);
  }
  const control = new ControlChannel(socket);

  return {
    child,
    output: () => output,
    events: () => control.events,
    waitForEvent: (type, timeoutMs, from = 0) =>
      control.waitForEvent(type, timeoutMs, from, () => output.slice(-3000)),
    command: (command, params, timeoutMs = 5_000) => control.command(command, params, timeoutMs),
    async stop(timeoutMs = 5_000): Promise<void> {
      if (!hasExited) {
        await control.command('quit', undefined, 1_000).catch(() => undefined);
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      socket.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** ctrl_tcp listens once baresip has loaded its modules: retry until then, bounded. */
async function connectControl(port: number, exited: () => boolean): Promise<Socket> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline && !exited()) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.removeListener('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(
    `baresip's ctrl_tcp on port ${port} not reachable${exited() ? ' (baresip exited)' : ''}: ${String(last)}`,
  );
}

/** The ctrl_tcp protocol: JSON in netstrings; responses carry the command's token. */
class ControlChannel {
  readonly events: BaresipEvent[] = [];
  private readonly pending = new Map<string, (response: BaresipResponse) => void>();
  private readonly listeners = new Set<() => void>();
  private nextToken = 1;

  constructor(private readonly socket: Socket) {
    const reader = new NetstringReader();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const payload of reader.push(chunk)) this.receive(payload);
      } catch (error) {
        // Not ctrl_tcp's protocol: stop listening; waiters time out and report what they saw.
        this.events.push({ type: 'PROTOCOL_ERROR', param: String(error) });
        socket.destroy();
      }
    });
    // The process exiting closes the connection; waiters time out on their own.
    socket.on('error', () => undefined);
  }

  command(
    command: string,
    params: string | undefined,
    timeoutMs: number,
  ): Promise<BaresipResponse> {
    const token = `t${this.nextToken++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(`baresip did not answer "${command}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(token, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.socket.write(encodeNetstring(JSON.stringify({ command, params, token })));
    });
  }

  waitForEvent(
    type: string,
    timeoutMs: number,
    from: number,
    context: () => string,
  ): Promise<BaresipEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.slice(from).find((e) => e.type === type);
        if (!found) return false;
        this.listeners.delete(listener);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        const seen = this.events.map((e) => e.type).join(', ');
        reject(
          new Error(`no ${type} from baresip in ${timeoutMs} ms (saw: ${seen})\n${context()}`),
        );
      }, timeoutMs);
      this.listeners.add(listener);
      check();
    });
  }

  private receive(payload: string): void {
    const message = JSON.parse(payload) as Record<string, unknown>;
    if (message.response === true && typeof message.token === 'string') {
      this.pending.get(message.token)?.({
        ok: message.ok === true,
        data: typeof message.data === 'string' ? message.data : '',
      });
      this.pending.delete(message.token);
    } else if (message.event === true && typeof message.type === 'string') {
      this.events.push(message as unknown as BaresipEvent);
      for (const listener of [...this.listeners]) listener();
    }
  }
}
