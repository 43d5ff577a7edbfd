import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` until it holds or `timeoutMs` elapses. Every wait in this folder goes through
 * here (or an explicit timer) so that no start or stop can hang.
 * @returns whether the condition held before the deadline
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  const intervalMs = opts.intervalMs ?? 50;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
}

/** Resolves with the promise's value, or with `onTimeout()` once `timeoutMs` has passed first. */
export async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  onTimeout: () => T,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
