export type ReadinessCheck = () => Promise<boolean>;

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
}

/** What `/readyz` asks: every dependency this process needs to do its work. */
export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();
  #draining = false;

  add(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  /** From SIGTERM on the process reports not ready, so a load balancer stops sending work. */
  drain(): void {
    this.#draining = true;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]): Promise<[string, boolean]> => {
        try {
          return [name, await check()];
        } catch {
          return [name, false];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    if (this.#draining) checks.draining = false;
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}
