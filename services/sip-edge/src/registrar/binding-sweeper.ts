export interface SweepTarget {
  sweepExpired(limit?: number): Promise<number>;
}

export interface BindingSweeperOptions {
  /** Default 1 s: an expired phone is reported about a second late at most. */
  readonly intervalMs?: number;
  /** Bindings per round; a full round is followed at once by another. Default 500. */
  readonly batch?: number;
  readonly log: { error(message: string): void };
}

/**
 * Drives Registrar.sweepExpired on a timer, so that bindings that were not refreshed are
 * dropped and reported (DeviceUnregistered EXPIRED) even when nobody reads them. Safe to run on
 * every edge instance: the store hands each expired binding to one sweep only.
 */
export class BindingSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  readonly #intervalMs: number;
  readonly #batch: number;

  constructor(
    private readonly target: SweepTarget,
    private readonly options: BindingSweeperOptions,
  ) {
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#batch = options.batch ?? 500;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.sweepNow().finally(() => {
        this.#running = undefined;
      });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Sweeps until a round finds fewer than a batch; errors are logged, never thrown. */
  async sweepNow(): Promise<void> {
    try {
      for (let rounds = 0; rounds < 100; rounds += 1) {
        if ((await this.target.sweepExpired(this.#batch)) < this.#batch) return;
      }
    } catch (error) {
      this.options.log.error(`sweeping expired registrations failed: ${String(error)}`);
    }
  }

  /** Idempotent; waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
