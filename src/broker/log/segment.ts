/**
 * One log segment: `<20-digit base offset>.log` holding record batches exactly as stored
 * (after offset assignment), plus its in-memory offset and time indexes (index-file.ts
 * persists them).
 *
 * Writes are synchronous (`fs.writeSync` into the page cache) and happen only on the
 * active segment; fsyncs are asynchronous (libuv thread pool), and so are reads, except
 * the first read of a fetch from recent bytes this process wrote (see `read`). Readers and
 * fsyncs hold a reference, so deleting a segment that is being read closes its
 * descriptor only after the last reader is done (the unlinked file stays readable).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BatchCursor, batchSize, DEFAULT_CURSOR_CHUNK_BYTES } from './batch-cursor.ts';
import { fdatasync, readFully, storageError, writeFullySync } from './fs-io.ts';
import { readIndexFile, type SegmentIndexes, writeIndexFile } from './index-file.ts';
import { OffsetIndex } from './offset-index.ts';
import type { ReadLeases } from './read-buffer-pool.ts';
import { BATCH_HEADER_BYTES, lastOffsetOf, type RecordBatchHeader } from './record-batch.ts';
import { scanSegmentFile } from './segment-scan.ts';
import { TimeIndex } from './time-index.ts';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
const EMPTY = Buffer.alloc(0);

export function offsetFileName(offset: number, suffix: string): string {
  return String(offset).padStart(20, '0') + suffix;
}

/** Parses `00000000000000001234.log` style names; null for anything else. */
export function parseOffsetFileName(name: string, suffix: string): number | null {
  if (!name.endsWith(suffix)) return null;
  const stem = name.slice(0, -suffix.length);
  if (!/^\d{20}$/.test(stem)) return null;
  const value = Number(stem);
  return Number.isSafeInteger(value) ? value : null;
}

export interface SegmentInfo {
  baseOffset: number;
  /** Offset after the segment's last record (its first offset if empty). */
  nextOffset: number;
  sizeBytes: number;
  /** Largest batch MaxTimestamp, -1 if none. */
  maxTimestamp: number;
  file: string;
}

export interface SegmentRecovery {
  validBytes: number;
  truncatedBytes: number;
  /** Why the scan stopped early, if it did. */
  reason: string | null;
}

export class Segment {
  readonly baseOffset: number;
  readonly logPath: string;
  readonly indexPath: string;
  /** Bytes of whole batches in the file. */
  size: number;
  nextOffset: number;
  maxTimestamp = -1;
  offsetOfMaxTimestamp = -1;
  /** Time of the first append (or its best estimate after a crash); -1 while empty. */
  rollBaseMs = -1;
  /** File size captured by the latest flush round (bytes beyond it need a round). */
  syncRequestedSize = 0;
  /** File size known to be fsynced. */
  durableSize = 0;
  /** The index file on disk describes the current content. */
  indexPersisted = false;
  private offsetIndex = new OffsetIndex();
  private timeIndex = new TimeIndex();
  private bytesSinceIndexEntry = 0;
  private readonly fd: number;
  /** File position from which the bytes were written by this process (its whole file if it created it). */
  private readonly writtenFrom: number;
  private refs = 1;
  private released = false;
  private persisting: Promise<void> | null = null;

  private constructor(dir: string, baseOffset: number, fd: number, size: number) {
    this.baseOffset = baseOffset;
    this.logPath = path.join(dir, offsetFileName(baseOffset, LOG_SUFFIX));
    this.indexPath = path.join(dir, offsetFileName(baseOffset, INDEX_SUFFIX));
    this.fd = fd;
    this.size = size;
    this.writtenFrom = size;
    this.nextOffset = baseOffset;
  }

  /** Creates an empty segment file (replacing any leftover with that name). */
  static createSync(dir: string, baseOffset: number): Segment {
    const logPath = path.join(dir, offsetFileName(baseOffset, LOG_SUFFIX));
    fs.rmSync(path.join(dir, offsetFileName(baseOffset, INDEX_SUFFIX)), { force: true });
    try {
      return new Segment(dir, baseOffset, fs.openSync(logPath, 'w+'), 0);
    } catch (err) {
      throw storageError(`cannot create segment ${logPath}`, err, { file: logPath });
    }
  }

  static async open(dir: string, baseOffset: number): Promise<Segment> {
    const logPath = path.join(dir, offsetFileName(baseOffset, LOG_SUFFIX));
    const fd = fs.openSync(logPath, 'r+');
    return new Segment(dir, baseOffset, fd, fs.fstatSync(fd).size);
  }

  info(): SegmentInfo {
    return {
      baseOffset: this.baseOffset,
      nextOffset: this.nextOffset,
      sizeBytes: this.size,
      maxTimestamp: this.maxTimestamp,
      file: this.logPath,
    };
  }

  /** Loads the persisted index; false (and nothing changed) when it is missing or stale. */
  async loadIndex(): Promise<boolean> {
    const loaded = await readIndexFile(this.indexPath);
    if (loaded === null || loaded.summary.logSize !== this.size) return false;
    if (this.size > 0 && loaded.summary.nextOffset <= this.baseOffset) return false;
    this.offsetIndex = loaded.offsetIndex;
    this.timeIndex = loaded.timeIndex;
    this.nextOffset = loaded.summary.nextOffset;
    this.maxTimestamp = loaded.summary.maxTimestamp;
    this.offsetOfMaxTimestamp = loaded.summary.offsetOfMaxTimestamp;
    this.rollBaseMs = loaded.summary.rollBaseMs;
    // Index entries are only added after index.interval.bytes; a closed segment never
    // gets more appends, and an active one starts a fresh interval, which is harmless.
    this.bytesSinceIndexEntry = 0;
    this.indexPersisted = true;
    this.markDurable();
    return true;
  }

  /**
   * Re-reads every batch, checks framing, CRC and offset continuity, rebuilds the
   * indexes, and truncates the file at the first batch that fails (a torn or corrupt
   * tail). `now` estimates rollBaseMs when the first batch's timestamp is unusable.
   */
  async recover(indexIntervalBytes: number, now: number): Promise<SegmentRecovery> {
    this.resetIndexes();
    const fileSize = this.size;
    const { validBytes, reason } = await scanSegmentFile(this.fd, fileSize, (header, position, size) => {
      if (header.baseOffset !== this.nextOffset || header.lastOffsetDelta < 0) {
        return `batch base offset ${header.baseOffset} (last delta ${header.lastOffsetDelta}) where ${this.nextOffset} was expected`;
      }
      this.track(header, position, size, indexIntervalBytes);
      return null;
    });
    if (this.rollBaseMs < 0 || this.rollBaseMs > now) this.rollBaseMs = validBytes > 0 ? now : -1;
    const truncatedBytes = fileSize - validBytes;
    if (truncatedBytes > 0) fs.ftruncateSync(this.fd, validBytes);
    // The crashed process may have left these bytes in the page cache only.
    await fdatasync(this.fd);
    this.size = validBytes;
    this.indexPersisted = false;
    this.markDurable();
    return { validBytes, truncatedBytes, reason };
  }

  /** Writes `bytes` (whole batches whose headers are `headers`) at the end of the file. */
  appendSync(
    bytes: Buffer,
    batches: readonly { header: RecordBatchHeader; position: number; sizeInBytes: number }[],
    indexIntervalBytes: number,
    now: number,
  ): void {
    const start = this.size;
    try {
      writeFullySync(this.fd, bytes, start);
    } catch (err) {
      try {
        fs.ftruncateSync(this.fd, start);
      } catch {
        // The original error is the one worth reporting; recovery trims any tail later.
      }
      throw storageError(`write to ${this.logPath} failed`, err, { file: this.logPath, position: start });
    }
    if (this.size === 0) this.rollBaseMs = now;
    for (const batch of batches) this.track(batch.header, start + batch.position, batch.sizeInBytes, indexIntervalBytes);
    this.size = start + bytes.length;
    this.indexPersisted = false;
  }

  private track(header: RecordBatchHeader, position: number, size: number, indexIntervalBytes: number): void {
    if (this.rollBaseMs < 0 && header.maxTimestamp >= 0) this.rollBaseMs = header.maxTimestamp;
    if (header.maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = header.maxTimestamp;
      this.offsetOfMaxTimestamp = header.baseOffset;
    }
    if (this.bytesSinceIndexEntry > indexIntervalBytes) {
      this.offsetIndex.append(header.baseOffset - this.baseOffset, position);
      if (this.maxTimestamp >= 0) this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += size;
    this.nextOffset = lastOffsetOf(header) + 1;
  }

  /** Records that the whole file as it is now is on disk. */
  markDurable(): void {
    this.syncRequestedSize = this.size;
    this.durableSize = this.size;
  }

  private resetIndexes(): void {
    this.offsetIndex.clear();
    this.timeIndex.clear();
    this.bytesSinceIndexEntry = 0;
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1;
    this.offsetOfMaxTimestamp = -1;
    this.rollBaseMs = -1;
  }

  /**
   * Whole batches starting at the one containing `offset`, up to `maxBytes` (at least the
   * first batch when `minOneBatch`). Null when `offset` is past this segment's end. With
   * `leases`, the result may be a view of a pooled buffer whose lease is added to them:
   * it stays valid until the caller releases them.
   */
  async read(
    offset: number,
    maxBytes: number,
    minOneBatch: boolean,
    indexIntervalBytes: number,
    leases?: ReadLeases,
    /** How many bytes at the end of this segment count as recently written (may be <= 0). */
    recentBytes = 0,
  ): Promise<Buffer | null> {
    this.acquire();
    const cursor = new BatchCursor(this.fd, this.size, this.logPath, DEFAULT_CURSOR_CHUNK_BYTES, leases?.pool ?? null);
    try {
      const start = this.offsetIndex.lookup(offset - this.baseOffset);
      // Recent bytes this process wrote are in the page cache unless memory ran short; a
      // read on this thread then costs a memory copy (~0.2 ms per MiB here), against
      // 0.4-1.1 ms of elapsed time through the libuv pool on a busy 2-core machine, and
      // a consumer that keeps one fetch in flight (librdkafka) waits for every one of
      // them. Older bytes (and segments found at start) go through the pool, so a
      // page-cache miss does not block the event loop for them.
      const recent = start >= this.writtenFrom && start >= this.size - recentBytes;
      await cursor.prime(start, Math.max(0, maxBytes) + indexIntervalBytes + BATCH_HEADER_BYTES, recent);
      let first = start;
      let header = await cursor.headerAt(first);
      while (header !== null && lastOffsetOf(header) < offset) {
        first += batchSize(header);
        header = await cursor.headerAt(first);
      }
      if (header === null) return null;
      if (batchSize(header) > maxBytes && !minOneBatch) return EMPTY;
      let end = first + batchSize(header);
      for (;;) {
        const next = await cursor.headerAt(end);
        if (next === null || end + batchSize(next) - first > maxBytes) break;
        end += batchSize(next);
      }
      const view = cursor.slice(first, end);
      if (view === null) return await readFully(this.fd, first, end - first);
      const lease = cursor.detach();
      if (lease !== null) leases!.keep(lease);
      return view;
    } finally {
      cursor.dispose();
      this.release();
    }
  }

  /**
   * Header of the first batch whose MaxTimestamp >= `timestamp` and whose last offset is
   * >= `minOffset`, or null.
   */
  async findByTimestamp(timestamp: number, minOffset: number): Promise<RecordBatchHeader | null> {
    if (this.maxTimestamp < timestamp || this.nextOffset <= minOffset) return null;
    this.acquire();
    try {
      const fromTime = this.timeIndex.scanStartFor(timestamp);
      const fromRel = Math.max(fromTime, minOffset - this.baseOffset, 0);
      const cursor = new BatchCursor(this.fd, this.size, this.logPath);
      let pos = this.offsetIndex.lookup(fromRel);
      for (let h = await cursor.headerAt(pos); h !== null; h = await cursor.headerAt(pos)) {
        if (h.maxTimestamp >= timestamp && lastOffsetOf(h) >= minOffset) return h;
        pos += batchSize(h);
      }
      return null;
    } finally {
      this.release();
    }
  }

  /** Calls `visit` for every batch header whose last offset is >= `fromOffset`, in order. */
  async forEachHeader(fromOffset: number, visit: (header: RecordBatchHeader) => void): Promise<void> {
    this.acquire();
    try {
      const cursor = new BatchCursor(this.fd, this.size, this.logPath, 1024 * 1024);
      let pos = this.offsetIndex.lookup(Math.max(0, fromOffset - this.baseOffset));
      for (let h = await cursor.headerAt(pos); h !== null; h = await cursor.headerAt(pos)) {
        if (lastOffsetOf(h) >= fromOffset) visit(h);
        pos += batchSize(h);
      }
    } finally {
      this.release();
    }
  }

  /** fdatasync of the segment file; a no-op once the segment is closed or deleted. */
  async sync(): Promise<void> {
    if (this.released) return;
    this.acquire();
    try {
      await fdatasync(this.fd);
    } catch (err) {
      throw storageError(`fdatasync of ${this.logPath} failed`, err, { file: this.logPath });
    } finally {
      this.release();
    }
  }

  /** Writes the index file if it is stale. Only call once the `.log` bytes are fsynced. */
  async persistIndex(): Promise<void> {
    while (this.persisting !== null) await this.persisting;
    if (this.indexPersisted || this.released) return;
    this.persisting = this.writeIndex().finally(() => {
      this.persisting = null;
    });
    await this.persisting;
  }

  private async writeIndex(): Promise<void> {
    const size = this.size;
    const indexes: SegmentIndexes = {
      summary: {
        logSize: size,
        nextOffset: this.nextOffset,
        maxTimestamp: this.maxTimestamp,
        offsetOfMaxTimestamp: this.offsetOfMaxTimestamp,
        rollBaseMs: this.rollBaseMs,
      },
      offsetIndex: this.offsetIndex,
      timeIndex: this.timeIndex,
    };
    // encodeIndexFile runs synchronously inside writeIndexFile before its first await,
    // so appends that follow cannot tear the snapshot.
    await writeIndexFile(this.indexPath, indexes);
    if (this.size === size) this.indexPersisted = true;
  }

  /** Closes the descriptor once no reader holds it. */
  close(): void {
    if (this.released) return;
    this.released = true;
    this.release();
  }

  /** Unlinks the files now; the descriptor closes when the last reader is done. */
  async deleteFiles(): Promise<void> {
    this.close();
    await fs.promises.rm(this.logPath, { force: true });
    await fs.promises.rm(this.indexPath, { force: true });
  }

  private acquire(): void {
    if (this.refs === 0) throw storageError(`segment ${this.logPath} is closed`, undefined, { file: this.logPath });
    this.refs++;
  }

  private release(): void {
    if (--this.refs === 0) fs.close(this.fd, () => {});
  }
}
