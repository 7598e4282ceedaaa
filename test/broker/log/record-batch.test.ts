import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '@node-rs/crc32';
import {
  inspectBatch,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  splitProducedBatches,
} from '../../../src/broker/log/record-batch.ts';
import { KafkaError, KafkaProtocolError } from '../../../src/broker/protocol/error-codes.ts';
import { checkCrc, encodeBatch, sizedRecords } from './helpers/record-batch-builder.ts';

const LIMITS = { maxMessageBytes: 1024 * 1024 + 12, segmentBytes: 1024 * 1024 * 1024 };

function recrc(buf: Buffer): Buffer {
  buf.writeUInt32BE(crc32c(buf.subarray(21)), 17);
  return buf;
}

const valid = (): Buffer => encodeBatch(sizedRecords(3, 20));

interface Case {
  name: string;
  records: () => Buffer;
  limits?: typeof LIMITS;
  /** Expected Kafka error code, or null for a valid request. */
  error: number | null;
  batches?: number;
}

const cases: Case[] = [
  { name: 'valid single batch', records: valid, error: null, batches: 1 },
  { name: 'two valid batches', records: () => Buffer.concat([valid(), valid()]), error: null, batches: 2 },
  {
    name: 'idempotent batch',
    records: () => encodeBatch(sizedRecords(2, 10), { producerId: 7, producerEpoch: 0, baseSequence: 0 }),
    error: null,
    batches: 1,
  },
  {
    name: 'bad CRC',
    records: () => {
      const b = valid();
      b[b.length - 1]! ^= 0xff;
      return b;
    },
    error: KafkaError.CORRUPT_MESSAGE,
  },
  { name: 'magic 0', records: () => encodeBatch(sizedRecords(1, 10), { magic: 0 }), error: KafkaError.UNSUPPORTED_FOR_MESSAGE_FORMAT },
  { name: 'magic 1', records: () => encodeBatch(sizedRecords(1, 10), { magic: 1 }), error: KafkaError.UNSUPPORTED_FOR_MESSAGE_FORMAT },
  { name: 'magic 3', records: () => encodeBatch(sizedRecords(1, 10), { magic: 3 }), error: KafkaError.CORRUPT_MESSAGE },
  {
    name: 'Length larger than the buffer',
    records: () => {
      const b = valid();
      b.writeInt32BE(b.length, 8);
      return b;
    },
    error: KafkaError.CORRUPT_MESSAGE,
  },
  {
    name: 'Length smaller than a header',
    records: () => {
      const b = valid();
      b.writeInt32BE(20, 8);
      return b;
    },
    error: KafkaError.CORRUPT_MESSAGE,
  },
  { name: 'trailing partial batch', records: () => Buffer.concat([valid(), valid().subarray(0, 40)]), error: KafkaError.CORRUPT_MESSAGE },
  { name: 'trailing garbage bytes', records: () => Buffer.concat([valid(), Buffer.from([1, 2, 3])]), error: KafkaError.CORRUPT_MESSAGE },
  { name: 'control batch', records: () => encodeBatch(sizedRecords(1, 10), { attributes: 0x20 }), error: KafkaError.INVALID_RECORD },
  { name: 'unknown codec 5', records: () => encodeBatch(sizedRecords(1, 10), { attributes: 5 }), error: KafkaError.INVALID_RECORD },
  {
    name: 'lastOffsetDelta does not match count',
    records: () => encodeBatch(sizedRecords(3, 10), { lastOffsetDelta: 5 }),
    error: KafkaError.INVALID_RECORD,
  },
  { name: 'negative records count', records: () => encodeBatch(sizedRecords(1, 10), { recordsCount: -1, lastOffsetDelta: -2 }), error: KafkaError.INVALID_RECORD },
  { name: 'empty batch', records: () => encodeBatch([], {}), error: KafkaError.INVALID_RECORD },
  {
    name: 'producer id without sequence',
    records: () => encodeBatch(sizedRecords(1, 10), { producerId: 3, producerEpoch: 0, baseSequence: -1 }),
    error: KafkaError.INVALID_RECORD,
  },
  {
    name: 'two batches, one compressed',
    records: () => Buffer.concat([encodeBatch(sizedRecords(1, 10), { attributes: 1 }), valid()]),
    error: KafkaError.INVALID_RECORD,
  },
  {
    name: 'batch larger than max.message.bytes',
    records: () => encodeBatch(sizedRecords(10, 200)),
    limits: { maxMessageBytes: 1000, segmentBytes: LIMITS.segmentBytes },
    error: KafkaError.MESSAGE_TOO_LARGE,
  },
  {
    name: 'request larger than segment.bytes',
    records: () => Buffer.concat([valid(), valid()]),
    limits: { maxMessageBytes: LIMITS.maxMessageBytes, segmentBytes: 200 },
    error: KafkaError.RECORD_LIST_TOO_LARGE,
  },
  { name: 'empty buffer', records: () => Buffer.alloc(0), error: KafkaError.INVALID_RECORD },
];

for (const c of cases) {
  test(`splitProducedBatches: ${c.name}`, () => {
    const records = c.records();
    if (c.error === null) {
      const spans = splitProducedBatches(records, c.limits ?? LIMITS);
      assert.equal(spans.length, c.batches);
      assert.equal(
        spans.reduce((n, s) => n + s.sizeInBytes, 0),
        records.length,
      );
    } else {
      assert.throws(
        () => splitProducedBatches(records, c.limits ?? LIMITS),
        (err: unknown) => err instanceof KafkaProtocolError && err.errorCode === c.error,
      );
    }
  });
}

test('header view decodes every field', () => {
  const b = encodeBatch([{ value: 'a' }, { value: 'b', timestampDelta: 5 }], {
    baseOffset: 42,
    partitionLeaderEpoch: 3,
    baseTimestamp: 1_000,
    producerId: 99,
    producerEpoch: 2,
    baseSequence: 17,
  });
  const h = readBatchHeader(b, 0);
  assert.deepEqual(
    { ...h, crc: undefined },
    {
      baseOffset: 42,
      length: b.length - 12,
      partitionLeaderEpoch: 3,
      magic: 2,
      crc: undefined,
      attributes: 0,
      lastOffsetDelta: 1,
      baseTimestamp: 1_000,
      maxTimestamp: 1_005,
      producerId: 99,
      producerEpoch: 2,
      baseSequence: 17,
      recordsCount: 2,
    },
  );
  assert.equal(h.crc, crc32c(b.subarray(21)));
});

test('BaseOffset and PartitionLeaderEpoch rewrites keep the CRC valid', () => {
  const b = valid();
  setBaseOffset(b, 0, 2 ** 40 + 5);
  setPartitionLeaderEpoch(b, 0, 7);
  const h = readBatchHeader(b, 0);
  assert.equal(h.baseOffset, 2 ** 40 + 5);
  assert.equal(h.partitionLeaderEpoch, 7);
  assert.ok(inspectBatch(b, 0).ok);
});

test('LogAppendTime sets bit 3 and MaxTimestamp and recomputes the CRC', () => {
  const b = encodeBatch(sizedRecords(2, 10), { attributes: 1 }); // gzip flag: bytes are never decompressed
  setLogAppendTime(b, 0, b.length, 1_234_567);
  const h = readBatchHeader(b, 0);
  assert.equal(h.attributes, 1 | 0x08);
  assert.equal(h.maxTimestamp, 1_234_567);
  assert.ok(checkCrc(b));
});

test('inspectBatch flags a torn tail as truncated and a bad CRC as not', () => {
  const b = valid();
  const torn = inspectBatch(b.subarray(0, b.length - 3), 0);
  assert.equal(torn.ok, false);
  assert.equal(!torn.ok && torn.truncated, true);
  const bad = recrc(valid());
  bad[bad.length - 1]! ^= 1;
  const corrupt = inspectBatch(bad, 0);
  assert.equal(!corrupt.ok && corrupt.truncated, false);
});
