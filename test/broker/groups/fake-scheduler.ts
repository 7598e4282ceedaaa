import type { Scheduler, TimerHandle } from '../../../src/broker/groups/scheduler.ts';

interface Timer {
  at: number;
  seq: number;
  task: () => void;
}

/**
 * A manual clock for deterministic timeout tests: time moves only in `advance`, which runs
 * due timers in time order (ties in scheduling order), including timers they schedule.
 */
export class FakeScheduler implements Scheduler {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<Timer>();

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  schedule(delayMs: number, task: () => void): TimerHandle {
    const timer: Timer = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, task };
    this.#timers.add(timer);
    return { cancel: () => this.#timers.delete(timer) };
  }

  /** Moves the clock forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.#timers) {
        if (timer.at <= target && (next === undefined || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))) {
          next = timer;
        }
      }
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#now = next.at;
      next.task();
    }
    this.#now = target;
  }

  /** Number of timers not yet run or cancelled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }
}
