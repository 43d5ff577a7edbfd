import { EventsError, EventsErrorCode } from '@pbx/events';

/** An append lost an optimistic-concurrency race (or repeated an event id already stored). */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof EventsError && error.code === EventsErrorCode.WrongExpectedVersion;
}

/**
 * Runs `attempt` again while it loses a race, up to `attempts` times in all; each run reads and
 * decides afresh, so a retry sees what the winner wrote. The last conflict is rethrown.
 */
export async function retryOnConflict<T>(attempts: number, attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isVersionConflict(error) || i >= attempts) throw error;
      // A little jitter, so that racers do not meet again at the same instant.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * i)));
    }
  }
}
