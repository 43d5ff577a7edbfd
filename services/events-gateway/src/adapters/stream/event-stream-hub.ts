import type { SessionEnd, SseSession } from './sse-session';

export interface StreamObserver {
  opened?(count: number): void;
  sent?(events: number): void;
  ended?(reason: SessionEnd, count: number): void;
}

/**
 * The event streams of this process, by tenant: a tenant's new event wakes its streams only, and
 * on shutdown every stream is told to reconnect (to another replica).
 */
export class EventStreamHub {
  readonly #byTenant = new Map<string, Set<SseSession>>();
  #count = 0;

  constructor(
    private readonly maxClients: number,
    private readonly observer: StreamObserver = {},
  ) {}

  get full(): boolean {
    return this.#count >= this.maxClients;
  }

  /** Runs a session to its end, registered for wakes meanwhile. */
  async serve(session: SseSession): Promise<SessionEnd> {
    const sessions = this.#byTenant.get(session.tenant) ?? new Set<SseSession>();
    this.#byTenant.set(session.tenant, sessions);
    sessions.add(session);
    this.observer.opened?.(++this.#count);
    let reason: SessionEnd = 'error';
    try {
      reason = await session.run();
      return reason;
    } finally {
      sessions.delete(session);
      if (sessions.size === 0) this.#byTenant.delete(session.tenant);
      this.observer.ended?.(reason, --this.#count);
    }
  }

  /** Counts events sent by any stream (the sessions report each batch). */
  sent(events: number): void {
    this.observer.sent?.(events);
  }

  notify(tenant: string): void {
    for (const session of this.#byTenant.get(tenant) ?? []) session.wake();
  }

  /** Notifications may have been missed (the listener reconnected): everyone looks. */
  wakeAll(): void {
    for (const sessions of this.#byTenant.values()) for (const s of sessions) s.wake();
  }

  closeAll(): void {
    for (const sessions of this.#byTenant.values()) for (const s of sessions) s.close();
  }
}
