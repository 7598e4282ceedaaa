import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { type TestContext, test } from 'node:test';
import type { LogConfig } from '../../../src/broker/log/log-config.ts';
import { planRetention, type RetentionCandidate } from '../../../src/broker/log/log-retention.ts';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import { KafkaError, KafkaProtocolError } from '../../../src/broker/protocol/error-codes.ts';
import { decodeBatches, encodeBatch, sizedRecords } from './helpers/record-batch-builder.ts';
import { defer, tempDir } from './helpers/temp-dir.ts';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;

const seg = (baseOffset: number, sizeBytes: number, newestTimestamp: number): RetentionCandidate => ({
  baseOffset,
  sizeBytes,
  newestTimestamp,
});

const planCases: {
  name: string;
  candidates: RetentionCandidate[];
  total: number;
  config: Pick<LogConfig, 'retentionMs' | 'retentionBytes'>;
  expect: string[];
}[] = [
  { name: 'unlimited', candidates: [seg(0, 100, 0)], total: 200, config: { retentionMs: -1, retentionBytes: -1 }, expect: [] },
  {
    name: 'time: a prefix of expired segments',
    candidates: [seg(0, 100, T0 - 5 * HOUR), seg(10, 100, T0 - 3 * HOUR), seg(20, 100, T0 - HOUR)],
    total: 400,
    config: { retentionMs: 2 * HOUR, retentionBytes: -1 },
    expect: ['retention.ms', 'retention.ms'],
  },
  {
    name: 'time: stops at the first segment to keep',
    candidates: [seg(0, 100, T0 - HOUR), seg(10, 100, T0 - 5 * HOUR)],
    total: 300,
    config: { retentionMs: 2 * HOUR, retentionBytes: -1 },
    expect: [],
  },
  {
    name: 'size: oldest first while the rest still exceeds the limit',
    candidates: [seg(0, 100, T0), seg(10, 100, T0), seg(20, 100, T0)],
    total: 350,
    config: { retentionMs: -1, retentionBytes: 150 },
    expect: ['retention.bytes', 'retention.bytes'],
  },
  {
    name: 'size after time',
    candidates: [seg(0, 100, T0 - 5 * HOUR), seg(10, 100, T0), seg(20, 100, T0)],
    total: 350,
    config: { retentionMs: 2 * HOUR, retentionBytes: 150 },
    expect: ['retention.ms', 'retention.bytes'],
  },
];

for (const c of planCases) {
  test(`planRetention: ${c.name}`, () => {
    const plan = planRetention(c.candidates, c.total, c.config, T0);
    assert.deepEqual(plan.reasons, c.expect);
    assert.equal(plan.count, c.expect.length);
  });
}

async function open(t: TestContext, dir: string, config: Partial<LogConfig>) {
  const log = await PartitionLog.open(dir, { config });
  defer(t, () => log.close());
  return log;
}

/** Appends one ~600-byte batch with MaxTimestamp `ts`. */
function appendAt(log: PartitionLog, ts: number): void {
  log.append(encodeBatch(sizedRecords(2, 250), { baseTimestamp: ts }), { now: ts });
}

test('retention by time deletes old segments and moves the log start offset', async (t) => {
  const dir = await tempDir(t);
  const log = await open(t, dir, { segmentBytes: 1300, retentionMs: 10 * HOUR });
  for (let h = 0; h < 12; h++) appendAt(log, T0 + h * HOUR); // 2 batches per segment
  const before = log.segments();
  assert.equal(before.length, 6);
  const result = await log.applyRetention(T0 + 14 * HOUR);
  // Segments whose newest batch is older than T0+4h: hours 0-1, 2-3 (newest 3h).
  assert.deepEqual(
    result.deleted.map((d) => [d.baseOffset, d.reason]),
    [
      [0, 'retention.ms'],
      [4, 'retention.ms'],
    ],
  );
  assert.equal(log.logStartOffset, 8);
  assert.equal(result.logStartOffset, 8);
  await assert.rejects(log.read(7, 1000), (e: unknown) => e instanceof KafkaProtocolError && e.errorCode === KafkaError.OFFSET_OUT_OF_RANGE);
  assert.equal(decodeBatches(await log.read(8, 1000))[0]!.baseOffset, 8);
  const files = await fs.readdir(dir);
  assert.ok(!files.includes('00000000000000000000.log'));
  assert.equal(log.metrics.segmentsDeleted, 2);
});

test('retention by size keeps the newest bytes; the start offset survives reopen', async (t) => {
  const dir = await tempDir(t);
  const config = { segmentBytes: 1300, retentionBytes: 2600, retentionMs: -1 };
  const first = await PartitionLog.open(dir, { config });
  for (let i = 0; i < 12; i++) appendAt(first, T0);
  const total = first.sizeBytes;
  const result = await first.applyRetention(T0);
  assert.ok(result.deleted.every((d) => d.reason === 'retention.bytes'));
  assert.ok(first.sizeBytes <= 2600 + first.segments().at(-1)!.sizeBytes);
  assert.ok(first.sizeBytes < total);
  const start = first.logStartOffset;
  assert.equal(start, first.segments()[0]!.baseOffset);
  await first.close();
  const log = await open(t, dir, config);
  assert.equal(log.logStartOffset, start);
});

test('an idle active segment past retention.ms is rolled and then deleted', async (t) => {
  const log = await open(t, await tempDir(t), { retentionMs: HOUR });
  appendAt(log, T0);
  appendAt(log, T0);
  const result = await log.applyRetention(T0 + 2 * HOUR);
  assert.equal(result.deleted.length, 1);
  assert.equal(log.logStartOffset, 4);
  assert.equal(log.logEndOffset, 4);
  assert.equal((await log.read(4, 1000)).length, 0);
  assert.equal(log.append(encodeBatch(sizedRecords(1, 10)), { now: T0 + 2 * HOUR }).baseOffset, 4);
});

test('deleteRecordsBefore beyond the log end is OFFSET_OUT_OF_RANGE', async (t) => {
  const log = await open(t, await tempDir(t), {});
  appendAt(log, T0);
  await assert.rejects(log.deleteRecordsBefore(3), (e: unknown) => e instanceof KafkaProtocolError && e.errorCode === KafkaError.OFFSET_OUT_OF_RANGE);
  assert.equal((await log.deleteRecordsBefore(2)).logStartOffset, 2);
  assert.equal(log.logStartOffset, 2);
});
