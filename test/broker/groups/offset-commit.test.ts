import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import type { OffsetCommitRequest } from '../../../src/broker/groups/types.ts';
import { formGroup, joinRequest, openHarness, stableGroup, subscription } from './helpers.ts';

const offsets = (...entries: [string, number, number][]) =>
  entries.map(([topic, partition, offset]) => ({ topic, partition, offset, leaderEpoch: -1, metadata: null }));

const standalone = (groupId: string, entries: OffsetCommitRequest['offsets']): OffsetCommitRequest => ({
  groupId,
  generationId: -1,
  memberId: '',
  groupInstanceId: null,
  offsets: entries,
});

test('commit then fetch: offsets, leader epochs and metadata; -1 and null metadata for partitions without a commit', async (t) => {
  const h = await openHarness(t);
  const result = await h.coordinator.commitOffsets(
    standalone('g1', [
      { topic: 'a', partition: 0, offset: 10, leaderEpoch: 3, metadata: 'hello' },
      { topic: 'a', partition: 1, offset: 20, leaderEpoch: -1, metadata: null },
    ]),
  );
  assert.deepEqual(result, [
    { topic: 'a', partition: 0, errorCode: 0 },
    { topic: 'a', partition: 1, errorCode: 0 },
  ]);
  const fetched = h.coordinator.fetchOffsets({
    groupId: 'g1',
    partitions: [{ topic: 'a', partition: 0 }, { topic: 'a', partition: 1 }, { topic: 'a', partition: 2 }, { topic: 'b', partition: 0 }],
    requireStable: false,
  });
  assert.deepEqual(fetched, {
    errorCode: 0,
    partitions: [
      { topic: 'a', partition: 0, offset: 10, leaderEpoch: 3, metadata: 'hello', errorCode: 0 },
      { topic: 'a', partition: 1, offset: 20, leaderEpoch: -1, metadata: '', errorCode: 0 },
      { topic: 'a', partition: 2, offset: -1, leaderEpoch: -1, metadata: null, errorCode: 0 },
      { topic: 'b', partition: 0, offset: -1, leaderEpoch: -1, metadata: null, errorCode: 0 },
    ],
  });
  assert.deepEqual(
    h.coordinator.fetchOffsets({ groupId: 'g1', partitions: null, requireStable: false }).partitions.map((p) => [p.partition, p.offset]),
    [[0, 10], [1, 20]],
  );
  assert.deepEqual(h.coordinator.fetchOffsets({ groupId: 'unknown', partitions: null, requireStable: false }), { errorCode: 0, partitions: [] });
});

test('a later commit overwrites; metadata over the limit fails only its own partition', async (t) => {
  const h = await openHarness(t, { offsetMetadataMaxBytes: 8 });
  await h.coordinator.commitOffsets(standalone('g1', offsets(['a', 0, 1])));
  const result = await h.coordinator.commitOffsets(
    standalone('g1', [
      { topic: 'a', partition: 0, offset: 2, leaderEpoch: -1, metadata: '12345678' },
      { topic: 'a', partition: 1, offset: 7, leaderEpoch: -1, metadata: '123456789' },
    ]),
  );
  assert.deepEqual(result.map((r) => r.errorCode), [KafkaError.NONE, KafkaError.OFFSET_METADATA_TOO_LARGE]);
  assert.deepEqual(
    h.coordinator.fetchOffsets({ groupId: 'g1', partitions: null, requireStable: false }).partitions.map((p) => [p.partition, p.offset]),
    [[0, 2]],
  );
});

test('standalone commits (generation -1) create an Empty group without protocol type; allowed on an Empty consumer group', async (t) => {
  const h = await openHarness(t);
  await h.coordinator.commitOffsets(standalone('assign-only', offsets(['t', 0, 5])));
  assert.deepEqual(h.coordinator.listGroups().groups, [
    { groupId: 'assign-only', protocolType: '', groupState: 'Empty', groupType: 'classic' },
  ]);
  const { joins } = await stableGroup(h, 1);
  h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: joins[0]!.memberId, groupInstanceId: null, reason: null }] });
  const admin = await h.coordinator.commitOffsets(standalone('g1', offsets(['t1', 0, 100])));
  assert.deepEqual(admin.map((r) => r.errorCode), [KafkaError.NONE], 'admin tools reset offsets of an Empty group');
});

test('commit validation for group members: generation, member id, rebalance state', async (t) => {
  const h = await openHarness(t);
  const member = (memberId: string, generationId: number): OffsetCommitRequest => ({
    groupId: 'g1', generationId, memberId, groupInstanceId: null, offsets: offsets(['t1', 0, 1]),
  });
  const codes = async (request: OffsetCommitRequest) => (await h.coordinator.commitOffsets(request)).map((r) => r.errorCode)[0];

  assert.equal(await codes(member('m', 1)), KafkaError.ILLEGAL_GENERATION, 'unknown group with a generation');
  const [leader] = await formGroup(h, 1);
  assert.equal(await codes(member(leader!.memberId, 1)), KafkaError.REBALANCE_IN_PROGRESS, 'CompletingRebalance');
  await h.coordinator.syncGroup({
    groupId: 'g1', generationId: 1, memberId: leader!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [],
  });
  assert.equal(await codes(member(leader!.memberId, 1)), KafkaError.NONE);
  assert.equal(await codes(member(leader!.memberId, 2)), KafkaError.ILLEGAL_GENERATION);
  assert.equal(await codes(member('stranger', 1)), KafkaError.UNKNOWN_MEMBER_ID);
  assert.equal(await codes(standalone('g1', offsets(['t1', 0, 1]))), KafkaError.UNKNOWN_MEMBER_ID, 'no member id on an active group');
  assert.equal(await codes(member(leader!.memberId, -1)), KafkaError.ILLEGAL_GENERATION, 'a member with generation -1');
  h.coordinator.joinGroup(joinRequest({ clientId: 'late' }));
  assert.equal(await codes(member(leader!.memberId, 1)), KafkaError.NONE, 'PreparingRebalance still accepts the old generation');
});

test('a commit counts as a heartbeat for a Stable group member', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 1, { sessionTimeoutMs: 10_000 });
  for (let i = 0; i < 4; i++) {
    h.clock.advance(8_000);
    const r = await h.coordinator.commitOffsets({
      groupId: 'g1', generationId: 1, memberId: joins[0]!.memberId, groupInstanceId: null, offsets: offsets(['t1', 0, i]),
    });
    assert.equal(r[0]!.errorCode, KafkaError.NONE);
  }
  assert.equal(h.coordinator.describeGroups(['g1'])[0]!.groupState, 'Stable');
});

test('OffsetDelete: GROUP_SUBSCRIBED_TO_TOPIC for topics an active consumer subscribes to, others deleted', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 1, { protocols: [{ name: 'range', metadata: subscription('orders', 'users') }] });
  await h.coordinator.commitOffsets({
    groupId: 'g1', generationId: 1, memberId: joins[0]!.memberId, groupInstanceId: null,
    offsets: offsets(['orders', 0, 5], ['old-topic', 0, 7], ['old-topic', 1, 8]),
  });
  const result = await h.coordinator.deleteOffsets('g1', [
    { topic: 'orders', partition: 0 },
    { topic: 'old-topic', partition: 0 },
    { topic: 'never-committed', partition: 0 },
  ]);
  assert.deepEqual(result, {
    errorCode: 0,
    partitions: [
      { topic: 'orders', partition: 0, errorCode: KafkaError.GROUP_SUBSCRIBED_TO_TOPIC },
      { topic: 'old-topic', partition: 0, errorCode: 0 },
      { topic: 'never-committed', partition: 0, errorCode: 0 },
    ],
  });
  assert.deepEqual(
    h.coordinator.fetchOffsets({ groupId: 'g1', partitions: null, requireStable: false }).partitions.map((p) => [p.topic, p.partition]),
    [['orders', 0], ['old-topic', 1]],
  );
  const reopened = await h.reopen();
  assert.deepEqual(
    reopened.fetchOffsets({ groupId: 'g1', partitions: null, requireStable: false }).partitions.map((p) => [p.topic, p.partition]),
    [['orders', 0], ['old-topic', 1]],
    'the deletion is durable',
  );
  const restored = await reopened.deleteOffsets('g1', [{ topic: 'orders', partition: 0 }]);
  assert.deepEqual(restored.partitions.map((p) => p.errorCode), [KafkaError.GROUP_SUBSCRIBED_TO_TOPIC], 'the restored member still subscribes');
  h.clock.advance(10_000); // its restored session expires: the group is Empty
  const empty = await reopened.deleteOffsets('g1', [{ topic: 'orders', partition: 0 }]);
  assert.deepEqual(empty.partitions.map((p) => p.errorCode), [0], 'once Empty, nothing is subscribed');
});

test('OffsetDelete: unknown group, and a non-consumer group with members', async (t) => {
  const h = await openHarness(t);
  assert.equal((await h.coordinator.deleteOffsets('none', [{ topic: 't', partition: 0 }])).errorCode, KafkaError.GROUP_ID_NOT_FOUND);
  await stableGroup(h, 1, { protocolType: 'connect', protocols: [{ name: 'sessioned', metadata: Buffer.from('x') }] });
  assert.equal((await h.coordinator.deleteOffsets('g1', [{ topic: 't', partition: 0 }])).errorCode, KafkaError.NON_EMPTY_GROUP);
});

test('a consumer group whose metadata cannot be parsed counts as subscribed to every topic', async (t) => {
  const h = await openHarness(t);
  await stableGroup(h, 1, { protocols: [{ name: 'range', metadata: Buffer.from([0, 0, 0]) }] });
  const result = await h.coordinator.deleteOffsets('g1', [{ topic: 'anything', partition: 0 }]);
  assert.deepEqual(result.partitions.map((p) => p.errorCode), [KafkaError.GROUP_SUBSCRIBED_TO_TOPIC]);
});
