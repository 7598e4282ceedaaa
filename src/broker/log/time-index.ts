/**
 * Sparse time index of one segment, kept in memory: entries (largest batch MaxTimestamp
 * seen so far, offset relative to the segment base of the batch that carried it). An
 * entry is added next to each offset-index entry when the running maximum grew, so the
 * timestamps strictly increase. Every batch at or before an entry's offset has a
 * MaxTimestamp <= the entry's timestamp, which is what lets a search skip them.
 */
import { floorIndex, grow } from './offset-index.ts';

export class TimeIndex {
  private timestamps: Float64Array;
  private relOffsets: Int32Array;
  private count = 0;

  constructor(capacity = 64) {
    this.timestamps = new Float64Array(capacity);
    this.relOffsets = new Int32Array(capacity);
  }

  get entries(): number {
    return this.count;
  }

  timestampAt(i: number): number {
    return this.timestamps[i]!;
  }

  relOffsetAt(i: number): number {
    return this.relOffsets[i]!;
  }

  /** Adds (timestamp, relOffset) when `timestamp` is larger than the last entry's. */
  maybeAppend(timestamp: number, relOffset: number): void {
    if (this.count > 0 && timestamp <= this.timestamps[this.count - 1]!) return;
    if (this.count === this.timestamps.length) {
      this.timestamps = grow(this.timestamps);
      this.relOffsets = grow(this.relOffsets);
    }
    this.timestamps[this.count] = timestamp;
    this.relOffsets[this.count] = relOffset;
    this.count++;
  }

  /**
   * Relative offset of a batch from which a forward scan for the first batch with
   * MaxTimestamp >= `timestamp` may start (every batch before it is older), or -1 to scan
   * from the segment start.
   */
  scanStartFor(timestamp: number): number {
    const i = floorIndex(this.timestamps, this.count, timestamp - 1);
    return i < 0 ? -1 : this.relOffsets[i]!;
  }

  clear(): void {
    this.count = 0;
  }
}
