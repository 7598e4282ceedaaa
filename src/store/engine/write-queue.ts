/**
 * Group commit. Every change goes through this one queue, in arrival order. Bulk-style
 * tasks that are waiting together run in one transaction per touched index and share one
 * COMMIT (one WAL fsync with `synchronous = FULL`); a task is answered only after its
 * commit returned and its full-text rows were committed, so an answer means durable and
 * searchable. Tasks that change metadata (create or
 * delete an index, put a mapping, ...) run alone, between batches.
 *
 * A large batch yields to the event loop every YIELD_EVERY items so that reads (which use
 * their own connections and see only committed data) are served while it is written.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { EsError } from '../errors.ts';
import type { IndexDb } from './index-db.ts';

const YIELD_EVERY = 2_000;
/** A batch with at least this many items writes its sources as compressed blocks. */
const PACKING_THRESHOLD = 16;
/** Upper bound of items in one transaction (bounds memory and the time until the first answer). */
const MAX_BATCH_ITEMS = 50_000;

export interface BatchContext {
  /** Opens (once) the index's transaction for this batch. */
  touch(index: IndexDb): void;
  /** Call between items: may yield to the event loop. */
  tick(): Promise<void>;
}

interface BatchTask<T> {
  kind: 'batch';
  items: number;
  run: (context: BatchContext) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

interface ExclusiveTask<T> {
  kind: 'exclusive';
  run: () => T | Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Task = BatchTask<unknown> | ExclusiveTask<unknown>;

export interface WriteQueueStats {
  batches: number;
  commits: number;
  tasks: number;
}

export class WriteQueue {
  readonly #queue: Task[] = [];
  #running = false;
  #closed = false;
  readonly stats: WriteQueueStats = { batches: 0, commits: 0, tasks: 0 };

  /** Runs a write that may share its transaction and commit with others. */
  batch<T>(items: number, run: (context: BatchContext) => Promise<T>): Promise<T> {
    return this.#push<T>((resolve, reject) => ({ kind: 'batch', items, run, resolve, reject }) as unknown as Task);
  }

  /** Runs a change alone (no transaction of the queue is open while it runs). */
  exclusive<T>(run: () => T | Promise<T>): Promise<T> {
    return this.#push<T>((resolve, reject) => ({ kind: 'exclusive', run, resolve, reject }) as unknown as Task);
  }

  get pending(): number {
    return this.#queue.length;
  }

  /** Lets queued tasks finish, then refuses new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running || this.#queue.length) await yieldToLoop();
  }

  #push<T>(make: (resolve: (v: T) => void, reject: (e: unknown) => void) => Task): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is shutting down'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push(make(resolve as (v: T) => void, reject));
      this.stats.tasks++;
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length) {
        const head = this.#queue[0]!;
        if (head.kind === 'exclusive') {
          this.#queue.shift();
          try {
            head.resolve(await head.run());
          } catch (error) {
            head.reject(error);
          }
          continue;
        }
        await this.#runBatch();
      }
    } finally {
      this.#running = false;
    }
  }

  async #runBatch(): Promise<void> {
    const batch: BatchTask<unknown>[] = [];
    let items = 0;
    for (const task of this.#queue) {
      if (task.kind !== 'batch') break;
      if (batch.length > 0 && items + task.items > MAX_BATCH_ITEMS) break;
      batch.push(task);
      items += task.items;
    }
    this.#queue.splice(0, batch.length);
    this.stats.batches++;
    const touched = new Set<IndexDb>();
    const packing = items >= PACKING_THRESHOLD;
    let sinceYield = 0;
    const context: BatchContext = {
      touch(index) {
        if (touched.has(index)) return;
        index.begin(packing);
        touched.add(index);
      },
      async tick() {
        if (++sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await yieldToLoop();
        }
      },
    };
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    for (const task of batch) {
      try {
        outcomes.push({ ok: true, value: await task.run(context) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    // A task that failed with anything but an Elasticsearch-shaped error (those are raised
    // before writing) may have written half of its work: the whole batch is abandoned.
    const broken = outcomes.find((o) => !o.ok && !(o.error instanceof EsError));
    let commitError: unknown = broken && !broken.ok ? broken.error : undefined;
    const indexed: Promise<void>[] = [];
    for (const index of touched) {
      if (commitError !== undefined) {
        index.rollback();
        continue;
      }
      try {
        indexed.push(index.commit());
        this.stats.commits++;
      } catch (error) {
        commitError = error;
      }
    }
    const settle = (error: unknown) =>
      batch.forEach((task, i) => {
        const outcome = outcomes[i]!;
        if (error !== undefined) task.reject(error);
        else if (outcome.ok) task.resolve(outcome.value);
        else task.reject(outcome.error);
      });
    if (commitError !== undefined || indexed.length === 0) {
      settle(commitError);
      return;
    }
    // Answered once the full-text rows are committed too (by their own thread), while
    // this queue goes on with the next batch.
    Promise.all(indexed).then(
      () => settle(undefined),
      (error: unknown) => settle(error),
    );
  }
}
