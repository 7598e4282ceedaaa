import { ProtocolDecodeError } from './errors.ts';

const UUID_BYTES = 16;
const TWO_POW_32 = 4294967296;

/**
 * Reads Kafka primitive types from one Buffer, front to back.
 *
 * - Every read checks the bytes left before touching the buffer, so bad input throws a
 *   ProtocolDecodeError (with the byte offset and what was being read), never a
 *   RangeError from Buffer, and a huge length never allocates or loops.
 * - BYTES, NULLABLE_BYTES, their compact forms and RECORDS are returned as zero-copy
 *   `subarray` views of the input: they stay valid as long as the input buffer does and
 *   change if it is written to. Produce records are the hot path; they are never copied.
 * - INT64 and VARLONG are decoded to a JS `number`. Values beyond ±2^53 lose precision
 *   (producer ids, offsets and timestamps stay far below; only sentinels such as
 *   Long.MAX_VALUE are affected, and they come back as 2^63).
 * - UUIDs are returned as canonical lowercase strings ("5f0c…-…"), usable as Map keys.
 * - `end` bounds the reader (a tagged field's size, a frame): reads never pass it.
 */
export class Reader {
  readonly buf: Buffer;
  offset: number;
  end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    if (offset < 0 || end > buf.length || offset > end) {
      throw new ProtocolDecodeError(`reader bounds ${offset}..${end} outside a buffer of ${buf.length} bytes`, offset);
    }
    this.buf = buf;
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `n` more bytes are available for `what`. */
  need(n: number, what: string): void {
    if (this.end - this.offset < n) {
      throw new ProtocolDecodeError(`${what} needs ${n} bytes, only ${this.end - this.offset} left`, this.offset);
    }
  }

  skip(n: number, what = 'skipped bytes'): void {
    this.need(n, what);
    this.offset += n;
  }

  int8(): number {
    this.need(1, 'int8');
    return this.buf.readInt8(this.offset++);
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  uint16(): number {
    this.need(2, 'uint16');
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4, 'uint32');
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** INT64 as a number (exact up to ±2^53). */
  int64(): number {
    this.need(8, 'int64');
    const hi = this.buf.readInt32BE(this.offset);
    const lo = this.buf.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return hi * TWO_POW_32 + lo;
  }

  float64(): number {
    this.need(8, 'float64');
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  /** BOOLEAN: any non-zero byte is true, as in Kafka. */
  bool(): boolean {
    this.need(1, 'boolean');
    return this.buf[this.offset++] !== 0;
  }

  /** UNSIGNED_VARINT (at most 5 bytes, value 0..2^32-1). */
  uvarint(what = 'unsigned varint'): number {
    const start = this.offset;
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 5; i++) {
      if (this.offset >= this.end) {
        throw new ProtocolDecodeError(`${what} is truncated (${i} bytes, no end marker)`, start);
      }
      const b = this.buf[this.offset++]!;
      value += (b & 0x7f) * factor;
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw new ProtocolDecodeError(`${what} does not fit in 32 bits`, start);
        return value;
      }
      factor *= 128;
    }
    throw new ProtocolDecodeError(`${what} is longer than 5 bytes`, start);
  }

  /** VARINT: zig-zag encoded int32. */
  varint(what = 'varint'): number {
    const u = this.uvarint(what);
    return (u >>> 1) ^ -(u & 1);
  }

  /** VARLONG: zig-zag encoded int64 (at most 10 bytes), as a number exact up to ±2^53. */
  varlong(what = 'varlong'): number {
    const start = this.offset;
    let u = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.end) {
        throw new ProtocolDecodeError(`${what} is truncated (${i} bytes, no end marker)`, start);
      }
      const b = this.buf[this.offset++]!;
      u += (b & 0x7f) * factor;
      if ((b & 0x80) === 0) {
        // zig-zag: the sign is bit 0 of the first byte (exact even when u is rounded)
        return (this.buf[start]! & 1) === 0 ? u / 2 : -(u + 1) / 2;
      }
      factor *= 128;
    }
    throw new ProtocolDecodeError(`${what} is longer than 10 bytes`, start);
  }

  /** STRING: int16 length, then UTF-8 bytes. */
  string(): string {
    const at = this.offset;
    const len = this.int16();
    if (len < 0) throw new ProtocolDecodeError(`string length ${len} (null is not allowed here)`, at);
    return this.utf8(len, at, 'string');
  }

  /** NULLABLE_STRING: int16 length (-1 = null), then UTF-8 bytes. */
  nullableString(): string | null {
    const at = this.offset;
    const len = this.int16();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolDecodeError(`string length ${len}`, at);
    return this.utf8(len, at, 'string');
  }

  /** COMPACT_STRING: unsigned varint length+1, then UTF-8 bytes. */
  compactString(): string {
    const at = this.offset;
    const n = this.uvarint('compact string length');
    if (n === 0) throw new ProtocolDecodeError('compact string is null (null is not allowed here)', at);
    return this.utf8(n - 1, at, 'compact string');
  }

  /** COMPACT_NULLABLE_STRING: unsigned varint length+1 (0 = null), then UTF-8 bytes. */
  compactNullableString(): string | null {
    const at = this.offset;
    const n = this.uvarint('compact string length');
    if (n === 0) return null;
    return this.utf8(n - 1, at, 'compact string');
  }

  /** BYTES: int32 length, then the bytes (zero-copy view). */
  bytes(): Buffer {
    const at = this.offset;
    const len = this.int32();
    if (len < 0) throw new ProtocolDecodeError(`bytes length ${len} (null is not allowed here)`, at);
    return this.slice(len, at, 'bytes');
  }

  /** NULLABLE_BYTES: int32 length (-1 = null), then the bytes (zero-copy view). */
  nullableBytes(): Buffer | null {
    const at = this.offset;
    const len = this.int32();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolDecodeError(`bytes length ${len}`, at);
    return this.slice(len, at, 'bytes');
  }

  /** COMPACT_BYTES: unsigned varint length+1, then the bytes (zero-copy view). */
  compactBytes(): Buffer {
    const at = this.offset;
    const n = this.uvarint('compact bytes length');
    if (n === 0) throw new ProtocolDecodeError('compact bytes are null (null is not allowed here)', at);
    return this.slice(n - 1, at, 'compact bytes');
  }

  /** COMPACT_NULLABLE_BYTES: unsigned varint length+1 (0 = null), then the bytes (zero-copy view). */
  compactNullableBytes(): Buffer | null {
    const at = this.offset;
    const n = this.uvarint('compact bytes length');
    if (n === 0) return null;
    return this.slice(n - 1, at, 'compact bytes');
  }

  /** RECORDS: NULLABLE_BYTES in classic versions, COMPACT_NULLABLE_BYTES in flexible ones. Zero-copy. */
  records(flexible: boolean): Buffer | null {
    return flexible ? this.compactNullableBytes() : this.nullableBytes();
  }

  /** UUID: 16 bytes, returned as a canonical lowercase string. */
  uuid(): string {
    this.need(UUID_BYTES, 'uuid');
    const hex = this.buf.toString('hex', this.offset, this.offset + UUID_BYTES);
    this.offset += UUID_BYTES;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /**
   * ARRAY count: int32, -1 = null (returned as -1). The count is checked against the
   * bytes left, assuming each element takes at least `minElementBytes` (at least 1), so
   * a forged count cannot make the caller loop or allocate.
   */
  arrayLength(minElementBytes: number, nullable: boolean): number {
    const at = this.offset;
    const count = this.int32();
    if (count === -1 && nullable) return -1;
    if (count < 0) throw new ProtocolDecodeError(`array length ${count}${count === -1 ? ' (null is not allowed here)' : ''}`, at);
    this.checkCount(count, minElementBytes, at, 'array');
    return count;
  }

  /** COMPACT_ARRAY count: unsigned varint count+1, 0 = null (returned as -1). */
  compactArrayLength(minElementBytes: number, nullable: boolean): number {
    const at = this.offset;
    const n = this.uvarint('compact array length');
    if (n === 0) {
      if (nullable) return -1;
      throw new ProtocolDecodeError('compact array is null (null is not allowed here)', at);
    }
    this.checkCount(n - 1, minElementBytes, at, 'compact array');
    return n - 1;
  }

  /** Skips a whole tagged-field buffer (count, then tag, size, bytes for each field). */
  skipTaggedFields(): void {
    const at = this.offset;
    const count = this.uvarint('tagged field count');
    if (count * 2 > this.end - this.offset) {
      throw new ProtocolDecodeError(`tagged field count ${count} exceeds the ${this.end - this.offset} bytes left`, at);
    }
    for (let i = 0; i < count; i++) {
      this.uvarint('tag');
      const size = this.uvarint('tagged field size');
      this.skip(size, 'tagged field');
    }
  }

  private checkCount(count: number, minElementBytes: number, at: number, what: string): void {
    const min = Math.max(minElementBytes, 1);
    if (count * min > this.end - this.offset) {
      throw new ProtocolDecodeError(
        `${what} length ${count} exceeds the ${this.end - this.offset} bytes left (at least ${min} per element)`,
        at,
      );
    }
  }

  private utf8(len: number, at: number, what: string): string {
    if (len > this.end - this.offset) {
      throw new ProtocolDecodeError(`${what} length ${len} exceeds the ${this.end - this.offset} bytes left`, at);
    }
    const start = this.offset;
    this.offset += len;
    return this.buf.toString('utf8', start, start + len);
  }

  private slice(len: number, at: number, what: string): Buffer {
    if (len > this.end - this.offset) {
      throw new ProtocolDecodeError(`${what} length ${len} exceeds the ${this.end - this.offset} bytes left`, at);
    }
    const start = this.offset;
    this.offset += len;
    return this.buf.subarray(start, start + len);
  }
}
