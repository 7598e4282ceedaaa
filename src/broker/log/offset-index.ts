/**
 * Sparse offset index of one segment, kept in memory: entries (offset relative to the
 * segment base, byte position of the batch starting there), strictly increasing in both.
 * One entry per ~`index.interval.bytes` of batches, so a lookup lands at most one
 * interval (plus one batch) before the batch wanted, and the reader scans headers from
 * there. Persistence lives in index-file.ts.
 */
export class OffsetIndex {
  private relOffsets: Int32Array;
  private positions: Int32Array;
  private count = 0;

  constructor(capacity = 64) {
    this.relOffsets = new Int32Array(capacity);
    this.positions = new Int32Array(capacity);
  }

  get entries(): number {
    return this.count;
  }

  relOffsetAt(i: number): number {
    return this.relOffsets[i]!;
  }

  positionAt(i: number): number {
    return this.positions[i]!;
  }

  append(relOffset: number, position: number): void {
    if (this.count === this.relOffsets.length) {
      this.relOffsets = grow(this.relOffsets);
      this.positions = grow(this.positions);
    }
    this.relOffsets[this.count] = relOffset;
    this.positions[this.count] = position;
    this.count++;
  }

  /** Position of the greatest entry with relative offset <= `relOffset`, or 0 (segment start). */
  lookup(relOffset: number): number {
    const i = floorIndex(this.relOffsets, this.count, relOffset);
    return i < 0 ? 0 : this.positions[i]!;
  }

  clear(): void {
    this.count = 0;
  }
}

/** Index of the greatest element <= `key` in the sorted prefix `values[0..count)`, or -1. */
export function floorIndex(values: ArrayLike<number>, count: number, key: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= key) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function grow<T extends Int32Array | Float64Array>(array: T): T {
  const next = new (array.constructor as new (n: number) => T)(array.length * 2);
  next.set(array);
  return next;
}
