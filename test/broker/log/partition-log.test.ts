import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { test } from 'node:test';
import type { LogConfig } from '../../../src/broker/log/log-config.ts';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import { KafkaError, KafkaProtocolError } from '../../../src/broker/protocol/error-codes.ts';
import { checkCrc, decodeBatches, encodeBatch, sizedRecords } from './helpers/record-batch-builder.ts';
import { defer, tempDir } from './helpers/temp-dir.ts';

const NOW = 1_700_000_000_000;

async function openLog(t: import('node:test').TestContext, config: Partial<LogConfig> = {}, dir?: string) {
  const d = dir ?? (await tempDir(t));
  const log = await PartitionLog.open(d, { config });
  defer(t, () => log.close());
  return { log, dir: d };
}

function isKafkaError(code: number) {
  return (err: unknown) => err instanceof KafkaProtocolError && err.errorCode === code;
}

/** Appends `batches` batches of `perBatch` records whose values are their offsets. */
function appendNumbered(log: PartitionLog, batches: number, perBatch: number, size = 50): void {
  for (let b = 0; b < batches; b++) {
    const first = log.logEndOffset;
    const records = Array.from({ length: perBatch }, (_, i) => ({ value: String(first + i).padEnd(size, '.') }));
    log.append(encodeBatch(records, { baseTimestamp: NOW + first }), { now: NOW });
  }
}

/** Reads the whole log in fetch-sized steps, as a consumer would, and returns record offsets and values. */
async function readAll(log: PartitionLog, maxBytes = 4096): Promise<{ offset: number; value: string }[]> {
  const out: { offset: number; value: string }[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const data = await log.read(offset, maxBytes, { minOneBatch: true });
    assert.ok(data.length > 0, `read at ${offset} returned nothing`);
    for (const batch of decodeBatches(data)) {
      for (const r of batch.records) if (r.offset >= offset) out.push({ offset: r.offset, value: r.value!.toString().replace(/\.+$/, '') });
      offset = batch.lastOffset + 1;
    }
  }
  return out;
}

test('append assigns consecutive offsets and rewrites BaseOffset and leader epoch', async (t) => {
  const { log } = await openLog(t);
  const r1 = log.append(encodeBatch(sizedRecords(3, 10), { baseOffset: 999 }), { now: NOW });
  const r2 = log.append(Buffer.concat([encodeBatch(sizedRecords(2, 10)), encodeBatch(sizedRecords(4, 10))]), { now: NOW });
  assert.deepEqual(r1, { baseOffset: 0, lastOffset: 2, logAppendTime: -1, logStartOffset: 0, duplicate: false });
  assert.deepEqual([r2.baseOffset, r2.lastOffset], [3, 8]);
  assert.equal(log.logEndOffset, 9);
  assert.equal(log.highWatermark, 9);
  const data = await log.read(0, 1 << 20);
  const batches = decodeBatches(data);
  assert.deepEqual(
    batches.map((b) => [b.baseOffset, b.lastOffset]),
    [
      [0, 2],
      [3, 4],
      [5, 8],
    ],
  );
  assert.equal(data.readInt32BE(12), 0, 'PartitionLeaderEpoch set to the leader epoch');
  for (let at = 0, i = 0; i < batches.length; at += batches[i]!.sizeInBytes, i++) assert.ok(checkCrc(data, at));
});

test('an invalid batch anywhere in the request writes nothing', async (t) => {
  const { log } = await openLog(t);
  log.append(encodeBatch(sizedRecords(1, 10)), { now: NOW });
  const bad = encodeBatch(sizedRecords(1, 10));
  bad[bad.length - 1]! ^= 1;
  const size = log.sizeBytes;
  assert.throws(() => log.append(Buffer.concat([encodeBatch(sizedRecords(2, 10)), bad]), { now: NOW }), isKafkaError(KafkaError.CORRUPT_MESSAGE));
  assert.equal(log.logEndOffset, 1);
  assert.equal(log.sizeBytes, size);
});

test('round trip across segment rolls, from every offset', async (t) => {
  const { log } = await openLog(t, { segmentBytes: 2048, indexIntervalBytes: 256 });
  appendNumbered(log, 60, 3);
  assert.ok(log.segments().length > 5, `expected several segments, got ${log.segments().length}`);
  const segs = log.segments();
  for (let i = 1; i < segs.length; i++) assert.equal(segs[i]!.baseOffset, segs[i - 1]!.nextOffset);
  const all = await readAll(log, 700);
  assert.deepEqual(
    all.map((r) => r.offset),
    Array.from({ length: 180 }, (_, i) => i),
  );
  for (const r of all) assert.equal(r.value, String(r.offset));
  for (let offset = 0; offset < 180; offset++) {
    const [first] = decodeBatches(await log.read(offset, 1, { minOneBatch: true }));
    assert.ok(first!.baseOffset <= offset && offset <= first!.lastOffset, `batch for ${offset}`);
  }
});

test('read from a mid-batch offset starts at the batch that contains it', async (t) => {
  const { log } = await openLog(t);
  appendNumbered(log, 3, 10);
  const batches = decodeBatches(await log.read(15, 1 << 20));
  assert.equal(batches[0]!.baseOffset, 10);
  assert.equal(batches.length, 2);
});

test('maxBytes returns whole batches only; KIP-74 returns an oversized first batch', async (t) => {
  const { log } = await openLog(t);
  log.append(encodeBatch(sizedRecords(20, 200)), { now: NOW }); // ~4.3 KB
  log.append(encodeBatch(sizedRecords(1, 10)), { now: NOW });
  const big = await log.read(0, 100, { minOneBatch: true });
  assert.deepEqual(
    decodeBatches(big).map((b) => b.baseOffset),
    [0],
  );
  assert.equal(decodeBatches(big)[0]!.sizeInBytes, big.length);
  assert.equal((await log.read(0, 100, { minOneBatch: false })).length, 0);
  const both = await log.read(0, big.length + 200);
  assert.equal(decodeBatches(both).length, 2);
  const exact = await log.read(0, big.length + 10);
  assert.equal(exact.length, big.length, 'a second batch that does not fit is left out');
});

test('offsets outside [logStartOffset, logEndOffset] are OFFSET_OUT_OF_RANGE; the end reads empty', async (t) => {
  const { log } = await openLog(t);
  appendNumbered(log, 2, 2);
  assert.equal((await log.read(4, 1000)).length, 0);
  await assert.rejects(log.read(5, 1000), isKafkaError(KafkaError.OFFSET_OUT_OF_RANGE));
  await assert.rejects(log.read(-1, 1000), isKafkaError(KafkaError.OFFSET_OUT_OF_RANGE));
});

test('LogAppendTime topics stamp batches with the append time', async (t) => {
  const { log } = await openLog(t, { messageTimestampType: 'LogAppendTime' });
  const result = log.append(encodeBatch(sizedRecords(2, 10), { baseTimestamp: 5 }), { now: NOW + 77 });
  assert.equal(result.logAppendTime, NOW + 77);
  const data = await log.read(0, 1000);
  const [batch] = decodeBatches(data);
  assert.equal(batch!.maxTimestamp, NOW + 77);
  assert.equal(batch!.attributes & 0x08, 0x08);
  assert.ok(checkCrc(data));
});

test('segment.ms rolls the active segment', async (t) => {
  const { log } = await openLog(t, { segmentMs: 1000 });
  log.append(encodeBatch(sizedRecords(1, 10)), { now: NOW });
  log.append(encodeBatch(sizedRecords(1, 10)), { now: NOW + 500 });
  assert.equal(log.segments().length, 1);
  log.append(encodeBatch(sizedRecords(1, 10)), { now: NOW + 1500 });
  assert.deepEqual(
    log.segments().map((s) => s.baseOffset),
    [0, 2],
  );
});

test('offsetForTimestamp and maxTimestampOffset work at batch granularity across segments', async (t) => {
  const { log } = await openLog(t, { segmentBytes: 1500, indexIntervalBytes: 100 });
  // Batch i holds offsets 2i, 2i+1 with MaxTimestamp 1000 + 10 i, except batch 7 which is newest.
  for (let i = 0; i < 20; i++) {
    const ts = i === 7 ? 9_000 : 1_000 + 10 * i;
    log.append(encodeBatch(sizedRecords(2, 60), { baseTimestamp: ts }), { now: NOW });
  }
  assert.ok(log.segments().length > 2);
  assert.deepEqual(await log.offsetForTimestamp(0), { offset: 0, timestamp: 1_000 });
  assert.deepEqual(await log.offsetForTimestamp(1_055), { offset: 12, timestamp: 1_060 });
  assert.deepEqual(await log.offsetForTimestamp(1_071), { offset: 14, timestamp: 9_000 }, 'batch 7 is the first with ts >= 1071');
  assert.deepEqual(await log.offsetForTimestamp(1_185), { offset: 14, timestamp: 9_000 });
  assert.equal(await log.offsetForTimestamp(9_001), null);
  assert.deepEqual(log.maxTimestampOffset(), { offset: 14, timestamp: 9_000 });
});

test('updateConfig applies at runtime and rejects bad values with INVALID_CONFIG', async (t) => {
  const { log } = await openLog(t);
  log.updateConfig({ maxMessageBytes: 100 });
  assert.throws(() => log.append(encodeBatch(sizedRecords(3, 100)), { now: NOW }), isKafkaError(KafkaError.MESSAGE_TOO_LARGE));
  assert.throws(() => log.updateConfig({ segmentBytes: 0 }), isKafkaError(KafkaError.INVALID_CONFIG));
  assert.equal(log.config.maxMessageBytes, 100);
});

test('clean close and reopen keeps everything and skips the scan', async (t) => {
  const dir = await tempDir(t);
  const first = await PartitionLog.open(dir, { config: { segmentBytes: 4096 } });
  appendNumbered(first, 40, 2);
  const before = await readAll(first);
  await first.close();
  const { log } = await openLog(t, { segmentBytes: 4096 }, dir);
  assert.equal(log.recovery.cleanShutdown, true);
  assert.equal(log.recovery.segmentsScanned, 0);
  assert.equal(log.logEndOffset, 80);
  assert.deepEqual(await readAll(log), before);
  appendNumbered(log, 1, 1);
  assert.equal(log.logEndOffset, 81);
});

test('reads are the same for bytes found at open (pool reads) and bytes this process appended (thread reads), also within one segment', async (t) => {
  const dir = await tempDir(t);
  const first = await PartitionLog.open(dir, { config: { segmentBytes: 64 * 1024 } });
  appendNumbered(first, 30, 5);
  await first.close();
  const { log } = await openLog(t, { segmentBytes: 64 * 1024 }, dir);
  // The reopened active segment now holds old bytes, then new ones after them.
  appendNumbered(log, 30, 5);
  const expected = Array.from({ length: 300 }, (_, i) => ({ offset: i, value: String(i) }));
  for (const maxBytes of [100, 1000, 1 << 20]) assert.deepEqual(await readAll(log, maxBytes), expected, `fetches of ${maxBytes} bytes`);
});

test('only recent bytes this process wrote are read on the event loop (readSync); older ones through the pool', async (t) => {
  const dir = await tempDir(t);
  const first = await PartitionLog.open(dir, { config: { segmentBytes: 1 << 20 } });
  appendNumbered(first, 20, 5);
  await first.close();
  const { log } = await openLog(t, { segmentBytes: 1 << 20 }, dir);
  // Enough new bytes that the sparse offset index has entries past the old ones.
  appendNumbered(log, 200, 5);
  const readSync = t.mock.method(fs, 'readSync');
  const calls = async (offset: number) => {
    const before = readSync.mock.callCount();
    await log.read(offset, 1 << 20, { minOneBatch: true });
    return readSync.mock.callCount() - before;
  };
  assert.equal(await calls(0), 0, 'bytes found at open');
  assert.ok((await calls(1000)) > 0, 'bytes appended by this process');
  // The same appended bytes, but beyond the recent window of the segment: through the pool.
  const segment = (log as unknown as { segs: { read: (...args: unknown[]) => Promise<Buffer | null>; size: number }[] }).segs[0]!;
  const before = readSync.mock.callCount();
  const far = await segment.read(1000, 1 << 20, true, 4096, undefined, 0);
  assert.equal(readSync.mock.callCount(), before);
  const near = await segment.read(1000, 1 << 20, true, 4096, undefined, segment.size);
  assert.ok(readSync.mock.callCount() > before);
  assert.ok(far!.equals(near!));
});

test('delete() removes the partition directory; a closed log refuses appends', async (t) => {
  const dir = await tempDir(t);
  const log = await PartitionLog.open(dir);
  appendNumbered(log, 2, 2);
  await log.delete();
  await assert.rejects(fsp.stat(dir), { code: 'ENOENT' });
  assert.throws(() => log.append(encodeBatch(sizedRecords(1, 10)), { now: NOW }), { code: 'LOGLANE_ERR_BROKER_STORAGE' });
  await log.close(); // no-op after delete
});
