import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import { formGroup, joinRequest, openHarness, stableGroup, subscription, track } from './helpers.ts';

const commit = (groupId: string, partition: number, offset: number) => ({
  groupId,
  generationId: -1,
  memberId: '',
  groupInstanceId: null,
  offsets: [{ topic: 't1', partition, offset, leaderEpoch: 0, metadata: 'm' }],
});

test('DescribeGroups: members with metadata and assignment when Stable, no metadata otherwise, Dead for unknown', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 2, { clientHost: '/10.0.0.1' });
  const [stable, unknown] = h.coordinator.describeGroups(['g1', 'nope']);
  assert.equal(stable!.errorCode, KafkaError.NONE);
  assert.equal(stable!.groupState, 'Stable');
  assert.equal(stable!.protocolType, 'consumer');
  assert.equal(stable!.protocolData, 'range');
  assert.deepEqual(
    stable!.members.map((m) => [m.memberId, m.clientId, m.clientHost, m.memberMetadata, m.memberAssignment.toString()]),
    joins.map((j, i) => [j.memberId, `c${i}`, '/10.0.0.1', subscription('t1'), `assignment-${j.memberId}`]),
  );
  assert.deepEqual(unknown, { errorCode: KafkaError.NONE, groupId: 'nope', groupState: 'Dead', protocolType: '', protocolData: '', members: [] });

  h.coordinator.joinGroup(joinRequest({ clientId: 'late' }));
  const preparing = h.coordinator.describeGroups(['g1'])[0]!;
  assert.equal(preparing.groupState, 'PreparingRebalance');
  assert.equal(preparing.protocolData, '');
  assert.ok(preparing.members.every((m) => m.memberMetadata.length === 0));
});

test('ListGroups shows every group with its state, filtered case-insensitively', async (t) => {
  const h = await openHarness(t);
  await stableGroup(h, 1);
  await formGroup(h, 1, { groupId: 'g2' });
  await h.coordinator.commitOffsets(commit('simple', 0, 1));
  const all = h.coordinator.listGroups();
  assert.equal(all.errorCode, KafkaError.NONE);
  assert.deepEqual(
    all.groups.map((g) => [g.groupId, g.protocolType, g.groupState]).sort(),
    [
      ['g1', 'consumer', 'Stable'],
      ['g2', 'consumer', 'CompletingRebalance'],
      ['simple', '', 'Empty'],
    ],
  );
  assert.deepEqual(h.coordinator.listGroups(['stable', ' EMPTY ']).groups.map((g) => g.groupId).sort(), ['g1', 'simple']);
  assert.deepEqual(h.coordinator.listGroups(['Dead']).groups, []);
});

test('DeleteGroups: NON_EMPTY_GROUP with members, GROUP_ID_NOT_FOUND if unknown, else gone with its offsets', async (t) => {
  const h = await openHarness(t);
  await stableGroup(h, 1);
  await h.coordinator.commitOffsets(commit('idle', 0, 42));
  const results = await h.coordinator.deleteGroups(['g1', 'idle', 'unknown']);
  assert.deepEqual(results, [
    { groupId: 'g1', errorCode: KafkaError.NON_EMPTY_GROUP },
    { groupId: 'idle', errorCode: KafkaError.NONE },
    { groupId: 'unknown', errorCode: KafkaError.GROUP_ID_NOT_FOUND },
  ]);
  assert.equal(h.coordinator.describeGroups(['idle'])[0]!.groupState, 'Dead');
  assert.deepEqual(h.coordinator.fetchOffsets({ groupId: 'idle', partitions: null, requireStable: false }).partitions, []);
  const reopened = await h.reopen();
  assert.deepEqual(reopened.listGroups().groups.map((g) => g.groupId), ['g1'], 'the deletion is durable');
  assert.deepEqual(reopened.fetchOffsets({ groupId: 'idle', partitions: null, requireStable: false }).partitions, []);
});

test('after a restart, an Empty group comes back Empty with its protocol type, generation and offsets', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 1);
  const committed = await h.coordinator.commitOffsets({
    groupId: 'g1', generationId: 1, memberId: joins[0]!.memberId, groupInstanceId: null,
    offsets: [{ topic: 't1', partition: 3, offset: 99, leaderEpoch: 4, metadata: 'meta' }],
  });
  assert.deepEqual(committed.map((c) => c.errorCode), [KafkaError.NONE]);
  h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: joins[0]!.memberId, groupInstanceId: null, reason: null }] });
  const reopened = await h.reopen();
  assert.deepEqual(reopened.listGroups().groups, [{ groupId: 'g1', protocolType: 'consumer', groupState: 'Empty', groupType: 'classic' }]);
  assert.deepEqual(reopened.fetchOffsets({ groupId: 'g1', partitions: null, requireStable: true }).partitions, [
    { topic: 't1', partition: 3, offset: 99, leaderEpoch: 4, metadata: 'meta', errorCode: 0 },
  ]);
  const stale = await reopened.commitOffsets({
    groupId: 'g1', generationId: 1, memberId: joins[0]!.memberId, groupInstanceId: null,
    offsets: [{ topic: 't1', partition: 3, offset: 100, leaderEpoch: 4, metadata: null }],
  });
  assert.deepEqual(stale.map((c) => c.errorCode), [KafkaError.UNKNOWN_MEMBER_ID], 'the member that left stays gone');
  const rejoin = reopened.joinGroup(joinRequest());
  h.clock.advance(0);
  assert.equal((await rejoin).generationId, 3, 'generations continue after the restart');
});

test('lag inputs list every group with its committed offsets', async (t) => {
  const h = await openHarness(t);
  await h.coordinator.commitOffsets(commit('a', 0, 10));
  await h.coordinator.commitOffsets(commit('a', 1, 20));
  await formGroup(h, 1, { groupId: 'b' });
  const inputs = h.coordinator.listGroupOffsets();
  assert.deepEqual(
    inputs.map((g) => [g.groupId, g.groupState, g.offsets.map((o) => [o.topic, o.partition, o.offset])]),
    [
      ['a', 'Empty', [['t1', 0, 10], ['t1', 1, 20]]],
      ['b', 'CompletingRebalance', []],
    ],
  );
  assert.equal(inputs[0]!.offsets[0]!.commitTimestampMs, h.clock.now());
});

test('close answers parked JoinGroup and SyncGroup with NOT_COORDINATOR and leaves no timer behind', async (t) => {
  const h = await openHarness(t, { initialRebalanceDelayMs: 3_000 });
  const parkedJoin = track(h.coordinator.joinGroup(joinRequest({ groupId: 'waiting' })));
  const joins = [0, 1].map((i) => h.coordinator.joinGroup(joinRequest({ groupId: 'syncing', clientId: `c${i}` })));
  h.clock.advance(6_000); // the second member extended the initial delay once
  const [leader, follower] = await Promise.all(joins);
  assert.equal(parkedJoin.done, true, 'the other group formed too');
  const parkedAgain = track(h.coordinator.joinGroup(joinRequest({ groupId: 'waiting', clientId: 'second' })));
  const parkedSync = h.coordinator.syncGroup({
    groupId: 'syncing', generationId: leader!.generationId, memberId: follower!.memberId, groupInstanceId: null,
    protocolType: null, protocolName: null, assignments: [],
  });
  await h.coordinator.close();
  assert.equal((await parkedAgain.promise).errorCode, KafkaError.NOT_COORDINATOR);
  assert.equal((await parkedSync).errorCode, KafkaError.NOT_COORDINATOR);
  assert.equal(h.clock.pendingTimers, 0);
  assert.equal((await h.coordinator.joinGroup(joinRequest())).errorCode, KafkaError.NOT_COORDINATOR);
  assert.deepEqual((await h.coordinator.commitOffsets(commit('x', 0, 1))).map((r) => r.errorCode), [KafkaError.NOT_COORDINATOR]);
  await h.coordinator.close();
});
