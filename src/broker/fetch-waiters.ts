/**
 * Long-polling Fetch requests waiting for data: a fetch that found fewer than min_bytes
 * registers the partitions it reads and is woken by the next append to any of them (or
 * by its max_wait_ms timer, or by shutdown).
 */
export class FetchWaiters {
  readonly #byPartition = new Map<string, Set<() => void>>();

  static key(topic: string, partition: number): string {
    return `${partition}:${topic}`;
  }

  /** Calls `wake` once, on the first append to any of `keys`; returns a cancel function. */
  wait(keys: readonly string[], wake: () => void): () => void {
    let done = false;
    const fire = () => {
      if (done) return;
      cancel();
      wake();
    };
    const cancel = () => {
      done = true;
      for (const key of keys) {
        const set = this.#byPartition.get(key);
        if (!set) continue;
        set.delete(fire);
        if (set.size === 0) this.#byPartition.delete(key);
      }
    };
    for (const key of keys) {
      let set = this.#byPartition.get(key);
      if (!set) {
        set = new Set();
        this.#byPartition.set(key, set);
      }
      set.add(fire);
    }
    return cancel;
  }

  notify(topic: string, partition: number): void {
    const set = this.#byPartition.get(FetchWaiters.key(topic, partition));
    if (!set) return;
    for (const fire of [...set]) fire();
  }

  /** Wakes every waiter (shutdown). */
  wakeAll(): void {
    const all = new Set<() => void>();
    for (const set of this.#byPartition.values()) for (const fire of set) all.add(fire);
    for (const fire of all) fire();
  }

  get size(): number {
    let n = 0;
    for (const set of this.#byPartition.values()) n += set.size;
    return n;
  }
}
