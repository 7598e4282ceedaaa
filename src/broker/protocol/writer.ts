import { ProtocolEncodeError } from './errors.ts';

const TWO_POW_32 = 4294967296;
const TWO_POW_52 = 2 ** 52;
const TWO_POW_53 = 2 ** 53;
const TWO_POW_63 = 2 ** 63;
const INT64_MAX = 0x7fffffffffffffffn;
const MAX_STRING_BYTES = 0x7fff;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Byte arrays at least this long are appended by reference instead of copied. */
export const ZERO_COPY_MIN_BYTES = 1024;
const MAX_SCRATCH_BYTES = 64 * 1024;

/**
 * Writes Kafka primitive types into a list of chunks.
 *
 * Small values go into a scratch buffer that grows by doubling (up to 64 KiB per chunk;
 * no chunk is ever copied to grow it). A byte array of at least ZERO_COPY_MIN_BYTES
 * (RECORDS, large BYTES) is not copied at all: the scratch written so far becomes a chunk,
 * the array becomes its own chunk, and writing continues in the rest of the scratch.
 *
 * `finish()` returns those chunks as `Buffer[]`, ready for `socket.cork(); write…;
 * uncork()` (one writev). `toBuffer()` joins them into one Buffer with a single copy,
 * the only time a large array is copied. Byte arrays are referenced, not copied, so they
 * must not change until the chunks are written out.
 *
 * Values are checked before writing: a wrong type, an out-of-range number, a string over
 * 32767 bytes or a malformed UUID throws a ProtocolEncodeError.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private buf: Buffer;
  private start = 0;
  private pos = 0;
  private committed = 0;

  constructor(initialBytes = 256) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.committed + (this.pos - this.start);
  }

  /** Reserves `n` bytes now and returns them as a view, to be filled in later (a size prefix). */
  reserve(n: number): Buffer {
    this.ensure(n);
    const view = this.buf.subarray(this.pos, this.pos + n);
    view.fill(0);
    this.pos += n;
    return view;
  }

  /** The bytes written, as chunks in order (see the class comment). */
  finish(): Buffer[] {
    this.flushSegment();
    return this.chunks;
  }

  /** The bytes written, as one Buffer (one copy when there is more than one chunk). */
  toBuffer(): Buffer {
    const chunks = this.finish();
    if (chunks.length === 1) return chunks[0]!;
    return Buffer.concat(chunks, this.committed);
  }

  int8(v: number): void {
    if (typeof v !== 'number' || (v << 24) >> 24 !== v) throw badValue('int8', v);
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  int16(v: number): void {
    if (typeof v !== 'number' || (v << 16) >> 16 !== v) throw badValue('int16', v);
    this.ensure(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = (v >>> 8) & 0xff;
    b[p + 1] = v & 0xff;
    this.pos = p + 2;
  }

  uint16(v: number): void {
    if (typeof v !== 'number' || (v & 0xffff) !== v) throw badValue('uint16', v);
    this.ensure(2);
    this.buf[this.pos] = v >>> 8;
    this.buf[this.pos + 1] = v & 0xff;
    this.pos += 2;
  }

  int32(v: number): void {
    if (typeof v !== 'number' || (v | 0) !== v) throw badValue('int32', v);
    this.ensure(4);
    this.put32(v);
  }

  uint32(v: number): void {
    if (typeof v !== 'number' || v >>> 0 !== v) throw badValue('uint32', v);
    this.ensure(4);
    this.put32(v);
  }

  /**
   * INT64 from a number. Integers up to ±2^53 are exact; larger ones (decoded sentinels
   * such as Long.MAX_VALUE, which come back as 2^63) are clamped to the int64 range.
   */
  int64(v: number): void {
    if (typeof v !== 'number') throw badValue('int64', v);
    this.ensure(8);
    if ((v | 0) === v) {
      // the common case (offsets, ids, -1 sentinels below 2^31): no float math
      this.put32(v < 0 ? -1 : 0);
      this.put32(v);
      return;
    }
    if (!Number.isInteger(v) || v < -TWO_POW_63) throw badValue('int64', v);
    if (v >= -TWO_POW_53 && v <= TWO_POW_53) {
      const hi = Math.floor(v / TWO_POW_32);
      this.put32(hi);
      this.put32(v - hi * TWO_POW_32);
    } else {
      this.buf.writeBigInt64BE(v >= TWO_POW_63 ? INT64_MAX : BigInt(v), this.pos);
      this.pos += 8;
    }
  }

  float64(v: number): void {
    if (typeof v !== 'number') throw badValue('float64', v);
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  bool(v: boolean): void {
    if (typeof v !== 'boolean') throw badValue('boolean', v);
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  /** UNSIGNED_VARINT, 0..2^32-1. */
  uvarint(v: number): void {
    if (typeof v !== 'number' || v >>> 0 !== v) throw badValue('unsigned varint', v);
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** VARINT: zig-zag int32. */
  varint(v: number): void {
    if (typeof v !== 'number' || (v | 0) !== v) throw badValue('varint', v);
    this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** VARLONG: zig-zag int64 from a number (exact up to ±2^53). */
  varlong(v: number): void {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -TWO_POW_63 || v >= TWO_POW_63) {
      throw badValue('varlong', v);
    }
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    if (v >= -TWO_POW_52 && v < TWO_POW_52) {
      let u = v >= 0 ? v * 2 : -v * 2 - 1;
      while (u >= 0x80) {
        b[p++] = (u % 0x80) | 0x80;
        u = Math.floor(u / 0x80);
      }
      b[p++] = u;
    } else {
      // beyond 2^53 the zig-zag value is not exact as a number: use BigInt
      const big = BigInt(v);
      let u = BigInt.asUintN(64, (big << 1n) ^ (big >> 63n));
      while (u >= 0x80n) {
        b[p++] = Number(u & 0x7fn) | 0x80;
        u >>= 7n;
      }
      b[p++] = Number(u);
    }
    this.pos = p;
  }

  /** STRING (int16 length). */
  string(v: string): void {
    const len = stringBytes(v);
    this.ensure(2 + len);
    this.buf[this.pos] = len >>> 8;
    this.buf[this.pos + 1] = len & 0xff;
    this.pos += 2;
    this.utf8(v, len);
  }

  /** NULLABLE_STRING (int16 length, -1 = null). */
  nullableString(v: string | null): void {
    if (v === null) this.int16(-1);
    else this.string(v);
  }

  /** COMPACT_STRING (unsigned varint length+1). */
  compactString(v: string): void {
    const len = stringBytes(v);
    this.uvarint(len + 1);
    this.ensure(len);
    this.utf8(v, len);
  }

  /** COMPACT_NULLABLE_STRING (unsigned varint length+1, 0 = null). */
  compactNullableString(v: string | null): void {
    if (v === null) this.uvarint(0);
    else this.compactString(v);
  }

  /** BYTES (int32 length). */
  bytes(v: Uint8Array): void {
    if (!(v instanceof Uint8Array)) throw badValue('bytes', v);
    this.int32(v.length);
    this.raw(v);
  }

  /** NULLABLE_BYTES (int32 length, -1 = null). */
  nullableBytes(v: Uint8Array | null): void {
    if (v === null) this.int32(-1);
    else this.bytes(v);
  }

  /** COMPACT_BYTES (unsigned varint length+1). */
  compactBytes(v: Uint8Array): void {
    if (!(v instanceof Uint8Array)) throw badValue('bytes', v);
    this.uvarint(v.length + 1);
    this.raw(v);
  }

  /** COMPACT_NULLABLE_BYTES (unsigned varint length+1, 0 = null). */
  compactNullableBytes(v: Uint8Array | null): void {
    if (v === null) this.uvarint(0);
    else this.compactBytes(v);
  }

  /** RECORDS: NULLABLE_BYTES in classic versions, COMPACT_NULLABLE_BYTES in flexible ones. */
  records(v: Uint8Array | null, flexible: boolean): void {
    if (flexible) this.compactNullableBytes(v);
    else this.nullableBytes(v);
  }

  /** UUID from its canonical string form (case-insensitive). */
  uuid(v: string): void {
    if (typeof v !== 'string' || !UUID_PATTERN.test(v)) throw badValue('uuid', v);
    this.ensure(16);
    this.pos += this.buf.write(v.replaceAll('-', ''), this.pos, 16, 'hex');
  }

  /** ARRAY count (int32, -1 = null). */
  arrayLength(count: number | null): void {
    this.int32(count === null ? -1 : count);
  }

  /** COMPACT_ARRAY count (unsigned varint count+1, 0 = null). */
  compactArrayLength(count: number | null): void {
    this.uvarint(count === null ? 0 : count + 1);
  }

  /** An empty tagged-field buffer. */
  emptyTaggedFields(): void {
    this.ensure(1);
    this.buf[this.pos++] = 0;
  }

  /** Appends bytes as they are: by reference when large (see the class comment), else copied. */
  raw(v: Uint8Array): void {
    const len = v.length;
    if (len >= ZERO_COPY_MIN_BYTES) {
      this.flushSegment();
      this.chunks.push(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, len));
      this.committed += len;
      return;
    }
    this.ensure(len);
    this.buf.set(v, this.pos);
    this.pos += len;
  }

  /** Appends all chunks of another writer. */
  append(chunks: readonly Buffer[]): void {
    for (const chunk of chunks) this.raw(chunk);
  }

  private put32(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = (v >>> 24) & 0xff;
    b[p + 1] = (v >>> 16) & 0xff;
    b[p + 2] = (v >>> 8) & 0xff;
    b[p + 3] = v & 0xff;
    this.pos = p + 4;
  }

  private utf8(v: string, len: number): void {
    // ASCII-only strings (byte length = char count) take the cheaper latin1 path.
    this.buf.write(v, this.pos, len, len === v.length ? 'latin1' : 'utf8');
    this.pos += len;
  }

  private ensure(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.flushSegment();
    const next = Math.max(n, Math.min(this.buf.length * 2, MAX_SCRATCH_BYTES));
    this.buf = Buffer.allocUnsafe(next);
    this.start = 0;
    this.pos = 0;
  }

  private flushSegment(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.committed += this.pos - this.start;
      this.start = this.pos;
    }
  }
}

/** Joins encoder output into one Buffer (one copy when there is more than one chunk). */
export function concatChunks(chunks: readonly Buffer[]): Buffer {
  if (chunks.length === 1) return chunks[0]!;
  return Buffer.concat(chunks as Buffer[]);
}

function stringBytes(v: string): number {
  if (typeof v !== 'string') throw badValue('string', v);
  const len = Buffer.byteLength(v, 'utf8');
  if (len > MAX_STRING_BYTES) throw new ProtocolEncodeError(`string of ${len} bytes is longer than ${MAX_STRING_BYTES}`);
  return len;
}

function badValue(type: string, v: unknown): ProtocolEncodeError {
  let shown: string;
  if (typeof v === 'string') shown = JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  else if (v instanceof Uint8Array || Array.isArray(v)) shown = `${v.constructor.name}(${v.length})`;
  else shown = String(v);
  return new ProtocolEncodeError(`${shown} is not a valid ${type}`);
}
