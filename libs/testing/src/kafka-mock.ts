import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/*
 * Starts librdkafka's mock cluster (tools/kafka-mock) for integration tests: a real
 * Kafka-protocol server on random 127.0.0.1 ports. It lacks the createTopics/describeGroups admin
 * APIs (topics auto-create on first use, with 4 partitions) and idempotent/transactional
 * producers. Offsets and records live in the process: stop() loses them.
 */

const REPO_ROOT = resolve(__dirname, '../../..');
const TOOL_DIR = join(REPO_ROOT, 'tools/kafka-mock');
const BUILD_SCRIPT = join(TOOL_DIR, 'build.sh');
export const KAFKA_MOCK_BINARY = join(TOOL_DIR, 'build/kafka-mock');

export interface KafkaMockOptions {
  /** Brokers in the cluster, 1 to 16. Default 1. */
  readonly brokers?: number;
  /** Bound on building (when needed) and starting. Default 60 s for the build, 10 s to start. */
  readonly buildTimeoutMs?: number;
  readonly startTimeoutMs?: number;
  /** Bound on each down/up/createTopic command. Default 5 s. */
  readonly commandTimeoutMs?: number;
}

export interface KafkaMock {
  /** Bootstrap servers, `127.0.0.1:<port>` each. */
  readonly brokers: string[];
  /** Takes every broker (or the one with this id, from 1) offline: connections are refused. */
  down(brokerId?: number): Promise<void>;
  up(brokerId?: number): Promise<void>;
  /** Creates a topic with an explicit partition count (auto-created ones get 4). */
  createTopic(topic: string, partitions: number): Promise<void>;
  /** Idempotent; resolves once the process has exited. */
  stop(): Promise<void>;
}

export class KafkaMockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaMockError';
  }
}

const STDERR_TAIL_CHARS = 4_000;

export async function startKafkaMock(options: KafkaMockOptions = {}): Promise<KafkaMock> {
  const brokerCount = options.brokers ?? 1;
  if (!Number.isInteger(brokerCount) || brokerCount < 1 || brokerCount > 16) {
    throw new KafkaMockError(`broker count must be 1..16, got ${brokerCount}`);
  }
  await buildKafkaMock(options.buildTimeoutMs ?? 60_000);
  const child = spawn(KAFKA_MOCK_BINARY, [String(brokerCount)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const mock = new MockProcess(child, options.commandTimeoutMs ?? 5_000);
  const bootstrap = await mock.firstLine(options.startTimeoutMs ?? 10_000);
  const brokers = bootstrap.split(',').filter((broker) => broker.length > 0);
  if (brokers.length !== brokerCount) {
    await mock.stop();
    throw new KafkaMockError(
      `kafka-mock printed ${JSON.stringify(bootstrap)}, expected ${brokerCount} brokers`,
    );
  }
  return {
    brokers,
    down: (brokerId) => mock.command(brokerId === undefined ? 'down' : `down ${brokerId}`),
    up: (brokerId) => mock.command(brokerId === undefined ? 'up' : `up ${brokerId}`),
    createTopic: (topic, partitions) => mock.command(`topic ${topic} ${partitions}`),
    stop: () => mock.stop(),
  };
}

/** The Kafka settings of a platform process that talks to `kafka`. */
export function kafkaMockEnvironment(kafka: KafkaMock): Record<string, string> {
  return {
    KAFKA_BROKERS: kafka.brokers.join(','),
    // The mock broker waits a session timeout before it completes a rebalance.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '500',
  };
}

/** Runs tools/kafka-mock/build.sh, which does nothing when the binary is up to date. */
export function buildKafkaMock(timeoutMs = 60_000): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'bash',
      [BUILD_SCRIPT],
      { timeout: timeoutMs, cwd: REPO_ROOT },
      (error, _stdout, stderr) => {
        if (error) {
          reject(
            new KafkaMockError(
              `building kafka-mock failed (${error.message.split('\n')[0]}): ${stderr.trim()}`,
            ),
          );
        } else if (!existsSync(KAFKA_MOCK_BINARY)) {
          reject(new KafkaMockError(`build.sh succeeded but ${KAFKA_MOCK_BINARY} is missing`));
        } else {
          resolvePromise();
        }
      },
    );
  });
}

interface PendingCommand {
  readonly command: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** The child and its line protocol: first line = bootstrap servers, then one reply per command. */
class MockProcess {
  #stdoutBuffer = '';
  #stderrTail = '';
  #lines: string[] = [];
  #lineWaiter: (() => void) | undefined;
  readonly #pending: PendingCommand[] = [];
  #exited = false;
  readonly #exit: Promise<void>;
  #stopping: Promise<void> | undefined;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly commandTimeoutMs: number,
  ) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.#onStdout(chunk));
    child.stderr.on('data', (chunk: string) => {
      this.#stderrTail = (this.#stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    // Writing after the child died raises EPIPE here; the pending command's timeout reports it.
    child.stdin.on('error', () => undefined);
    this.#exit = new Promise((resolvePromise) => {
      const onGone = (): void => {
        if (this.#exited) return;
        this.#exited = true;
        const error = new KafkaMockError(`kafka-mock exited${this.#describeStderr()}`);
        for (const pending of this.#pending.splice(0)) pending.reject(error);
        this.#lineWaiter?.();
        resolvePromise();
      };
      child.once('exit', onGone);
      child.once('error', onGone);
    });
  }

  async firstLine(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#lines.length === 0) {
      if (this.#exited)
        throw new KafkaMockError(
          `kafka-mock exited before printing its bootstrap servers${this.#describeStderr()}`,
        );
      const left = deadline - Date.now();
      if (left <= 0) {
        await this.stop();
        throw new KafkaMockError(
          `kafka-mock printed no bootstrap servers within ${timeoutMs} ms${this.#describeStderr()}`,
        );
      }
      await new Promise<void>((resolvePromise) => {
        const timer = setTimeout(resolvePromise, left);
        this.#lineWaiter = () => {
          clearTimeout(timer);
          resolvePromise();
        };
      });
      this.#lineWaiter = undefined;
    }
    return this.#lines.shift()!;
  }

  command(command: string): Promise<void> {
    if (this.#exited || this.#stopping)
      return Promise.reject(new KafkaMockError(`kafka-mock is not running (${command})`));
    return new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        const index = this.#pending.indexOf(pending);
        if (index >= 0) this.#pending.splice(index, 1);
        reject(
          new KafkaMockError(
            `kafka-mock did not acknowledge "${command}" within ${this.commandTimeoutMs} ms`,
          ),
        );
      }, this.commandTimeoutMs);
      const pending: PendingCommand = {
        command,
        resolve: () => {
          clearTimeout(timer);
          resolvePromise();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#pending.push(pending);
      this.child.stdin.write(`${command}\n`);
    });
  }

  stop(): Promise<void> {
    if (this.#stopping === undefined) {
      this.#stopping = (async () => {
        if (!this.#exited) {
          this.child.stdin.end();
          this.child.kill('SIGTERM');
          const killTimer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
          await this.#exit;
          clearTimeout(killTimer);
        }
      })();
    }
    return this.#stopping;
  }

  #onStdout(chunk: string): void {
    this.#stdoutBuffer += chunk;
    let newline: number;
    while ((newline = this.#stdoutBuffer.indexOf('\n')) >= 0) {
      const line = this.#stdoutBuffer.slice(0, newline).trim();
      this.#stdoutBuffer = this.#stdoutBuffer.slice(newline + 1);
      this.#onLine(line);
    }
  }

  #onLine(line: string): void {
    const reply = /^(ok|err) (.*)$/.exec(line);
    // Replies come in command order, so the oldest pending command owns this one.
    if (reply && this.#pending.length > 0) {
      const pending = this.#pending.shift()!;
      if (reply[1] === 'ok') pending.resolve();
      else
        pending.reject(new KafkaMockError(`kafka-mock refused "${pending.command}": ${reply[2]}`));
      return;
    }
    this.#lines.push(line);
    this.#lineWaiter?.();
  }

  #describeStderr(): string {
    const tail = this.#stderrTail.trim();
    return tail.length > 0 ? `; stderr: ${tail}` : '';
  }
}
