import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from '../../../src/broker/log/group-commit.ts';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import { encodeBatch, sizedRecords } from './helpers/record-batch-builder.ts';
import { defer, tempDir } from './helpers/temp-dir.ts';

/** A round function whose rounds finish only when the test says so. */
function manualRounds() {
  const pending: (() => void)[] = [];
  let started = 0;
  const commit = new GroupCommit(
    () =>
      new Promise<void>((resolve) => {
        started++;
        pending.push(resolve);
      }),
  );
  return {
    commit,
    started: () => started,
    async finishOne(): Promise<void> {
      pending.shift()!();
      // let the round's continuations (and a queued round's start) run
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

test('GroupCommit: nothing written, nothing to sync', async () => {
  const { commit, started } = manualRounds();
  await commit.request();
  assert.equal(started(), 0);
});

test('GroupCommit: callers during a round share one queued round', async () => {
  const m = manualRounds();
  m.commit.noteWrite();
  let firstDone = false;
  const first = m.commit.request().then(() => {
    firstDone = true;
  });
  assert.equal(m.started(), 1);
  // A caller with nothing new waits for the running round, no new round.
  const sameData = m.commit.request();
  m.commit.noteWrite();
  const late = Array.from({ length: 50 }, () => m.commit.request());
  assert.equal(m.started(), 1, 'the queued round waits for the running one');
  await m.finishOne();
  await first;
  await sameData;
  assert.ok(firstDone);
  assert.equal(m.started(), 2, 'one queued round for all 50 late callers');
  let lateDone = false;
  const allLate = Promise.all(late).then(() => {
    lateDone = true;
  });
  await Promise.resolve();
  assert.equal(lateDone, false, 'late callers wait for the round that covers their write');
  await m.finishOne();
  await allLate;
  assert.equal(m.commit.pending, false);
});

test('GroupCommit: a failed round rejects its callers and the next request retries', async () => {
  let calls = 0;
  const commit = new GroupCommit(async () => {
    calls++;
    if (calls === 1) throw new Error('EIO');
  });
  commit.noteWrite();
  await assert.rejects(commit.request(), /EIO/);
  assert.equal(commit.pending, true);
  await commit.request();
  assert.equal(commit.pending, false);
});

test('PartitionLog: 200 concurrent flush() calls after 200 appends cost at most two fsync rounds', async (t) => {
  const dir = await tempDir(t);
  const log = await PartitionLog.open(dir);
  defer(t, () => log.close());
  const flushes: Promise<void>[] = [];
  for (let i = 0; i < 200; i++) {
    log.append(encodeBatch(sizedRecords(5, 100)), { now: 0 });
    flushes.push(log.flush());
  }
  await Promise.all(flushes);
  assert.ok(log.metrics.flushCount <= 2, `flush rounds: ${log.metrics.flushCount}`);
  assert.ok(log.metrics.fsyncCount <= 4, `fsync calls: ${log.metrics.fsyncCount}`);
  assert.equal(log.flushedOffset, log.logEndOffset);
  assert.ok(log.metrics.totalFsyncMs > 0);
  const rounds = log.metrics.flushCount;
  await log.flush();
  assert.equal(log.metrics.flushCount, rounds, 'nothing new, no fsync');
});

test('PartitionLog: a flush called during a running round covers appends made after that round began', async (t) => {
  const dir = await tempDir(t);
  const log = await PartitionLog.open(dir);
  defer(t, () => log.close());
  log.append(encodeBatch(sizedRecords(1, 10)), { now: 0 });
  const first = log.flush();
  log.append(encodeBatch(sizedRecords(1, 10)), { now: 0 });
  const second = log.flush();
  await first;
  assert.ok(log.flushedOffset >= 1);
  await second;
  assert.equal(log.flushedOffset, 2);
});

test('PartitionLog: flush.messages triggers a background flush', async (t) => {
  const dir = await tempDir(t);
  const log = await PartitionLog.open(dir, { config: { flushMessages: 10 } });
  defer(t, () => log.close());
  for (let i = 0; i < 3; i++) log.append(encodeBatch(sizedRecords(4, 10)), { now: 0 });
  await log.idle();
  assert.equal(log.metrics.flushCount, 1);
  assert.ok(log.flushedOffset >= 12);
});

test('PartitionLog: flush.ms flushes pending appends on a timer', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const dir = await tempDir(t);
  const log = await PartitionLog.open(dir, { config: { flushMs: 1000 } });
  defer(t, () => log.close());
  log.append(encodeBatch(sizedRecords(2, 10)), { now: 0 });
  t.mock.timers.tick(999);
  await log.idle();
  assert.equal(log.metrics.flushCount, 0);
  t.mock.timers.tick(1);
  await log.idle();
  assert.equal(log.metrics.flushCount, 1);
  assert.equal(log.flushedOffset, 2);
});
