import assert from 'node:assert/strict';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { isLoglaneError } from '../../../src/errors/loglane-error.ts';
import { join } from 'node:path';
import { decodeLog, encodeFrame } from '../../../src/broker/groups/offset-log-format.ts';
import { OFFSET_LOG_FILE, OffsetStore } from '../../../src/broker/groups/offset-store.ts';
import { tempDir } from './helpers.ts';

const entry = (partition: number, offset: number) => ({ topic: 't', partition, offset, leaderEpoch: 0, metadata: `m${offset}` });
const noMembers = { protocolName: null, leaderId: null, members: [] };

function snapshot(store: OffsetStore) {
  return [...store.groups()].map(([groupId, g]) => [
    groupId,
    g.protocolType,
    g.generationId,
    [...g.offsets].map(([topic, parts]) => [topic, [...parts].map(([p, o]) => [p, o.offset, o.metadata, o.commitTimestampMs])]),
  ]);
}

test('everything written is there after reopening', async (t) => {
  const dir = await tempDir(t);
  const store = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  await store.commit('g', [entry(0, 1), entry(1, 2)], 1000);
  await store.saveGroup('g', { protocolType: 'consumer', generationId: 4, emptySinceMs: 1500, ...noMembers });
  await store.commit('h', [entry(0, 9)], 2000);
  await store.deleteOffsets('g', [{ topic: 't', partition: 1 }]);
  await store.commit('gone', [entry(0, 1)], 3000);
  await store.deleteGroup('gone');
  const before = snapshot(store);
  await store.close();
  const reopened = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  t.after(() => reopened.close());
  assert.deepEqual(snapshot(reopened), before);
  assert.deepEqual(before, [
    ['g', 'consumer', 4, [['t', [[0, 1, 'm1', 1000]]]]],
    ['h', null, 0, [['t', [[0, 9, 'm9', 2000]]]]],
  ]);
  assert.equal(reopened.group('g')!.emptySinceMs, 1500);
});

test('a write becomes visible only once it is durable', async (t) => {
  const dir = await tempDir(t);
  const store = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  t.after(() => store.close());
  const pending = store.commit('g', [entry(0, 1)], 1);
  assert.equal(store.group('g'), undefined);
  await pending;
  assert.equal(store.group('g')!.offsets.get('t')!.get(0)!.offset, 1);
});

test('concurrent writes share fsyncs (group commit)', async (t) => {
  const dir = await tempDir(t);
  const store = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  t.after(() => store.close());
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.commit('g', [entry(i % 10, i)], i)));
  const { flushes, records } = store.stats();
  assert.equal(records, 200);
  assert.ok(flushes <= 2, `200 writes issued together took ${flushes} fsync rounds`);
  assert.equal(store.group('g')!.offsets.get('t')!.get(9)!.offset, 199, 'writes apply in order');
});

test('a torn tail (a write cut short by a crash) is dropped on open', async (t) => {
  const dir = await tempDir(t);
  const store = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  await store.commit('g', [entry(0, 1)], 1);
  await store.close();
  const whole = encodeFrame({ t: 'c', g: 'g', ts: 2, o: [['t', 0, 2, 0, 'x']] });
  await appendFile(store.path, whole.subarray(0, whole.length - 3));
  const goodBytes = (await stat(store.path)).size - (whole.length - 3);

  const reopened = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  assert.equal(reopened.group('g')!.offsets.get('t')!.get(0)!.offset, 1);
  assert.equal((await stat(reopened.path)).size, goodBytes, 'the tail is truncated');
  await reopened.commit('g', [entry(0, 3)], 3);
  await reopened.close();
  const again = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  t.after(() => again.close());
  assert.equal(again.group('g')!.offsets.get('t')!.get(0)!.offset, 3, 'appends after the truncation are readable');
});

test('zeros after the last frame (a crash after the file grew) count as a torn tail', async (t) => {
  const dir = await tempDir(t);
  const store = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  await store.commit('g', [entry(0, 1)], 1);
  await store.close();
  await appendFile(store.path, Buffer.alloc(4096));
  const reopened = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  t.after(() => reopened.close());
  assert.equal(reopened.group('g')!.offsets.get('t')!.get(0)!.offset, 1);
});

test('damage followed by valid frames is corruption: the store refuses to open', async (t) => {
  const dir = await tempDir(t);
  const store = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  for (let i = 0; i < 3; i++) await store.commit('g', [entry(0, i)], i);
  await store.close();
  const bytes = await readFile(store.path);
  bytes[15] = bytes[15]! ^ 0xff; // inside the first frame's payload
  await writeFile(store.path, bytes);
  await assert.rejects(OffsetStore.open(dir, { compactBytes: 1 << 20 }), (error) => {
    assert.ok(isLoglaneError(error, 'LOGLANE_ERR_BROKER_STORAGE'));
    assert.equal(error.retriable, false);
    assert.equal(error.context.position, 0);
    return true;
  });
});

test('compaction rewrites the log as a snapshot and keeps every live value', async (t) => {
  const dir = await tempDir(t);
  const store = await OffsetStore.open(dir, { compactBytes: 4096 });
  await store.saveGroup('g', { protocolType: 'consumer', generationId: 2, emptySinceMs: null, ...noMembers });
  for (let i = 0; i < 300; i++) await store.commit('g', [entry(i % 4, i)], i);
  await store.commit('other', [entry(0, 1)], 5);
  const { compactions, fileBytes } = store.stats();
  assert.ok(compactions >= 1, 'the log was compacted');
  assert.ok(fileBytes < 4096 * 2, `file stays small (${fileBytes} bytes)`);
  const before = snapshot(store);
  await store.compact();
  assert.deepEqual(snapshot(store), before);
  await store.close();
  const reopened = await OffsetStore.open(dir, { compactBytes: 4096 });
  t.after(() => reopened.close());
  assert.deepEqual(snapshot(reopened), before);
  assert.deepEqual(before[0], ['g', 'consumer', 2, [['t', [[0, 296, 'm296', 296], [1, 297, 'm297', 297], [2, 298, 'm298', 298], [3, 299, 'm299', 299]]]]]);
});

test('group membership (format version 2) survives reopening and compaction; version 1 groups stay version 1', async (t) => {
  const dir = await tempDir(t);
  const member = (id: string, instance: string | null) => ({
    memberId: id,
    groupInstanceId: instance,
    clientId: `client-${id}`,
    clientHost: '/10.0.0.9',
    sessionTimeoutMs: 45_000,
    rebalanceTimeoutMs: 300_000,
    protocols: [
      { name: 'cooperative-sticky', metadata: Buffer.from([0, 3, 0, 0, 0, 1, 255]) },
      { name: 'range', metadata: Buffer.alloc(0) },
    ],
    assignment: Buffer.from(`assigned to ${id}`),
  });
  const metadata = {
    protocolType: 'consumer',
    generationId: 7,
    emptySinceMs: null,
    protocolName: 'cooperative-sticky',
    leaderId: 'm2',
    members: [member('m1', null), member('m2', 'i-2')],
  };
  await writeFile(join(dir, OFFSET_LOG_FILE), encodeFrame({ t: 'g', g: 'old', pt: 'consumer', gen: 3, es: null }));
  const store = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  await store.saveGroup('g', metadata);
  await store.commit('g', [entry(0, 5)], 10);
  const membership = (s: OffsetStore, groupId: string) => {
    const g = s.group(groupId)!;
    return { pt: g.protocolType, gen: g.generationId, es: g.emptySinceMs, pn: g.protocolName, l: g.leaderId, m: g.members };
  };
  const expected = { pt: 'consumer', gen: 7, es: null, pn: 'cooperative-sticky', l: 'm2', m: metadata.members };
  const old = { pt: 'consumer', gen: 3, es: null, pn: null, l: null, m: null };
  assert.deepEqual([membership(store, 'g'), membership(store, 'old')], [expected, old]);
  await store.close();
  const reopened = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  assert.deepEqual([membership(reopened, 'g'), membership(reopened, 'old')], [expected, old], 'after reopening');
  await reopened.compact();
  const { records } = decodeLog(await readFile(reopened.path));
  assert.deepEqual(records.map((r) => [r.t, r.g, 'v' in r ? r.v : 1]), [['s', 'old', 1], ['s', 'g', 2]]);
  await reopened.close();
  const compacted = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  t.after(() => compacted.close());
  assert.deepEqual([membership(compacted, 'g'), membership(compacted, 'old')], [expected, old], 'after compaction');
});

test('writes after close are refused with a storage error', async (t) => {
  const dir = await tempDir(t);
  const store = await OffsetStore.open(dir, { compactBytes: 1 << 20 });
  await store.close();
  await assert.rejects(store.commit('g', [entry(0, 1)], 1), (error) => isLoglaneError(error, 'LOGLANE_ERR_BROKER_STORAGE'));
});
