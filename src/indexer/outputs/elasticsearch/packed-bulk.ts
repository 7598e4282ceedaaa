/**
 * A batch's bulk items in one piece: the UTF-8 lines of every item back to back in one
 * buffer, with the byte offset where each item ends. Made where the events are filtered
 * (the pipeline's thread or a worker thread, whose buffers are transferred, not copied),
 * and sent as slices of that buffer: a request of consecutive items is a view of it, with
 * no per-item string, join or UTF-8 encoding on the sending thread. Items an output
 * cannot build (a bad index name) are `refused` with the reason (dead-lettered); items
 * it does not take are `refused` with null (acknowledged).
 */
import type { BulkAction } from './retry.ts';

export interface PackedBulk {
  readonly kind: 'packed-bulk';
  readonly action: BulkAction;
  /** Items, one per event of the batch. */
  readonly count: number;
  /** The lines of every built item (action line, then source line except for delete). */
  readonly data: Uint8Array;
  /** Byte offset in `data` after item i (a refused item has no bytes). */
  readonly ends: Uint32Array;
  /** Items that are not sent: [index, reason] (dead-lettered) or [index, null] (acknowledged). */
  readonly refused: readonly (readonly [number, string | null])[];
}

export function isPackedBulk(value: unknown): value is PackedBulk {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'packed-bulk';
}

/** Builds a PackedBulk item by item into a growing buffer. */
export class PackedBulkWriter {
  readonly #action: BulkAction;
  #ends: Uint32Array;
  readonly #refused: [number, string | null][] = [];
  #data: Buffer;
  #at = 0;
  #count = 0;

  /** `count`: the expected number of items (more may be written). */
  constructor(action: BulkAction, count: number) {
    this.#action = action;
    this.#ends = new Uint32Array(count);
    // Own memory (not the shared pool), so that it can be transferred to another thread.
    this.#data = Buffer.allocUnsafeSlow(Math.max(1024, count * 384));
  }

  /** Appends `text` (no line break added) to the current item. */
  write(text: string): void {
    // At most 3 bytes per UTF-16 unit.
    if (this.#data.length - this.#at < text.length * 3) this.#grow(text.length * 3);
    this.#at += this.#data.write(text, this.#at);
  }

  /** Appends a line break to the current item. */
  newline(): void {
    if (this.#at === this.#data.length) this.#grow(1);
    this.#data[this.#at++] = 10;
  }

  /** Ends the current item. */
  end(): void {
    if (this.#count === this.#ends.length) {
      const ends = new Uint32Array(Math.max(16, this.#count * 2));
      ends.set(this.#ends);
      this.#ends = ends;
    }
    this.#ends[this.#count++] = this.#at;
  }

  /** The current item is not sent: dead-lettered with `reason`, or acknowledged when null. */
  refuse(reason: string | null): void {
    this.#refused.push([this.#count, reason]);
    this.end();
  }

  finish(): PackedBulk {
    return { kind: 'packed-bulk', action: this.#action, count: this.#count, data: this.#data.subarray(0, this.#at), ends: this.#ends.subarray(0, this.#count), refused: this.#refused };
  }

  #grow(need: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.#data.length * 2, this.#at + need));
    this.#data.copy(next, 0, 0, this.#at);
    this.#data = next;
  }
}

/** The buffers to transfer (not copy) when a PackedBulk is posted to another thread. */
export function packedTransferList(packed: PackedBulk): ArrayBuffer[] {
  return [packed.data.buffer as ArrayBuffer, packed.ends.buffer as ArrayBuffer];
}

/** Where item i's bytes start. */
export function packedStart(packed: PackedBulk, i: number): number {
  return i === 0 ? 0 : packed.ends[i - 1]!;
}

/** The body of a request holding `items` (indexes, in order): a view when they are consecutive, else a copy. */
export function packedBody(packed: PackedBulk, items: readonly number[]): Buffer {
  const { data } = packed;
  const view = (start: number, end: number) => Buffer.from(data.buffer, data.byteOffset + start, end - start);
  const pieces: Buffer[] = [];
  let start = -1;
  let end = -1;
  for (const i of items) {
    const s = packedStart(packed, i);
    if (s !== end) {
      if (end > start) pieces.push(view(start, end));
      start = s;
    }
    end = packed.ends[i]!;
  }
  if (end > start) pieces.push(view(start, end));
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}

/** Item i's lines as text (tests, dlq replay's report). */
export function packedText(packed: PackedBulk, i: number): string {
  return Buffer.from(packed.data.buffer, packed.data.byteOffset, packed.data.byteLength).toString('utf8', packedStart(packed, i), packed.ends[i]);
}
