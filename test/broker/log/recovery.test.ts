/**
 * Recovery after an unclean stop. The crashed state is made by copying the directory of
 * a log that is still open (so no clean-shutdown mark), then damaging the copy.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import type { LogConfig } from '../../../src/broker/log/log-config.ts';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import { KafkaError, KafkaProtocolError } from '../../../src/broker/protocol/error-codes.ts';
import { decodeBatches, encodeBatch } from './helpers/record-batch-builder.ts';
import { defer, tempDir } from './helpers/temp-dir.ts';

const NOW = 1_700_000_000_000;

function appendNumbered(log: PartitionLog, batches: number, perBatch: number): void {
  for (let b = 0; b < batches; b++) {
    const first = log.logEndOffset;
    const records = Array.from({ length: perBatch }, (_, i) => ({ value: `v${first + i}` }));
    log.append(encodeBatch(records, { baseTimestamp: NOW + first }), { now: NOW });
  }
}

async function offsetsIn(log: PartitionLog): Promise<number[]> {
  const out: number[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    for (const batch of decodeBatches(await log.read(offset, 1 << 20))) {
      for (const r of batch.records) {
        assert.equal(r.value!.toString(), `v${r.offset}`);
        if (r.offset >= offset) out.push(r.offset);
      }
      offset = batch.lastOffset + 1;
    }
  }
  return out;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Builds a log, flushes it, and returns a copy of its directory as a crash would leave it. */
async function crashedCopy(t: TestContext, config: Partial<LogConfig>, fill: (log: PartitionLog) => void | Promise<void>) {
  const live = await tempDir(t);
  const log = await PartitionLog.open(live, { config });
  await fill(log);
  await log.flush();
  await log.idle();
  const crashed = await tempDir(t);
  await fs.cp(live, crashed, { recursive: true });
  const segments = log.segments().map((s) => ({ ...s, file: path.join(crashed, path.basename(s.file)) }));
  const logEndOffset = log.logEndOffset;
  await log.close();
  return { dir: crashed, segments, logEndOffset };
}

async function reopen(t: TestContext, dir: string, config: Partial<LogConfig>) {
  const log = await PartitionLog.open(dir, { config });
  defer(t, () => log.close());
  return log;
}

test('a partial batch at the end is truncated and every complete batch remains', async (t) => {
  const config = { segmentBytes: 1 << 20 };
  const { dir, segments, logEndOffset } = await crashedCopy(t, config, (log) => appendNumbered(log, 10, 3));
  const torn = encodeBatch([{ value: 'torn' }], { baseOffset: logEndOffset }).subarray(0, 40);
  await fs.appendFile(segments.at(-1)!.file, torn);
  const log = await reopen(t, dir, config);
  assert.equal(log.recovery.cleanShutdown, false);
  assert.equal(log.recovery.truncatedBytes, 40);
  assert.equal(log.metrics.recoveryTruncatedBytes, 40);
  assert.equal(log.logEndOffset, logEndOffset);
  assert.deepEqual(await offsetsIn(log), range(0, 30));
  const next = log.append(encodeBatch([{ value: 'v30' }]), { now: NOW });
  assert.equal(next.baseOffset, 30);
  assert.deepEqual(await offsetsIn(log), range(0, 31));
});

test('garbage after the last batch is truncated', async (t) => {
  const config = {};
  const { dir, segments } = await crashedCopy(t, config, (log) => appendNumbered(log, 5, 2));
  const size = (await fs.stat(segments.at(-1)!.file)).size;
  await fs.appendFile(segments.at(-1)!.file, Buffer.from('this is not a record batch, but it is long enough to parse a header from it'));
  const log = await reopen(t, dir, config);
  assert.equal((await fs.stat(segments.at(-1)!.file)).size, size);
  assert.deepEqual(await offsetsIn(log), range(0, 10));
});

test('a corrupt batch in the active segment cuts the log there', async (t) => {
  const config = {};
  const { dir, segments } = await crashedCopy(t, config, (log) => appendNumbered(log, 6, 2));
  const file = segments.at(-1)!.file;
  const bytes = await fs.readFile(file);
  const batches = decodeBatches(bytes);
  const fourthAt = batches.slice(0, 3).reduce((n, b) => n + b.sizeInBytes, 0);
  bytes[fourthAt + 70]! ^= 0xff; // inside the records of the 4th batch: CRC mismatch
  await fs.writeFile(file, bytes);
  const log = await reopen(t, dir, config);
  assert.equal(log.logEndOffset, 6);
  assert.equal(log.recovery.truncations[0]!.position, fourthAt);
  assert.match(log.recovery.truncations[0]!.reason, /CRC/);
  assert.deepEqual(await offsetsIn(log), range(0, 6));
});

test('a rolled segment without a valid index is re-scanned; a torn tail there drops the later segments', async (t) => {
  const config = { segmentBytes: 1024 };
  const { dir, segments } = await crashedCopy(t, config, (log) => appendNumbered(log, 80, 2));
  assert.ok(segments.length >= 4);
  const victim = segments[1]!;
  await fs.rm(victim.file.replace(/\.log$/, '.index'), { force: true });
  await fs.truncate(victim.file, victim.sizeBytes - 5);
  const log = await reopen(t, dir, config);
  assert.equal(log.recovery.segmentsDropped, segments.length - 2);
  assert.deepEqual(
    log.segments().map((s) => s.baseOffset),
    [segments[0]!.baseOffset, victim.baseOffset],
  );
  const lastBatchLost = victim.nextOffset - 2;
  assert.equal(log.logEndOffset, lastBatchLost);
  assert.deepEqual(await offsetsIn(log), range(0, lastBatchLost));
});

test('a damaged index file is rebuilt without losing data', async (t) => {
  const config = { segmentBytes: 1024, indexIntervalBytes: 64 };
  const dir = await tempDir(t);
  const first = await PartitionLog.open(dir, { config });
  appendNumbered(first, 30, 2);
  const segments = first.segments();
  const logEndOffset = first.logEndOffset;
  await first.close(); // clean: every index written
  const indexFile = segments[0]!.file.replace(/\.log$/, '.index');
  const index = await fs.readFile(indexFile);
  index[index.length - 6]! ^= 0x55;
  await fs.writeFile(indexFile, index);
  const log = await reopen(t, dir, config);
  assert.equal(log.recovery.cleanShutdown, true);
  assert.equal(log.recovery.segmentsScanned, 1, 'only the segment with the damaged index');
  assert.equal(log.recovery.truncatedBytes, 0);
  assert.equal(log.logEndOffset, logEndOffset);
  assert.deepEqual(await offsetsIn(log), range(0, logEndOffset));
});

test('deleteRecordsBefore is persisted across clean and unclean reopen', async (t) => {
  const config = { segmentBytes: 1024 };
  const dir = await tempDir(t);
  const log = await PartitionLog.open(dir, { config });
  appendNumbered(log, 30, 2);
  const result = await log.deleteRecordsBefore(25);
  assert.equal(result.logStartOffset, 25);
  assert.ok(result.deleted.length > 0);
  assert.ok(result.deleted.every((s) => s.nextOffset <= 25));
  assert.equal(log.segments()[0]!.baseOffset <= 25, true);
  await assert.rejects(log.read(24, 1000), (e: unknown) => e instanceof KafkaProtocolError && e.errorCode === KafkaError.OFFSET_OUT_OF_RANGE);
  const [batch] = decodeBatches(await log.read(25, 1000));
  assert.ok(batch!.baseOffset <= 25 && batch!.lastOffset >= 25, 'the batch containing the start offset is served');
  const crashed = await tempDir(t);
  await log.flush();
  await log.idle();
  await fs.cp(dir, crashed, { recursive: true });
  await log.close();
  for (const d of [dir, crashed]) {
    const again = await PartitionLog.open(d, { config });
    assert.equal(again.logStartOffset, 25, d);
    assert.deepEqual((await offsetsIn(again))[0], 25);
    await again.close();
  }
});

test('a checkpointed log start beyond the recovered end restarts the log there', async (t) => {
  const config = {};
  const { dir, segments } = await crashedCopy(t, config, async (log) => {
    appendNumbered(log, 5, 2);
    await log.deleteRecordsBefore(10);
  });
  await fs.truncate(segments.at(-1)!.file, 0); // everything lost but the checkpoint
  const log = await reopen(t, dir, config);
  assert.equal(log.logStartOffset, 10);
  assert.equal(log.logEndOffset, 10);
  assert.equal(log.append(encodeBatch([{ value: 'v10' }]), { now: NOW }).baseOffset, 10);
});
