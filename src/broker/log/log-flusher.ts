/**
 * Durability policy of one partition log: group-commit flush rounds (group-commit.ts),
 * the background policies `flush.messages` and `flush.ms`, the flush Kafka does when a
 * segment rolls, and writing a rolled segment's index once its bytes are on disk.
 *
 * A round fsyncs (fdatasync) every segment with bytes beyond what an earlier round
 * captured, plus the directory when a segment file was created since, so data in a new
 * segment is reachable after power loss. The default policy syncs only on `flush()`
 * (which acks=-1 awaits), on roll and on close.
 */
import type { LoglaneError } from '../../errors/loglane-error.ts';
import { fsyncDirectory } from './fs-io.ts';
import { GroupCommit } from './group-commit.ts';
import { MAX_TIMER_MS } from './log-config.ts';
import type { LogMetrics } from './log-metrics.ts';
import type { Segment } from './segment.ts';

export interface FlushHost {
  readonly dir: string;
  readonly metrics: LogMetrics;
  /** Current segments, oldest first; the last is active. */
  currentSegments(): readonly Segment[];
  currentLogEndOffset(): number;
  /** Records a disk failure; returns the error to throw. */
  fail(err: unknown): LoglaneError;
  /** Keeps a background task for close() to await; logs its failure. */
  track(task: Promise<unknown>, what: string): void;
}

export class LogFlusher {
  private readonly host: FlushHost;
  private readonly commit: GroupCommit;
  private dirDirty = false;
  private recordsSinceFlush = 0;
  private timer: NodeJS.Timeout | null = null;
  private durableOffset: number;

  constructor(host: FlushHost, flushedOffset: number) {
    this.host = host;
    this.durableOffset = flushedOffset;
    this.commit = new GroupCommit(() => this.round());
  }

  /** Offsets below this are fsynced (Kafka's recovery point). */
  get flushedOffset(): number {
    return this.durableOffset;
  }

  get pending(): boolean {
    return this.commit.pending;
  }

  /** Resolves when everything written before the call is fsynced. */
  flush(): Promise<void> {
    return this.commit.request();
  }

  /** Counts an append; starts a background round once `flushMessages` records are pending. */
  noteAppend(records: number, flushMessages: number): void {
    this.commit.noteWrite();
    this.recordsSinceFlush += records;
    if (this.recordsSinceFlush >= flushMessages) this.flushInBackground();
  }

  /** A segment file was created: the next round also fsyncs the directory. */
  noteNewFile(): void {
    this.dirDirty = true;
  }

  /** Kafka flushes a segment when it stops being active; its index follows. */
  segmentRolled(old: Segment): void {
    if (old.size > old.syncRequestedSize) this.flushInBackground();
    else if (old.durableSize === old.size) this.host.track(old.persistIndex(), 'index write');
    // Otherwise a running round holds its bytes and writes its index when it ends.
  }

  /** (Re)starts the `flush.ms` timer; values above MAX_TIMER_MS disable it. */
  startTimer(flushMs: number): void {
    this.stopTimer();
    if (flushMs > MAX_TIMER_MS) return;
    this.timer = setInterval(() => {
      if (this.commit.pending) this.flushInBackground();
    }, Math.max(1, flushMs));
    this.timer.unref();
  }

  stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private flushInBackground(): void {
    this.host.track(this.commit.request(), 'background flush');
  }

  private async round(): Promise<void> {
    const started = performance.now();
    const coversOffset = this.host.currentLogEndOffset();
    const captured: [Segment, number][] = [];
    for (const seg of this.host.currentSegments()) {
      if (seg.size > seg.syncRequestedSize) {
        seg.syncRequestedSize = seg.size;
        captured.push([seg, seg.size]);
      }
    }
    const syncDir = this.dirDirty;
    this.dirDirty = false;
    this.recordsSinceFlush = 0;
    try {
      await Promise.all([...captured.map(([seg]) => seg.sync()), syncDir ? fsyncDirectory(this.host.dir) : undefined]);
    } catch (err) {
      throw this.host.fail(err);
    }
    for (const [seg, size] of captured) seg.durableSize = Math.max(seg.durableSize, size);
    if (coversOffset > this.durableOffset) this.durableOffset = coversOffset;
    const elapsed = performance.now() - started;
    const metrics = this.host.metrics;
    metrics.flushCount++;
    metrics.fsyncCount += captured.length + (syncDir ? 1 : 0);
    metrics.lastFsyncMs = elapsed;
    metrics.totalFsyncMs += elapsed;
    const active = this.host.currentSegments().at(-1);
    for (const [seg] of captured) {
      if (seg !== active && seg.durableSize === seg.size) this.host.track(seg.persistIndex(), 'index write');
    }
  }
}
