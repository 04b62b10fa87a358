import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` passes (it throws while not yet), failing with its last error after the deadline. */
export async function eventually<T>(check: () => Promise<T>, deadlineMs: number, intervalMs: number): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
