/**
 * Encodes an uncompressed Kafka RecordBatch v2 (magic 2) for benchmarks that drive the
 * partition log directly, written from the protocol layout: 61-byte header, records with
 * zigzag varints, CRC-32C over attributes..end. Keys are null and records carry no headers.
 */
import { crc32c } from '@node-rs/crc32';

function varint(value: number, out: number[]): void {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function encodeRecord(value: Buffer, offsetDelta: number): Buffer {
  const head: number[] = [0]; // attributes
  varint(0, head); // timestampDelta
  varint(offsetDelta, head);
  varint(-1, head); // null key
  varint(value.length, head);
  const body = Buffer.concat([Buffer.from(head), value, Buffer.from([0])]); // 0 headers
  const length: number[] = [];
  varint(body.length, length);
  return Buffer.concat([Buffer.from(length), body]);
}

/** One batch of `values`, base offset 0, no producer id, timestamps at `baseTimestamp`. */
export function encodeBatch(values: readonly Buffer[], baseTimestamp = 1_700_000_000_000): Buffer {
  const records = Buffer.concat(values.map((v, i) => encodeRecord(v, i)));
  const buf = Buffer.alloc(61 + records.length);
  buf.writeBigInt64BE(0n, 0); // BaseOffset
  buf.writeInt32BE(buf.length - 12, 8); // Length
  buf.writeInt32BE(-1, 12); // PartitionLeaderEpoch
  buf.writeInt8(2, 16); // Magic
  buf.writeInt16BE(0, 21); // Attributes: no compression, CreateTime
  buf.writeInt32BE(values.length - 1, 23); // LastOffsetDelta
  buf.writeBigInt64BE(BigInt(baseTimestamp), 27);
  buf.writeBigInt64BE(BigInt(baseTimestamp), 35); // MaxTimestamp
  buf.writeBigInt64BE(-1n, 43); // ProducerId
  buf.writeInt16BE(-1, 51); // ProducerEpoch
  buf.writeInt32BE(-1, 53); // BaseSequence
  buf.writeInt32BE(values.length, 57); // RecordsCount
  records.copy(buf, 61);
  buf.writeUInt32BE(crc32c(buf.subarray(21)), 17);
  return buf;
}

/** `count` values of exactly `size` bytes: `r<i>:` padded with x. */
export function sizedValues(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.from(`r${i}:`.padEnd(size, 'x')));
}

/** Base offset + records count of the last batch in `data` (whole batches), i.e. the offset after it. */
export function offsetAfter(data: Buffer): number {
  let at = 0;
  let next = -1;
  while (at + 61 <= data.length) {
    next = Number(data.readBigInt64BE(at)) + data.readInt32BE(at + 23) + 1;
    at += data.readInt32BE(at + 8) + 12;
  }
  return next;
}
