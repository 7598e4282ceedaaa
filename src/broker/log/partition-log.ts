/**
 * The log of one partition on a single node: a directory of segments, the active one
 * written at the end.
 *
 * Errors: what a Produce/Fetch/ListOffsets/DeleteRecords handler answers per partition
 * is raised as `KafkaProtocolError` (CORRUPT_MESSAGE, INVALID_RECORD, MESSAGE_TOO_LARGE,
 * OFFSET_OUT_OF_RANGE, OUT_OF_ORDER_SEQUENCE_NUMBER, ...). A disk failure is raised as
 * `LoglaneError` LOGLANE_ERR_BROKER_STORAGE (answer KAFKA_STORAGE_ERROR); after a failed
 * write or fsync the log refuses further appends and flushes, because the page cache no
 * longer tells what is on disk (the "fsyncgate" lesson), until it is reopened.
 *
 * Design choices, measured with test/broker/log/bench-partition-log.ts on this 2-vCPU VM
 * (~16 KiB batches of 200-byte records):
 * - Appends are synchronous: validation (CRC-32C), offset assignment and `fs.writeSync`
 *   into the page cache in one call, so appends are ordered and all-or-nothing without a
 *   queue. One append blocks the event loop ~20-25 us; 650-740 MB/s without flushing.
 * - Durability is `flush()`, a group commit (group-commit.ts, log-flusher.ts): acks=-1
 *   awaits it, acks=1 does not. fdatasync costs ~0.5-0.7 ms here: one producer awaiting a
 *   flush after every append gets 23-30 MB/s, eight concurrent producers 105-110 MB/s
 *   (~4.5 appends per fsync). Optional background policies: `flushMessages`, `flushMs`.
 *   A rolled segment is flushed in the background, as Kafka does.
 * - Reads are positional reads (segment.ts): 1.6-2.5 GB/s in 1 MiB fetches on the libuv
 *   pool, versus 4.7-6 GB/s for `fs.readSync`, which blocks the loop ~160-210 us per MiB
 *   from page cache and for a whole disk access on a cache miss. Bytes written by this
 *   process within RECENT_READ_BYTES of the log end (page cache) are read with
 *   `readSync`: librdkafka keeps one fetch in flight
 *   per partition and waits for each answer, and on a busy machine the pool's two thread
 *   hand-offs took 0.4-1.1 ms per ~1 MB fetch, against 0.22-0.3 ms (docs/benchmarks.md).
 *   Older bytes and segments found at start go through the pool, so a cold read does
 *   not block the loop.
 *   (Event-loop pauses seen while reading are V8 mark-compacts, 3-6 ms, triggered by the
 *   per-fetch buffers' external memory, not by I/O.)
 * - The high watermark is the log end offset (single node): consumers may read records
 *   that are not fsynced yet, as with Kafka's default flush policy. `flushedOffset`
 *   tells how far the log is durable.
 */
import fs from 'node:fs';
import { LoglaneError } from '../../errors/loglane-error.ts';
import { KafkaError, KafkaProtocolError } from '../protocol/error-codes.ts';
import { storageError } from './fs-io.ts';
import { type LogConfig, resolveLogConfig } from './log-config.ts';
import { LogFlusher } from './log-flusher.ts';
import { type LogLogger, type LogMetrics, newLogMetrics, SILENT_LOGGER } from './log-metrics.ts';
import { planRetention, type RetentionReason } from './log-retention.ts';
import { loadPartition, type RecoveryReport } from './partition-log-loader.ts';
import { writePartitionState } from './partition-state-file.ts';
import { writeProducerSnapshot } from './producer-snapshots.ts';
import type { ReadLeases } from './read-buffer-pool.ts';
import type { ProducerBatch, ProducerStateManager } from './producer-state.ts';
import {
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  splitProducedBatches,
} from './record-batch.ts';
import { Segment, type SegmentInfo } from './segment.ts';

const EMPTY = Buffer.alloc(0);
const INT32_MAX = 0x7fffffff;
/**
 * Fetch reads of bytes this process wrote, within this distance of the log end, run on
 * the event loop (they are in the page cache unless memory ran short); older bytes go
 * through the libuv pool, so a consumer replaying old data cannot block the loop on disk.
 */
export const RECENT_READ_BYTES = 1024 * 1024 * 1024;

export interface PartitionLogOptions {
  config?: Partial<LogConfig>;
  logger?: LogLogger;
  /** Written into every batch's PartitionLeaderEpoch; a single node keeps it constant. */
  leaderEpoch?: number;
  /** Clock reading for recovery decisions at open; defaults to Date.now(). */
  now?: number;
}

export interface AppendOptions {
  /** Wall clock (ms) for LogAppendTime, segment.ms and producer expiration. */
  now: number;
}

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The append time for LogAppendTime topics, -1 otherwise (Produce response field). */
  logAppendTime: number;
  logStartOffset: number;
  /** True when an idempotent retry was answered from producer state without writing. */
  duplicate: boolean;
}

export interface ReadOptions {
  /** KIP-74: return the first batch whole even when it is larger than maxBytes. */
  minOneBatch: boolean;
  /**
   * Read into pooled buffers, adding their leases here: the returned bytes stay valid
   * only until these are released (fetch releases them after the socket wrote the response).
   */
  leases?: ReadLeases;
}

export interface TimestampOffset {
  offset: number;
  timestamp: number;
}

export interface DeletedSegments {
  logStartOffset: number;
  deleted: (SegmentInfo & { reason: RetentionReason | 'log-start-offset' })[];
}

export class PartitionLog {
  readonly dir: string;
  readonly metrics: LogMetrics = newLogMetrics();
  /** What open found: clean or not, what was scanned and truncated. */
  readonly recovery: RecoveryReport;
  private cfg: Readonly<LogConfig>;
  private readonly logger: LogLogger;
  private readonly leaderEpoch: number;
  private segs: Segment[];
  private startOffset: number;
  private endOffset: number;
  private readonly producers: ProducerStateManager;
  private readonly flusher: LogFlusher;
  private readonly background = new Set<Promise<unknown>>();
  private exclusiveTail: Promise<unknown> = Promise.resolve();
  private failure: LoglaneError | null = null;
  private state: 'open' | 'closing' | 'closed' = 'open';

  private constructor(dir: string, cfg: Readonly<LogConfig>, options: PartitionLogOptions, loaded: Awaited<ReturnType<typeof loadPartition>>) {
    this.dir = dir;
    this.cfg = cfg;
    this.logger = options.logger ?? SILENT_LOGGER;
    this.leaderEpoch = options.leaderEpoch ?? 0;
    this.segs = loaded.segments;
    this.startOffset = loaded.logStartOffset;
    this.endOffset = this.active.nextOffset;
    this.producers = loaded.producers;
    this.recovery = loaded.report;
    this.metrics.recoveryTruncatedBytes = loaded.report.truncatedBytes;
    this.flusher = new LogFlusher(
      {
        dir,
        metrics: this.metrics,
        currentSegments: () => this.segs,
        currentLogEndOffset: () => this.endOffset,
        fail: (err) => this.fail(err),
        track: (task, what) => this.track(task, what),
      },
      this.endOffset,
    );
    this.flusher.startTimer(cfg.flushMs);
  }

  /** Opens (creating if needed) the partition directory and recovers it. */
  static async open(dir: string, options: PartitionLogOptions = {}): Promise<PartitionLog> {
    const cfg = resolveLogConfig(options.config);
    const loaded = await loadPartition(dir, cfg, options.logger ?? SILENT_LOGGER, options.now ?? Date.now());
    return new PartitionLog(dir, cfg, options, loaded);
  }

  get config(): Readonly<LogConfig> {
    return this.cfg;
  }

  /** Applies topic config changes (AlterConfigs); validated like at open. */
  updateConfig(changes: Partial<LogConfig>): void {
    this.cfg = resolveLogConfig({ ...this.cfg, ...changes });
    if (this.state === 'open') this.flusher.startTimer(this.cfg.flushMs);
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.endOffset;
  }

  /** Equal to the log end offset on a single node. */
  get highWatermark(): number {
    return this.endOffset;
  }

  /** Offsets below this are fsynced (Kafka's recovery point). */
  get flushedOffset(): number {
    return this.flusher.flushedOffset;
  }

  get sizeBytes(): number {
    let total = 0;
    for (const s of this.segs) total += s.size;
    return total;
  }

  segments(): SegmentInfo[] {
    return this.segs.map((s) => s.info());
  }

  private get active(): Segment {
    return this.segs.at(-1)!;
  }

  /**
   * Validates the batches of one Produce request for this partition, assigns offsets and
   * writes them. All or nothing: if any batch is invalid nothing is written. The buffer
   * is rewritten in place (BaseOffset, PartitionLeaderEpoch, and for LogAppendTime topics
   * attributes, MaxTimestamp and CRC) and becomes the stored bytes.
   */
  append(records: Buffer, options: AppendOptions): AppendResult {
    this.ensureWritable();
    const cfg = this.cfg;
    const now = options.now;
    const batches = splitProducedBatches(records, cfg);
    const logAppendTime = cfg.messageTimestampType === 'LogAppendTime';
    const staged = this.producers.begin();
    let next = this.endOffset;
    let recordCount = 0;
    for (const batch of batches) {
      const verdict = staged.check(batch.header);
      if (verdict.kind === 'reject') throw new KafkaProtocolError(verdict.errorCode, verdict.message);
      if (verdict.kind === 'duplicate') return this.duplicateResult(verdict.batch);
      batch.header.baseOffset = next;
      if (logAppendTime) batch.header.maxTimestamp = now;
      staged.stage(batch.header, now);
      next += batch.header.lastOffsetDelta + 1;
      recordCount += batch.header.recordsCount;
    }
    if (this.shouldRoll(records.length, next, now)) this.roll(now);
    for (const batch of batches) {
      setBaseOffset(records, batch.position, batch.header.baseOffset);
      setPartitionLeaderEpoch(records, batch.position, this.leaderEpoch);
      batch.header.partitionLeaderEpoch = this.leaderEpoch;
      if (logAppendTime) setLogAppendTime(records, batch.position, batch.sizeInBytes, now);
    }
    try {
      this.active.appendSync(records, batches, cfg.indexIntervalBytes, now);
    } catch (err) {
      throw this.fail(err);
    }
    const baseOffset = this.endOffset;
    this.endOffset = next;
    staged.commit();
    this.metrics.bytesAppended += records.length;
    this.metrics.recordsAppended += recordCount;
    this.metrics.batchesAppended += batches.length;
    this.flusher.noteAppend(recordCount, cfg.flushMessages);
    return {
      baseOffset,
      lastOffset: next - 1,
      logAppendTime: logAppendTime ? now : -1,
      logStartOffset: this.startOffset,
      duplicate: false,
    };
  }

  private duplicateResult(batch: ProducerBatch): AppendResult {
    this.metrics.duplicateBatches++;
    return {
      baseOffset: batch.baseOffset,
      lastOffset: batch.lastOffset,
      logAppendTime: this.cfg.messageTimestampType === 'LogAppendTime' ? batch.timestamp : -1,
      logStartOffset: this.startOffset,
      duplicate: true,
    };
  }

  private shouldRoll(bytes: number, nextOffset: number, now: number): boolean {
    const seg = this.active;
    if (seg.size === 0) return false;
    return (
      seg.size + bytes > this.cfg.segmentBytes ||
      now - seg.rollBaseMs > this.cfg.segmentMs ||
      nextOffset - 1 - seg.baseOffset > INT32_MAX
    );
  }

  /** Starts a new active segment at the log end; the old one is flushed in the background. */
  private roll(now: number): void {
    const old = this.active;
    const snapshot = this.producers.snapshot(this.endOffset);
    const seg = Segment.createSync(this.dir, this.endOffset);
    seg.rollBaseMs = now;
    this.segs = [...this.segs, seg];
    this.metrics.segmentsRolled++;
    this.flusher.noteNewFile();
    this.flusher.segmentRolled(old);
    this.track(writeProducerSnapshot(this.dir, this.endOffset, snapshot), 'producer snapshot');
  }

  /** Resolves when everything appended before the call is fsynced (group commit). */
  flush(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return this.flusher.flush();
  }

  /** Resolves once background work (roll flushes, index and snapshot writes) has settled. */
  async idle(): Promise<void> {
    await this.settleBackground();
  }

  /**
   * Whole batches from the one containing `offset`, up to `maxBytes` (KIP-74: at least
   * one whole batch with `minOneBatch`), from a single segment. Empty at the log end.
   */
  async read(offset: number, maxBytes: number, options: ReadOptions = { minOneBatch: true }): Promise<Buffer> {
    this.ensureOpen();
    if (offset < this.startOffset || offset > this.endOffset) {
      throw new KafkaProtocolError(
        KafkaError.OFFSET_OUT_OF_RANGE,
        `offset ${offset} is outside [${this.startOffset}, ${this.endOffset}]`,
      );
    }
    if (offset === this.endOffset) return EMPTY;
    const segs = this.segs;
    const first = this.segmentIndexFor(offset, segs);
    // Bytes within RECENT_READ_BYTES of the log end, in segments after `first`.
    let later = 0;
    for (let i = first + 1; i < segs.length; i++) later += segs[i]!.size;
    for (let i = first; i < segs.length; i++) {
      const segment = segs[i]!;
      const recent = RECENT_READ_BYTES - later;
      const data = await segment.read(offset, maxBytes, options.minOneBatch, this.cfg.indexIntervalBytes, options.leases, recent);
      if (data !== null) return data;
      if (i + 1 < segs.length) later -= segs[i + 1]!.size;
    }
    return EMPTY;
  }

  /** Index of the segment with the greatest base offset <= `offset` (0 if none). */
  private segmentIndexFor(offset: number, segs: readonly Segment[]): number {
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (segs[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * ListOffsets by timestamp, at batch granularity: the base offset of the first batch
   * whose MaxTimestamp >= `timestamp` (clamped to the log start), or null. Records of that
   * batch may be older; clients skip them by timestamp only if they care. Exact record
   * offsets would need decompression, which the broker avoids.
   */
  async offsetForTimestamp(timestamp: number): Promise<TimestampOffset | null> {
    this.ensureOpen();
    const segs = this.segs;
    for (let i = this.segmentIndexFor(this.startOffset, segs); i < segs.length; i++) {
      const header = await segs[i]!.findByTimestamp(timestamp, this.startOffset);
      if (header !== null) {
        return { offset: Math.max(header.baseOffset, this.startOffset), timestamp: header.maxTimestamp };
      }
    }
    return null;
  }

  /**
   * ListOffsets -3 (MAX_TIMESTAMP): the largest batch MaxTimestamp and the base offset of
   * the first batch carrying it (batch granularity), or null when no retained batch has one.
   */
  maxTimestampOffset(): TimestampOffset | null {
    let best: TimestampOffset | null = null;
    for (const seg of this.segs) {
      if (seg.nextOffset <= this.startOffset || seg.maxTimestamp < 0) continue;
      if (best === null || seg.maxTimestamp > best.timestamp) {
        best = { offset: Math.max(seg.offsetOfMaxTimestamp, this.startOffset), timestamp: seg.maxTimestamp };
      }
    }
    return best;
  }

  /**
   * DeleteRecords: moves the log start offset to `offset` (durably, before answering) and
   * deletes the segments wholly below it. Returns the new log start offset.
   */
  deleteRecordsBefore(offset: number): Promise<DeletedSegments> {
    return this.exclusive(async () => {
      this.ensureWritable();
      if (offset < 0 || offset > this.endOffset) {
        throw new KafkaProtocolError(
          KafkaError.OFFSET_OUT_OF_RANGE,
          `cannot delete records before ${offset}: the log ends at ${this.endOffset}`,
        );
      }
      if (offset <= this.startOffset) return { logStartOffset: this.startOffset, deleted: [] };
      this.startOffset = offset;
      await this.persistState();
      let count = 0;
      while (count + 1 < this.segs.length && this.segs[count + 1]!.baseOffset <= offset) count++;
      const deleted = await this.deleteOldest(count, new Array(count).fill('log-start-offset'));
      this.producers.truncateHead(this.startOffset);
      return { logStartOffset: this.startOffset, deleted };
    });
  }

  /**
   * Retention (cleanup.policy=delete) and producer-id expiration, for the broker's
   * periodic check. An active segment whose newest timestamp is past retention.ms is
   * rolled first (as Kafka does) so that idle partitions expire too.
   */
  applyRetention(now: number): Promise<DeletedSegments> {
    return this.exclusive(async () => {
      this.ensureWritable();
      this.producers.expire(now, this.cfg.producerIdExpirationMs);
      const active = this.active;
      if (this.cfg.retentionMs >= 0 && active.size > 0 && now - newestTimestamp(active) > this.cfg.retentionMs) {
        this.roll(now);
      }
      const candidates = this.segs.slice(0, -1).map((s) => ({
        baseOffset: s.baseOffset,
        sizeBytes: s.size,
        newestTimestamp: newestTimestamp(s),
      }));
      const plan = planRetention(candidates, this.sizeBytes, this.cfg, now);
      if (plan.count === 0) return { logStartOffset: this.startOffset, deleted: [] };
      const newStart = this.segs[plan.count]!.baseOffset;
      if (newStart > this.startOffset) {
        this.startOffset = newStart;
        await this.persistState();
      }
      const deleted = await this.deleteOldest(plan.count, plan.reasons);
      this.producers.truncateHead(this.startOffset);
      return { logStartOffset: this.startOffset, deleted };
    });
  }

  private async deleteOldest(count: number, reasons: DeletedSegments['deleted'][number]['reason'][]): Promise<DeletedSegments['deleted']> {
    const doomed = this.segs.slice(0, count);
    this.segs = this.segs.slice(count);
    const deleted: DeletedSegments['deleted'] = [];
    for (const [i, seg] of doomed.entries()) {
      deleted.push({ ...seg.info(), reason: reasons[i]! });
      await seg.deleteFiles();
      this.metrics.segmentsDeleted++;
    }
    if (deleted.length > 0) {
      this.logger.info(
        { dir: this.dir, logStartOffset: this.startOffset, deleted: deleted.map((d) => [d.file, d.reason]) },
        'deleted log segments',
      );
    }
    return deleted;
  }

  /** Flushes, persists indexes and producer state, and marks a clean shutdown. */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.flusher.stopTimer();
    await this.exclusiveTail.catch(() => {});
    try {
      if (this.failure === null) {
        await this.flusher.flush();
        await this.settleBackground();
      }
      if (this.failure === null) {
        for (const seg of this.segs) await seg.persistIndex();
        await writeProducerSnapshot(this.dir, this.endOffset, this.producers.snapshot(this.endOffset));
        const active = this.active;
        await writePartitionState(this.dir, {
          logStartOffset: this.startOffset,
          cleanShutdown: { activeBaseOffset: active.baseOffset, activeSizeBytes: active.size, logEndOffset: this.endOffset },
        });
      } else {
        await this.settleBackground();
        this.logger.warn({ dir: this.dir, error: this.failure.message }, 'closing a failed partition log without a clean-shutdown mark');
      }
    } finally {
      for (const seg of this.segs) seg.close();
      this.state = 'closed';
    }
  }

  /** Closes without flushing and removes the partition directory (DeleteTopics). */
  async delete(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closing';
      this.flusher.stopTimer();
      await this.exclusiveTail.catch(() => {});
      await this.settleBackground();
      for (const seg of this.segs) seg.close();
    }
    this.state = 'closed';
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }

  private persistState(): Promise<void> {
    return writePartitionState(this.dir, { logStartOffset: this.startOffset, cleanShutdown: null }).catch((err) => {
      throw this.fail(err);
    });
  }

  /** Keeps a background task for close() to wait on; its failure is logged, not thrown. */
  private track(task: Promise<unknown>, what: string): void {
    const tracked = task.then(
      () => {},
      (err: unknown) => this.logger.warn({ dir: this.dir, error: String(err) }, `${what} failed`),
    );
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  private async settleBackground(): Promise<void> {
    while (this.background.size > 0) await Promise.all(this.background);
  }

  /** Runs admin operations (retention, DeleteRecords) one at a time. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.exclusiveTail.then(task, task);
    this.exclusiveTail = result.catch(() => {});
    return result;
  }

  private fail(err: unknown): LoglaneError {
    const error =
      err instanceof LoglaneError ? err : storageError(`partition log ${this.dir} failed: ${String(err)}`, err, { dir: this.dir });
    if (this.failure === null) {
      this.failure = error;
      this.logger.warn({ dir: this.dir, error: error.message }, 'partition log failed; it refuses writes until reopened');
    }
    return error;
  }

  private ensureOpen(): void {
    if (this.state === 'closed') throw storageError(`partition log ${this.dir} is closed`, undefined, { dir: this.dir });
  }

  private ensureWritable(): void {
    if (this.state !== 'open') throw storageError(`partition log ${this.dir} is closed`, undefined, { dir: this.dir });
    if (this.failure !== null) throw this.failure;
  }
}

/** A segment's newest timestamp, or its file's mtime when no batch carries one. */
function newestTimestamp(seg: Segment): number {
  if (seg.maxTimestamp >= 0) return seg.maxTimestamp;
  try {
    return fs.statSync(seg.logPath).mtimeMs;
  } catch {
    return Date.now();
  }
}
