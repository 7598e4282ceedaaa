/**
 * Walks batch headers of a segment file with few reads: it keeps one window of file
 * bytes and refills it (a whole chunk, not just 61 bytes) only when the header asked for
 * lies outside. A batch bigger than the chunk is skipped by its Length without reading
 * its body. Used by fetch reads, timestamp lookups and producer-state replay; recovery
 * has its own loop because it needs every byte for the CRC.
 *
 * With a pool, windows are read into leased buffers: a `slice` stays valid only until
 * the next refill or `dispose`, unless the caller takes the window's lease with `detach`.
 */
import { LoglaneError } from '../../errors/loglane-error.ts';
import { readFully, readFullyInto, readFullyIntoSync } from './fs-io.ts';
import type { ReadBufferPool, ReadLease } from './read-buffer-pool.ts';
import { BATCH_HEADER_BYTES, LOG_OVERHEAD, type RecordBatchHeader, readBatchHeader } from './record-batch.ts';

const EMPTY = Buffer.alloc(0);
export const DEFAULT_CURSOR_CHUNK_BYTES = 64 * 1024;

export class BatchCursor {
  private readonly fd: number;
  private readonly limit: number;
  private readonly chunkBytes: number;
  private readonly file: string;
  private readonly pool: ReadBufferPool | null;
  private window: Buffer = EMPTY;
  private windowStart = 0;
  /** The lease the window lives in, when it came from the pool. */
  private lease: ReadLease | null = null;

  /** `limit` is the file size the caller may see (bytes appended after it are ignored). */
  constructor(fd: number, limit: number, file: string, chunkBytes = DEFAULT_CURSOR_CHUNK_BYTES, pool: ReadBufferPool | null = null) {
    this.fd = fd;
    this.limit = limit;
    this.file = file;
    this.chunkBytes = chunkBytes;
    this.pool = pool;
  }

  /**
   * Loads `[position, position + length)` (capped at the limit) as the window. `sync`
   * reads on the calling thread instead of the libuv pool: only for bytes that are in
   * the page cache, where it saves the two thread hand-offs (see Segment.read).
   */
  async prime(position: number, length: number, sync = false): Promise<void> {
    const len = Math.min(Math.max(length, BATCH_HEADER_BYTES), this.limit - position);
    if (len <= 0) return;
    const lease = this.pool?.lease(len) ?? null;
    let window: Buffer;
    if (lease === null) {
      if (sync) {
        const buffer = Buffer.allocUnsafe(len);
        window = buffer.subarray(0, readFullyIntoSync(this.fd, buffer, position, len));
      } else {
        window = await readFully(this.fd, position, len);
      }
    } else {
      try {
        const read = sync ? readFullyIntoSync(this.fd, lease.buffer, position, len) : await readFullyInto(this.fd, lease.buffer, position, len);
        window = lease.buffer.subarray(0, read);
      } catch (error) {
        lease.release();
        throw error;
      }
    }
    this.lease?.release();
    this.lease = lease;
    this.window = window;
    this.windowStart = position;
  }

  /** Hands the current window's lease (if any) to the caller, who now releases it; the window stays readable. */
  detach(): ReadLease | null {
    const lease = this.lease;
    this.lease = null;
    return lease;
  }

  /** Releases the window's lease unless it was detached; the cursor must not be used afterwards. */
  dispose(): void {
    this.lease?.release();
    this.lease = null;
    this.window = EMPTY;
  }

  /** The header of the batch starting at `position`, or null when no whole header fits before the limit. */
  async headerAt(position: number): Promise<RecordBatchHeader | null> {
    if (position + BATCH_HEADER_BYTES > this.limit) return null;
    if (!this.covers(position, BATCH_HEADER_BYTES)) await this.prime(position, this.chunkBytes);
    if (!this.covers(position, BATCH_HEADER_BYTES)) return null;
    const header = readBatchHeader(this.window, position - this.windowStart);
    if (header.length < BATCH_HEADER_BYTES - LOG_OVERHEAD || position + header.length + LOG_OVERHEAD > this.limit) {
      throw new LoglaneError(
        'LOGLANE_ERR_BROKER_LOG_CORRUPT',
        `batch at byte ${position} of ${this.file} declares Length ${header.length}, which does not fit the segment`,
        { retriable: false, context: { file: this.file, position, length: header.length } },
      );
    }
    return header;
  }

  /** `[start, end)` without copying when the window holds it, else null. */
  slice(start: number, end: number): Buffer | null {
    return this.covers(start, end - start) ? this.window.subarray(start - this.windowStart, end - this.windowStart) : null;
  }

  private covers(position: number, length: number): boolean {
    return position >= this.windowStart && position + length <= this.windowStart + this.window.length;
  }
}

export function batchSize(header: RecordBatchHeader): number {
  return header.length + LOG_OVERHEAD;
}
