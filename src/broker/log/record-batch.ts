/**
 * RecordBatch v2 headers, as the broker sees them on the append path.
 *
 * ```
 * 0  BaseOffset int64            <- rewritten on append (not covered by the CRC)
 * 8  Length int32                (bytes after this field)
 * 12 PartitionLeaderEpoch int32  <- rewritten on append (not covered by the CRC)
 * 16 Magic int8 (= 2)
 * 17 CRC uint32                  (CRC-32C over bytes 21..end)
 * 21 Attributes int16            bits 0-2 codec, bit 3 LogAppendTime, bit 4 transactional,
 *                                bit 5 control, bit 6 delete horizon
 * 23 LastOffsetDelta int32
 * 27 BaseTimestamp int64
 * 35 MaxTimestamp int64
 * 43 ProducerId int64
 * 51 ProducerEpoch int16
 * 53 BaseSequence int32
 * 57 RecordsCount int32
 * 61 Records                     (compressed as a whole when the codec is not 0)
 * ```
 *
 * Nothing here decompresses or recompresses: offset assignment, leader epoch, CRC checks,
 * idempotence and LogAppendTime all need only the 61-byte header.
 *
 * int64 fields are read as JavaScript numbers (exact up to 2^53); offsets, timestamps in
 * milliseconds and producer ids allocated by our own broker all stay far below that.
 */
import { crc32c } from '@node-rs/crc32';
import { KafkaError, KafkaProtocolError } from '../protocol/error-codes.ts';

/** Bytes before the `Length` field ends: BaseOffset + Length. */
export const LOG_OVERHEAD = 12;
/** Size of a v2 batch header, records excluded. */
export const BATCH_HEADER_BYTES = 61;
/** The one message format this broker stores. */
export const CURRENT_MAGIC = 2;

const POS_LENGTH = 8;
const POS_LEADER_EPOCH = 12;
const POS_MAGIC = 16;
const POS_CRC = 17;
const POS_ATTRIBUTES = 21;
const POS_LAST_OFFSET_DELTA = 23;
const POS_BASE_TIMESTAMP = 27;
const POS_MAX_TIMESTAMP = 35;
const POS_PRODUCER_ID = 43;
const POS_PRODUCER_EPOCH = 51;
const POS_BASE_SEQUENCE = 53;
const POS_RECORDS_COUNT = 57;

const CODEC_MASK = 0x07;
const MAX_CODEC = 4; // zstd
const TIMESTAMP_TYPE_BIT = 0x08;
const TRANSACTIONAL_BIT = 0x10;
const CONTROL_BIT = 0x20;

const TWO_POW_32 = 0x1_0000_0000;

/** A decoded v2 batch header. `length` is the wire field: batch size minus 12. */
export interface RecordBatchHeader {
  baseOffset: number;
  length: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/** One batch inside a larger buffer: its header, where it starts and how many bytes it spans. */
export interface RecordBatchSpan {
  header: RecordBatchHeader;
  position: number;
  sizeInBytes: number;
}

export type BatchInspection =
  | { ok: true; span: RecordBatchSpan }
  | { ok: false; errorCode: number; reason: string; truncated: boolean };

export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_POW_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * TWO_POW_32, pos + 4);
}

/** Decodes the header at `pos`; the caller guarantees `pos + 61 <= buf.length`. */
export function readBatchHeader(buf: Buffer, pos: number): RecordBatchHeader {
  return {
    baseOffset: readInt64(buf, pos),
    length: buf.readInt32BE(pos + POS_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + POS_LEADER_EPOCH),
    magic: buf.readInt8(pos + POS_MAGIC),
    crc: buf.readUInt32BE(pos + POS_CRC),
    attributes: buf.readInt16BE(pos + POS_ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + POS_LAST_OFFSET_DELTA),
    baseTimestamp: readInt64(buf, pos + POS_BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, pos + POS_MAX_TIMESTAMP),
    producerId: readInt64(buf, pos + POS_PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + POS_PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + POS_BASE_SEQUENCE),
    recordsCount: buf.readInt32BE(pos + POS_RECORDS_COUNT),
  };
}

export function compressionCodec(header: RecordBatchHeader): number {
  return header.attributes & CODEC_MASK;
}

export function isLogAppendTime(header: RecordBatchHeader): boolean {
  return (header.attributes & TIMESTAMP_TYPE_BIT) !== 0;
}

export function isTransactional(header: RecordBatchHeader): boolean {
  return (header.attributes & TRANSACTIONAL_BIT) !== 0;
}

export function isControlBatch(header: RecordBatchHeader): boolean {
  return (header.attributes & CONTROL_BIT) !== 0;
}

/** Offset of the last record of a batch. */
export function lastOffsetOf(header: RecordBatchHeader): number {
  return header.baseOffset + header.lastOffsetDelta;
}

export function computeBatchCrc(buf: Buffer, pos: number, sizeInBytes: number): number {
  return crc32c(buf.subarray(pos + POS_ATTRIBUTES, pos + sizeInBytes));
}

/**
 * Checks the framing of the batch at `pos` in `buf[0..end)`: enough bytes, magic 2, a
 * plausible Length, the whole batch present, and the CRC. Used by the append path (which
 * turns a failure into a Kafka error) and by recovery (which truncates at the first
 * failure). `truncated` is true when the bytes simply run out (a torn tail).
 */
export function inspectBatch(buf: Buffer, pos: number, end: number = buf.length): BatchInspection {
  const remaining = end - pos;
  if (remaining < POS_MAGIC + 1) {
    return fail(KafkaError.CORRUPT_MESSAGE, `only ${remaining} bytes left, too few for a batch header`, true);
  }
  const magic = buf.readInt8(pos + POS_MAGIC);
  if (magic === 0 || magic === 1) {
    return fail(
      KafkaError.UNSUPPORTED_FOR_MESSAGE_FORMAT,
      `message format v${magic} is not supported; use a client that writes RecordBatch v2 (Kafka >= 0.11)`,
      false,
    );
  }
  if (magic !== CURRENT_MAGIC) return fail(KafkaError.CORRUPT_MESSAGE, `unknown magic byte ${magic}`, false);
  const length = buf.readInt32BE(pos + POS_LENGTH);
  if (length < BATCH_HEADER_BYTES - LOG_OVERHEAD) {
    return fail(KafkaError.CORRUPT_MESSAGE, `batch Length ${length} is smaller than a v2 header`, false);
  }
  const sizeInBytes = length + LOG_OVERHEAD;
  if (sizeInBytes > remaining) {
    return fail(
      KafkaError.CORRUPT_MESSAGE,
      `batch Length says ${sizeInBytes} bytes but only ${remaining} remain`,
      true,
    );
  }
  const crc = buf.readUInt32BE(pos + POS_CRC);
  const actual = computeBatchCrc(buf, pos, sizeInBytes);
  if (crc !== actual) {
    return fail(KafkaError.CORRUPT_MESSAGE, `CRC-32C mismatch: header ${crc}, computed ${actual}`, false);
  }
  return { ok: true, span: { header: readBatchHeader(buf, pos), position: pos, sizeInBytes } };
}

function fail(errorCode: number, reason: string, truncated: boolean): BatchInspection {
  return { ok: false, errorCode, reason, truncated };
}

export interface ProducedBatchLimits {
  /** `max.message.bytes`: largest single batch, in bytes. */
  maxMessageBytes: number;
  /** `segment.bytes`: a whole request for one partition must fit in one segment. */
  segmentBytes: number;
}

/**
 * Splits a Produce request's records buffer (one partition) into batches and validates
 * each as Kafka's LogValidator does for magic 2, without decompressing. Throws
 * `KafkaProtocolError` for the first problem found; returns the batches otherwise.
 */
export function splitProducedBatches(records: Buffer, limits: ProducedBatchLimits): RecordBatchSpan[] {
  if (records.length === 0) throw new KafkaProtocolError(KafkaError.INVALID_RECORD, 'records buffer is empty');
  if (records.length > limits.segmentBytes) {
    throw new KafkaProtocolError(
      KafkaError.RECORD_LIST_TOO_LARGE,
      `${records.length} bytes of records exceed segment.bytes ${limits.segmentBytes}`,
    );
  }
  const spans: RecordBatchSpan[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos >= LOG_OVERHEAD) {
      const declared = records.readInt32BE(pos + POS_LENGTH) + LOG_OVERHEAD;
      if (declared > limits.maxMessageBytes && records.length - pos > POS_MAGIC && records[pos + POS_MAGIC] === 2) {
        throw new KafkaProtocolError(
          KafkaError.MESSAGE_TOO_LARGE,
          `batch of ${declared} bytes at byte ${pos} exceeds max.message.bytes ${limits.maxMessageBytes}`,
        );
      }
    }
    const inspection = inspectBatch(records, pos);
    if (!inspection.ok) {
      throw new KafkaProtocolError(inspection.errorCode, `batch at byte ${pos}: ${inspection.reason}`);
    }
    checkProducedHeader(inspection.span.header, pos);
    spans.push(inspection.span);
    pos += inspection.span.sizeInBytes;
  }
  if (spans.length > 1 && spans.some((s) => compressionCodec(s.header) !== 0)) {
    throw new KafkaProtocolError(
      KafkaError.INVALID_RECORD,
      'a compressed batch must be the only batch for its partition in a Produce request',
    );
  }
  return spans;
}

function checkProducedHeader(h: RecordBatchHeader, pos: number): void {
  const where = `batch at byte ${pos}`;
  if (compressionCodec(h) > MAX_CODEC) {
    throw new KafkaProtocolError(KafkaError.INVALID_RECORD, `${where}: unknown compression codec ${compressionCodec(h)}`);
  }
  if (isControlBatch(h)) {
    throw new KafkaProtocolError(KafkaError.INVALID_RECORD, `${where}: clients may not write control batches`);
  }
  if (h.recordsCount <= 0) {
    throw new KafkaProtocolError(KafkaError.INVALID_RECORD, `${where}: invalid records count ${h.recordsCount}`);
  }
  if (h.lastOffsetDelta !== h.recordsCount - 1) {
    throw new KafkaProtocolError(
      KafkaError.INVALID_RECORD,
      `${where}: lastOffsetDelta ${h.lastOffsetDelta} does not match records count ${h.recordsCount}`,
    );
  }
  if (h.producerId >= 0 && h.baseSequence < 0) {
    throw new KafkaProtocolError(
      KafkaError.INVALID_RECORD,
      `${where}: producer id ${h.producerId} with invalid base sequence ${h.baseSequence}`,
    );
  }
}

/** Rewrites BaseOffset in place (bytes 0..8, outside the CRC). */
export function setBaseOffset(buf: Buffer, pos: number, baseOffset: number): void {
  writeInt64(buf, pos, baseOffset);
}

/** Rewrites PartitionLeaderEpoch in place (bytes 12..16, outside the CRC). */
export function setPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + POS_LEADER_EPOCH);
}

/**
 * Marks the batch as LogAppendTime (attribute bit 3) with MaxTimestamp = `now`, then
 * recomputes the CRC, as Kafka's `DefaultRecordBatch.setMaxTimestamp` does. The record
 * bytes (compressed or not) are untouched; readers take every record's timestamp from
 * MaxTimestamp when bit 3 is set.
 */
export function setLogAppendTime(buf: Buffer, pos: number, sizeInBytes: number, now: number): void {
  const attributes = buf.readInt16BE(pos + POS_ATTRIBUTES);
  buf.writeInt16BE(attributes | TIMESTAMP_TYPE_BIT, pos + POS_ATTRIBUTES);
  writeInt64(buf, pos + POS_MAX_TIMESTAMP, now);
  buf.writeUInt32BE(computeBatchCrc(buf, pos, sizeInBytes), pos + POS_CRC);
}
