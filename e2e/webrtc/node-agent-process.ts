import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { transformFileSync } from '@swc/core';

/** What an agent reports (see sipjs-node-agent.ts, jssip-node-agent.ts). */
export interface AgentEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface AgentStats extends AgentEvent {
  readonly sent: number;
  readonly received: number;
  readonly payloadTypes: number[];
  readonly rms: number;
}

const ROOT = join(__dirname, '..', '..');
const SHARED = 'node-webrtc-media';

/** The agents a test can run, each a file beside this one. */
export type AgentKind = 'sipjs-node-agent' | 'jssip-node-agent';

/**
 * SIP.js is published as ES modules only, which Jest's CommonJS runtime cannot load: an agent
 * is compiled to an .mjs beside node_modules (so that its imports resolve), with the media
 * module it shares, and run as its own Node process, as a user's browser tab is its own process.
 */
function compiledAgent(kind: AgentKind): string {
  const folder = join(ROOT, 'node_modules', '.cache', 'pbx-e2e-webrtc');
  mkdirSync(folder, { recursive: true });
  const sources: Record<string, string> = {
    g711: join(ROOT, 'libs', 'rtp', 'src', 'codec', 'g711.ts'),
    [SHARED]: join(__dirname, `${SHARED}.ts`),
    [kind]: join(__dirname, `${kind}.ts`),
  };
  for (const [name, file] of Object.entries(sources)) {
    const { code } = transformFileSync(file, {
      swcrc: false,
      module: { type: 'es6' },
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    });
    // ES modules name their files in full; the media module's G.711 (all it takes of
    // @pbx/rtp, whose path alias only the build resolves) is the one compiled beside it.
    const linked = code
      .replaceAll(`'./${SHARED}'`, `'./${SHARED}.mjs'`)
      .replaceAll(`'@pbx/rtp'`, `'./g711.mjs'`);
    writeFileSync(join(folder, `${name}.mjs`), linked);
  }
  return join(folder, `${kind}.mjs`);
}

/** A SIP user agent (SIP.js or JsSIP) in its own Node process, registered over WebSocket. */
export class NodeAgent {
  readonly events: AgentEvent[] = [];
  readonly #child: ChildProcessWithoutNullStreams;
  #output = '';
  #waiters: (() => void)[] = [];

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as AgentEvent);
      } catch {
        this.#output += `${line}\n`;
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    child.stderr.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    // A command written as the agent exits fails with EPIPE: the exit is what the test sees.
    child.stdin.on('error', () => undefined);
    child.on('exit', () => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static start(
    kind: AgentKind,
    settings: {
      wsUrl: string;
      user: string;
      password: string;
      domain: string;
      /** PEM file of the CA that signed the edge's WSS certificate. */
      caFile?: string;
    },
  ): NodeAgent {
    const child = spawn(process.execPath, [compiledAgent(kind), JSON.stringify(settings)], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new NodeAgent(child);
  }

  send(command: Record<string, unknown>): void {
    if (this.#child.exitCode !== null || this.#child.stdin.destroyed) return;
    this.#child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** Resolves with the first event named `name` from index `from` on. */
  async waitFor(name: string, timeoutMs = 15_000, from = 0): Promise<AgentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find((e) => e.event === name);
      if (found !== undefined) return found;
      const error = this.events.find((e) => e.event === 'error');
      if (error !== undefined)
        throw new Error(`agent failed: ${String(error.message)}\n${this.#output}`);
      const left = deadline - Date.now();
      if (left <= 0 || this.#child.exitCode !== null) {
        throw new Error(`no ${name} from the agent in ${timeoutMs} ms\n${this.#output}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stats(): Promise<AgentStats> {
    const from = this.events.length;
    this.send({ cmd: 'stats' });
    return (await this.waitFor('stats', 5_000, from)) as AgentStats;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.send({ cmd: 'quit' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}
