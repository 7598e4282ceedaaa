/**
 * Fetch reads into pooled buffers that are reused once the socket wrote the response.
 * These tests would fail if a buffer went back to the pool too early: responses held in
 * a paused client's socket queue would then carry other topics' bytes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { PartitionLog } from '../../src/broker/log/partition-log.ts';
import { fetchReadBufferPool, ReadBufferPool, ReadLeases } from '../../src/broker/log/read-buffer-pool.ts';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { RawKafkaClient } from '../helpers/raw-kafka-client.ts';
import { checkCrc, decodeBatches, encodeBatch } from './log/helpers/record-batch-builder.ts';

const PRODUCE = 0;
const FETCH = 1;
const CREATE_TOPICS = 19;
const RECORDS_PER_BATCH = 200;
const BATCHES = 24;
const VALUE_BYTES = 1000;

function expectedValue(tag: string, offset: number): string {
  return `${tag}:${offset}:`.padEnd(VALUE_BYTES, tag);
}

function batchFor(tag: string, baseOffset: number): Buffer {
  const records = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: null, value: expectedValue(tag, baseOffset + i) }));
  return encodeBatch(records, { baseTimestamp: Date.now() });
}

function fetchBody(topic: string, fetchOffset: number, maxWaitMs = 0) {
  return {
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [],
    rackId: '',
  };
}

/** Checks every batch's CRC and every record's value; returns how many records it saw. */
function assertRecords(tag: string, fetchOffset: number, response: { responses: { partitions: { errorCode: number; records: Buffer | null }[] }[] }): number {
  const partition = response.responses[0]!.partitions[0]!;
  assert.equal(partition.errorCode, 0);
  const records = partition.records;
  assert.ok(records && records.length > 0, `no records for ${tag} at ${fetchOffset}`);
  const batches = decodeBatches(records);
  assert.ok(batches.length > 0);
  assert.ok(batches[0]!.baseOffset <= fetchOffset && fetchOffset <= batches[0]!.lastOffset);
  let at = 0;
  let count = 0;
  for (const batch of batches) {
    assert.ok(checkCrc(records, at), `CRC of the batch at ${batch.baseOffset} of ${tag} does not match: its bytes were overwritten`);
    at += batch.sizeInBytes;
    for (const record of batch.records) {
      assert.equal(String(record.value), expectedValue(tag, record.offset));
      count++;
    }
  }
  return count;
}

async function connectClient(t: { after: (fn: () => void) => void }, bootstrap: string): Promise<RawKafkaClient> {
  const c = await RawKafkaClient.connect(bootstrap);
  t.after(() => c.close());
  return c;
}

async function fillTopics(t: { after: (fn: () => void) => void }, bootstrap: string, tags: string[]): Promise<string[]> {
  const admin = await connectClient(t, bootstrap);
  const topics: string[] = [];
  for (const tag of tags) {
    const topic = uniqueTopic(`reuse-${tag}`);
    const created = await admin.request(CREATE_TOPICS, 5, {
      topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    assert.equal(created.topics[0].errorCode, 0);
    for (let b = 0; b < BATCHES; b++) {
      const produced = await admin.request(PRODUCE, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records: batchFor(tag, b * RECORDS_PER_BATCH) }] }],
      });
      assert.equal(produced.responses[0].partitionResponses[0].errorCode, 0);
    }
    topics.push(topic);
  }
  return topics;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test('the pool leases only reads that fit, and a lease is released once', () => {
  const pool = new ReadBufferPool({ bufferBytes: 1000, minPooledBytes: 100, maxIdle: 1 });
  assert.equal(pool.lease(99), null);
  assert.equal(pool.lease(1001), null);
  const a = pool.lease(1000)!;
  const b = pool.lease(100)!;
  assert.notEqual(a.buffer, b.buffer);
  assert.equal(pool.leased, 2);
  a.release();
  a.release();
  assert.equal(pool.leased, 1);
  assert.equal(pool.idle, 1);
  b.release();
  assert.equal(pool.idle, 1, 'idle buffers beyond maxIdle are dropped');
  assert.equal(pool.lease(500)!.buffer, a.buffer, 'a released buffer is reused');
});

test('pooled log reads return the same bytes as fresh ones, keep their lease until released, and fall back for oversized batches', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-read-pool-'));
  const log = await PartitionLog.open(dir, { config: { maxMessageBytes: 4 << 20 } });
  t.after(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });
  for (let b = 0; b < 8; b++) log.append(batchFor('p', b * RECORDS_PER_BATCH), { now: Date.now() });
  const big = encodeBatch(
    Array.from({ length: 3 }, (_, i) => ({ key: null, value: 'B'.repeat(700_000 + i) })),
    { baseTimestamp: Date.now() },
  );
  log.append(big, { now: Date.now() });
  const pool = new ReadBufferPool();
  for (const offset of [0, 150, 700, 1599]) {
    const leases = new ReadLeases(pool);
    const fresh = await log.read(offset, 1 << 20, { minOneBatch: true });
    const pooled = await log.read(offset, 1 << 20, { minOneBatch: true, leases });
    assert.ok(pooled.equals(fresh));
    assert.equal(leases.count, 1);
    assert.equal(pool.leased, 1);
    leases.releaseAll();
    assert.equal(pool.leased, 0);
  }
  // KIP-74: the 2.1 MB batch is larger than a pooled buffer: read into a fresh one.
  const leases = new ReadLeases(pool);
  const oversized = await log.read(1600, 1 << 20, { minOneBatch: true, leases });
  assert.equal(decodeBatches(oversized)[0]!.records.length, 3);
  assert.ok(checkCrc(oversized));
  assert.equal(decodeBatches(oversized)[0]!.baseOffset, 1600);
  assert.equal(leases.count, 0);
  assert.equal(pool.leased, 0, 'the window read before falling back went back to the pool');
  // Past the end of the last segment: nothing held.
  const empty = await log.read(log.logEndOffset, 1 << 20, { minOneBatch: true, leases });
  assert.equal(empty.length, 0);
  assert.equal(pool.leased, 0);
});

test('concurrent fetches on several connections, one of them not reading, get byte-exact records', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const tags = ['a', 'b', 'c', 'd'];
  const topics = await fillTopics(t, bootstrap, tags);
  const total = RECORDS_PER_BATCH * BATCHES;
  const baseline = fetchReadBufferPool.leased;

  // Slow clients: pipelined fetches whose ~1 MiB responses pile up in the broker's
  // socket queues while the clients do not read.
  const slow = await Promise.all(tags.slice(0, 2).map(() => connectClient(t, bootstrap)));
  const slowResults: Promise<number>[] = [];
  for (const [i, c] of slow.entries()) {
    c.socket.pause();
    for (let k = 0; k < 12; k++) {
      const offset = ((k * 397) % total) | 0;
      slowResults.push(c.request(FETCH, 12, fetchBody(topics[i]!, offset)).then((r) => assertRecords(tags[i]!, offset, r)));
    }
  }
  await waitFor(() => fetchReadBufferPool.leased - baseline >= 4, 'responses held by the paused connections');

  // Fast clients meanwhile go through many pooled buffers with other topics' bytes.
  const fast = await Promise.all(tags.map(() => connectClient(t, bootstrap)));
  await Promise.all(
    fast.map(async (c, j) => {
      for (let k = 0; k < 30; k++) {
        const which = (j + k) % tags.length;
        const offset = (k * 811 + j * 97) % total;
        const inFlight = [0, 1, 2].map((d) => {
          const o = (offset + d * 1000) % total;
          return c.request(FETCH, 12, fetchBody(topics[which]!, o)).then((r) => assertRecords(tags[which]!, o, r));
        });
        await Promise.all(inFlight);
      }
    }),
  );

  for (const c of slow) c.socket.resume();
  const counts = await Promise.all(slowResults);
  assert.ok(counts.every((n) => n > 0));
  await waitFor(() => fetchReadBufferPool.leased === baseline, 'every lease released after the responses were written');
});

test('responses of a connection destroyed before reading them give their buffers back', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const [topic] = await fillTopics(t, bootstrap, ['z']);
  const baseline = fetchReadBufferPool.leased;
  const c = await connectClient(t, bootstrap);
  c.socket.pause();
  const pending = [];
  for (let k = 0; k < 10; k++) pending.push(c.request(FETCH, 12, fetchBody(topic!, k * 400)).catch(() => 0));
  await waitFor(() => fetchReadBufferPool.leased - baseline >= 2, 'responses held by the paused connection');
  c.close();
  await Promise.all(pending);
  await waitFor(() => fetchReadBufferPool.leased === baseline, 'the leases of unwritten responses released');

  // Responses ready behind a long poll (responses leave in order) are never written when
  // the connection closes first.
  const e = await connectClient(t, bootstrap);
  const end = RECORDS_PER_BATCH * BATCHES;
  const behind = [e.request(FETCH, 12, fetchBody(topic!, end, 30_000)).catch(() => 0)];
  for (let k = 0; k < 4; k++) behind.push(e.request(FETCH, 12, fetchBody(topic!, k * 1000)).catch(() => 0));
  await waitFor(() => fetchReadBufferPool.leased - baseline >= 4, 'responses queued behind the long poll');
  e.close();
  await Promise.all(behind);
  await waitFor(() => fetchReadBufferPool.leased === baseline, 'the leases of responses queued behind a long poll released');

  // A long poll that reads data it then drops (min_bytes not reached) holds nothing.
  const d = await connectClient(t, bootstrap);
  const polled = await d.request(FETCH, 12, { ...fetchBody(topic!, 0, 200), minBytes: 64 << 20 });
  assert.ok(assertRecords('z', 0, polled) > 0);
  await waitFor(() => fetchReadBufferPool.leased === baseline, 'long-poll leases released');
});
