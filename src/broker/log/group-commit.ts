/**
 * Group commit: many `request()` callers share fsync rounds. At most one round runs and
 * at most one more is queued; every caller that arrives while a round runs joins the
 * queued round, which starts when the running one ends. A caller whose writes a running
 * round already covers just waits for it, and a caller with nothing unsynced returns at
 * once. So N concurrent callers cost at most two rounds, never N fsyncs.
 *
 * Writes are counted with `noteWrite()`; a round covers every write noted before it
 * started (the round function runs synchronously up to its first await).
 */
export type FlushRound = () => Promise<void>;

interface Round {
  promise: Promise<void>;
  /** Write sequence number the round covers when it completes. */
  covers: number;
}

export class GroupCommit {
  private readonly runRound: FlushRound;
  private written = 0;
  private durable = 0;
  private running: Round | null = null;
  private queued: Promise<void> | null = null;

  constructor(runRound: FlushRound) {
    this.runRound = runRound;
  }

  /** Records that a write happened; it needs a round to become durable. */
  noteWrite(): void {
    this.written++;
  }

  get pending(): boolean {
    return this.durable < this.written;
  }

  get busy(): boolean {
    return this.running !== null || this.queued !== null;
  }

  /** Resolves once every write noted before this call is durable. */
  request(): Promise<void> {
    const target = this.written;
    if (this.durable >= target) return Promise.resolve();
    if (this.running !== null && this.running.covers >= target) return this.running.promise;
    // The queued round starts later than now, so it covers this caller's writes too.
    if (this.queued !== null) return this.queued;
    if (this.running === null) return this.start();
    const queued = this.running.promise.then(noop, noop).then(() => {
      this.queued = null;
      return this.start();
    });
    this.queued = queued;
    return queued;
  }

  private start(): Promise<void> {
    const covers = this.written;
    const promise = this.runRound().then(() => {
      if (covers > this.durable) this.durable = covers;
    });
    const round: Round = { promise, covers };
    this.running = round;
    const clear = (): void => {
      if (this.running === round) this.running = null;
    };
    promise.then(clear, clear);
    return promise;
  }
}

function noop(): void {}
