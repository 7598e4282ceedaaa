/**
 * Test-only encoder and decoder for uncompressed RecordBatch v2, written from the
 * protocol layout (not from a client library), with CRC-32C over attributes..end.
 */
import { crc32c } from '@node-rs/crc32';

export interface TestRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  timestampDelta?: number;
}

export interface TestBatchOptions {
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  magic?: number;
  attributes?: number;
  baseTimestamp?: number;
  /** Defaults to baseTimestamp + the largest timestampDelta. */
  maxTimestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  /** Override the header's LastOffsetDelta (defaults to records - 1). */
  lastOffsetDelta?: number;
  /** Override the header's RecordsCount (defaults to records.length). */
  recordsCount?: number;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

export interface DecodedBatch {
  baseOffset: number;
  lastOffset: number;
  attributes: number;
  maxTimestamp: number;
  producerId: number;
  baseSequence: number;
  records: DecodedRecord[];
  sizeInBytes: number;
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = zigzag(value);
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function bytesField(data: string | Buffer | null | undefined): Buffer[] {
  if (data === null || data === undefined) return [varint(-1)];
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  return [varint(buf.length), buf];
}

function encodeRecord(record: TestRecord, offsetDelta: number): Buffer {
  const body = Buffer.concat([
    Buffer.from([0]),
    varint(record.timestampDelta ?? 0),
    varint(offsetDelta),
    ...bytesField(record.key),
    ...bytesField(record.value),
    varint(0),
  ]);
  return Buffer.concat([varint(body.length), body]);
}

function writeInt64(buf: Buffer, pos: number, value: number): void {
  buf.writeBigInt64BE(BigInt(value), pos);
}

export function encodeBatch(records: readonly TestRecord[], options: TestBatchOptions = {}): Buffer {
  const body = Buffer.concat(records.map((r, i) => encodeRecord(r, i)));
  const buf = Buffer.alloc(61 + body.length);
  const baseTimestamp = options.baseTimestamp ?? 1_700_000_000_000;
  const maxDelta = Math.max(0, ...records.map((r) => r.timestampDelta ?? 0));
  writeInt64(buf, 0, options.baseOffset ?? 0);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(options.partitionLeaderEpoch ?? -1, 12);
  buf.writeInt8(options.magic ?? 2, 16);
  buf.writeInt16BE(options.attributes ?? 0, 21);
  buf.writeInt32BE(options.lastOffsetDelta ?? records.length - 1, 23);
  writeInt64(buf, 27, baseTimestamp);
  writeInt64(buf, 35, options.maxTimestamp ?? baseTimestamp + maxDelta);
  writeInt64(buf, 43, options.producerId ?? -1);
  buf.writeInt16BE(options.producerEpoch ?? -1, 51);
  buf.writeInt32BE(options.baseSequence ?? -1, 53);
  buf.writeInt32BE(options.recordsCount ?? records.length, 57);
  body.copy(buf, 61);
  buf.writeUInt32BE(crc32c(buf.subarray(21)), 17);
  return buf;
}

/** `count` records whose values are `size` bytes long. */
export function sizedRecords(count: number, size: number, tag = 'r'): TestRecord[] {
  return Array.from({ length: count }, (_, i) => ({ value: `${tag}${i}:`.padEnd(size, 'x') }));
}

function readVarint(buf: Buffer, pos: { at: number }): number {
  let result = 0;
  let shift = 1;
  for (;;) {
    const byte = buf[pos.at++]!;
    result += (byte & 0x7f) * shift;
    if ((byte & 0x80) === 0) break;
    shift *= 0x80;
  }
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
}

function readBytes(buf: Buffer, pos: { at: number }): Buffer | null {
  const len = readVarint(buf, pos);
  if (len < 0) return null;
  const out = buf.subarray(pos.at, pos.at + len);
  pos.at += len;
  return out;
}

/** Decodes every whole uncompressed batch in `buf` (a trailing partial batch is ignored). */
export function decodeBatches(buf: Buffer): DecodedBatch[] {
  const batches: DecodedBatch[] = [];
  let at = 0;
  while (at + 61 <= buf.length) {
    const size = buf.readInt32BE(at + 8) + 12;
    if (at + size > buf.length) break;
    const baseOffset = Number(buf.readBigInt64BE(at));
    const baseTimestamp = Number(buf.readBigInt64BE(at + 27));
    const count = buf.readInt32BE(at + 57);
    const pos = { at: at + 61 };
    const records: DecodedRecord[] = [];
    for (let i = 0; i < count; i++) {
      readVarint(buf, pos); // length
      pos.at += 1; // attributes
      const timestampDelta = readVarint(buf, pos);
      const offsetDelta = readVarint(buf, pos);
      const key = readBytes(buf, pos);
      const value = readBytes(buf, pos);
      const headers = readVarint(buf, pos);
      for (let h = 0; h < headers; h++) {
        readBytes(buf, pos);
        readBytes(buf, pos);
      }
      records.push({ offset: baseOffset + offsetDelta, timestamp: baseTimestamp + timestampDelta, key, value });
    }
    batches.push({
      baseOffset,
      lastOffset: baseOffset + buf.readInt32BE(at + 23),
      attributes: buf.readInt16BE(at + 21),
      maxTimestamp: Number(buf.readBigInt64BE(at + 35)),
      producerId: Number(buf.readBigInt64BE(at + 43)),
      baseSequence: buf.readInt32BE(at + 53),
      records,
      sizeInBytes: size,
    });
    at += size;
  }
  return batches;
}

export function checkCrc(buf: Buffer, at = 0): boolean {
  const size = buf.readInt32BE(at + 8) + 12;
  return buf.readUInt32BE(at + 17) === crc32c(buf.subarray(at + 21, at + size));
}
