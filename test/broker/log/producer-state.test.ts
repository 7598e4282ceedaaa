import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { type TestContext, test } from 'node:test';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import {
  checkSequence,
  lastSequenceOf,
  type ProducerEntry,
  ProducerStateManager,
} from '../../../src/broker/log/producer-state.ts';
import type { RecordBatchHeader } from '../../../src/broker/log/record-batch.ts';
import { KafkaError, KafkaProtocolError } from '../../../src/broker/protocol/error-codes.ts';
import { encodeBatch, sizedRecords } from './helpers/record-batch-builder.ts';
import { defer, tempDir } from './helpers/temp-dir.ts';

const NOW = 1_700_000_000_000;

function header(producerId: number, producerEpoch: number, baseSequence: number, records: number, attributes = 0): RecordBatchHeader {
  return {
    baseOffset: 0,
    length: 100,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes,
    lastOffsetDelta: records - 1,
    baseTimestamp: 0,
    maxTimestamp: 0,
    producerId,
    producerEpoch,
    baseSequence,
    recordsCount: records,
  };
}

const entry: ProducerEntry = {
  producerId: 1,
  epoch: 3,
  lastSeenMs: 0,
  batches: [
    { firstSeq: 0, lastSeq: 4, baseOffset: 100, lastOffset: 104, timestamp: 1 },
    { firstSeq: 5, lastSeq: 9, baseOffset: 200, lastOffset: 204, timestamp: 2 },
  ],
};

const sequenceCases: { name: string; entry: ProducerEntry | undefined; header: RecordBatchHeader; expect: string | number }[] = [
  { name: 'not idempotent', entry, header: header(-1, -1, -1, 3), expect: 'append' },
  { name: 'unknown producer, any sequence', entry: undefined, header: header(1, 0, 42, 3), expect: 'append' },
  { name: 'next in sequence', entry, header: header(1, 3, 10, 2), expect: 'append' },
  { name: 'duplicate of the newest batch', entry, header: header(1, 3, 5, 5), expect: 'duplicate:200' },
  { name: 'duplicate of an older cached batch', entry, header: header(1, 3, 0, 5), expect: 'duplicate:100' },
  { name: 'gap', entry, header: header(1, 3, 12, 1), expect: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER },
  { name: 'overlap that is not a cached batch', entry, header: header(1, 3, 7, 3), expect: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER },
  { name: 'older epoch', entry, header: header(1, 2, 10, 1), expect: KafkaError.INVALID_PRODUCER_EPOCH },
  { name: 'older epoch, transactional', entry, header: header(1, 2, 10, 1, 0x10), expect: KafkaError.PRODUCER_FENCED },
  { name: 'newer epoch from sequence 0', entry, header: header(1, 4, 0, 1), expect: 'append' },
  { name: 'newer epoch not from 0', entry, header: header(1, 4, 10, 1), expect: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER },
  {
    name: 'sequence wraps after INT32_MAX',
    entry: { ...entry, batches: [{ firstSeq: 2147483640, lastSeq: 2147483647, baseOffset: 0, lastOffset: 7, timestamp: 0 }] },
    header: header(1, 3, 0, 1),
    expect: 'append',
  },
];

for (const c of sequenceCases) {
  test(`checkSequence: ${c.name}`, () => {
    const verdict = checkSequence(c.entry, c.header);
    const got =
      verdict.kind === 'reject' ? verdict.errorCode : verdict.kind === 'duplicate' ? `duplicate:${verdict.batch.baseOffset}` : 'append';
    assert.equal(got, c.expect);
  });
}

test('lastSequenceOf wraps like Kafka', () => {
  assert.equal(lastSequenceOf(10, 4), 14);
  assert.equal(lastSequenceOf(2147483646, 3), 1);
});

test('only the last 5 batches are cached; snapshot round-trips', () => {
  const state = new ProducerStateManager();
  for (let i = 0; i < 8; i++) state.replay({ ...header(9, 0, i * 2, 2), baseOffset: i * 2 });
  assert.deepEqual(
    state.get(9)!.batches.map((b) => b.firstSeq),
    [6, 8, 10, 12, 14],
  );
  const copy = new ProducerStateManager();
  assert.equal(copy.restore(state.snapshot(16)), 16);
  assert.deepEqual(copy.get(9), state.get(9));
  const damaged = state.snapshot(16);
  damaged[damaged.length - 3]! ^= 1;
  assert.equal(new ProducerStateManager().restore(damaged), null);
});

function idempotent(producerId: number, epoch: number, seq: number, count: number): Buffer {
  return encodeBatch(sizedRecords(count, 20), { producerId, producerEpoch: epoch, baseSequence: seq });
}

function rejectsWith(code: number) {
  return (err: unknown) => err instanceof KafkaProtocolError && err.errorCode === code;
}

async function open(t: TestContext, dir: string, config = {}) {
  const log = await PartitionLog.open(dir, { config });
  defer(t, () => log.close());
  return log;
}

test('append: a retried batch is answered with its original offsets and not written again', async (t) => {
  const log = await open(t, await tempDir(t), { messageTimestampType: 'LogAppendTime' });
  const first = log.append(idempotent(5, 0, 0, 3), { now: NOW });
  log.append(encodeBatch(sizedRecords(2, 20)), { now: NOW + 1 }); // another, non-idempotent producer
  const size = log.sizeBytes;
  const retry = log.append(idempotent(5, 0, 0, 3), { now: NOW + 2 });
  assert.deepEqual(retry, { ...first, duplicate: true });
  assert.equal(retry.logAppendTime, NOW, 'the original append time');
  assert.equal(log.sizeBytes, size);
  assert.equal(log.logEndOffset, 5);
  assert.equal(log.metrics.duplicateBatches, 1);
  assert.equal(log.append(idempotent(5, 0, 3, 1), { now: NOW }).baseOffset, 5);
});

test('append: gaps, old epochs and epoch bumps', async (t) => {
  const log = await open(t, await tempDir(t));
  log.append(idempotent(5, 1, 0, 2), { now: NOW });
  assert.throws(() => log.append(idempotent(5, 1, 5, 1), { now: NOW }), rejectsWith(KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER));
  assert.throws(() => log.append(idempotent(5, 0, 2, 1), { now: NOW }), rejectsWith(KafkaError.INVALID_PRODUCER_EPOCH));
  assert.throws(() => log.append(idempotent(5, 2, 2, 1), { now: NOW }), rejectsWith(KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER));
  assert.equal(log.append(idempotent(5, 2, 0, 1), { now: NOW }).baseOffset, 2);
  assert.equal(log.logEndOffset, 3);
});

test('append: several batches of one producer in one request are checked in order', async (t) => {
  const log = await open(t, await tempDir(t));
  const ok = log.append(Buffer.concat([idempotent(8, 0, 0, 2), idempotent(8, 0, 2, 2)]), { now: NOW });
  assert.deepEqual([ok.baseOffset, ok.lastOffset], [0, 3]);
  assert.throws(
    () => log.append(Buffer.concat([idempotent(8, 0, 4, 1), idempotent(8, 0, 9, 1)]), { now: NOW }),
    rejectsWith(KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER),
  );
  assert.equal(log.logEndOffset, 4, 'nothing of the rejected request was written');
  assert.equal(log.append(idempotent(8, 0, 4, 1), { now: NOW }).baseOffset, 4);
});

test('producer state survives a clean reopen, an unclean reopen, and segment rolls', async (t) => {
  const dir = await tempDir(t);
  const config = { segmentBytes: 1024 };
  const log = await PartitionLog.open(dir, { config });
  let seq = 0;
  for (let i = 0; i < 30; i++, seq += 2) log.append(idempotent(11, 0, seq, 2), { now: NOW });
  log.append(idempotent(12, 4, 0, 1), { now: NOW });
  assert.ok(log.segments().length > 2);
  await log.flush();
  await log.idle();
  const crashed = await tempDir(t);
  await fs.cp(dir, crashed, { recursive: true });
  await log.close();
  for (const [name, d] of [
    ['clean', dir],
    ['unclean', crashed],
  ] as const) {
    const again = await open(t, d, config);
    if (name === 'unclean') assert.ok(again.recovery.producerSnapshotOffset !== null, 'a roll snapshot was used');
    const dup = again.append(idempotent(11, 0, seq - 2, 2), { now: NOW });
    assert.equal(dup.duplicate, true, name);
    assert.equal(dup.baseOffset, 58, name);
    assert.throws(() => again.append(idempotent(11, 0, seq + 1, 1), { now: NOW }), rejectsWith(KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER));
    assert.throws(() => again.append(idempotent(12, 3, 1, 1), { now: NOW }), rejectsWith(KafkaError.INVALID_PRODUCER_EPOCH));
    assert.equal(again.append(idempotent(11, 0, seq, 1), { now: NOW }).baseOffset, 61, name);
  }
});

test('producer state is rebuilt from the log when every snapshot is gone', async (t) => {
  const dir = await tempDir(t);
  const log = await PartitionLog.open(dir);
  log.append(idempotent(3, 0, 0, 2), { now: NOW });
  log.append(idempotent(3, 0, 2, 2), { now: NOW });
  await log.close();
  for (const name of await fs.readdir(dir)) if (name.endsWith('.snapshot')) await fs.rm(`${dir}/${name}`);
  const again = await open(t, dir);
  assert.equal(again.recovery.producerSnapshotOffset, null);
  assert.equal(again.recovery.producerBatchesReplayed, 2);
  assert.equal(again.append(idempotent(3, 0, 0, 2), { now: NOW }).duplicate, true);
});

test('applyRetention expires idle producer ids', async (t) => {
  const log = await open(t, await tempDir(t), { producerIdExpirationMs: 1000, retentionMs: -1 });
  log.append(idempotent(4, 0, 0, 1), { now: NOW });
  await log.applyRetention(NOW + 1001);
  // Unknown again: any sequence is accepted.
  assert.equal(log.append(idempotent(4, 0, 77, 1), { now: NOW }).duplicate, false);
});
