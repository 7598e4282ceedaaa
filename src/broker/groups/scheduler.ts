/**
 * The clock and timers the coordinator uses, behind an interface so tests can drive
 * session, rebalance and retention timeouts deterministically (see
 * test/broker/groups/fake-scheduler.ts).
 */

export interface TimerHandle {
  /** Idempotent; a cancelled timer never runs. */
  cancel(): void;
}

export interface Scheduler {
  /** Milliseconds since the epoch (or since any fixed origin, for a fake clock). */
  now(): number;
  /** Runs `task` once after `delayMs`. */
  schedule(delayMs: number, task: () => void): TimerHandle;
}

/**
 * Real timers. They are unref'ed: a coordinator never keeps the process alive by itself,
 * the broker's listening sockets do.
 */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(delayMs, task) {
    const timer = setTimeout(task, Math.max(0, delayMs));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
