import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import type { SyncGroupRequest } from '../../../src/broker/groups/types.ts';
import { formGroup, joinRequest, openHarness, stableGroup } from './helpers.ts';

const syncRequest = (overrides: Partial<SyncGroupRequest>): SyncGroupRequest => ({
  groupId: 'g1',
  generationId: 1,
  memberId: '',
  groupInstanceId: null,
  protocolType: 'consumer',
  protocolName: 'range',
  assignments: [],
  ...overrides,
});

test('SyncGroup errors: unknown group or member, wrong generation, inconsistent protocol, rebalance in progress', async (t) => {
  const h = await openHarness(t);
  const [leader, follower] = await formGroup(h, 2);
  const sync = (o: Partial<SyncGroupRequest>) => h.coordinator.syncGroup(syncRequest(o));
  assert.equal((await sync({ groupId: 'none', memberId: leader!.memberId })).errorCode, KafkaError.UNKNOWN_MEMBER_ID);
  assert.equal((await sync({ memberId: 'stranger' })).errorCode, KafkaError.UNKNOWN_MEMBER_ID);
  assert.equal((await sync({ memberId: follower!.memberId, generationId: 7 })).errorCode, KafkaError.ILLEGAL_GENERATION);
  assert.equal((await sync({ memberId: follower!.memberId, protocolName: 'roundrobin' })).errorCode, KafkaError.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal((await sync({ memberId: follower!.memberId, protocolType: 'connect' })).errorCode, KafkaError.INCONSISTENT_GROUP_PROTOCOL);
  h.coordinator.joinGroup(joinRequest({ clientId: 'late' }));
  assert.equal((await sync({ memberId: leader!.memberId })).errorCode, KafkaError.REBALANCE_IN_PROGRESS);
});

test('SyncGroup on an Empty group is UNKNOWN_MEMBER_ID', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 1);
  h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: joins[0]!.memberId, groupInstanceId: null, reason: null }] });
  const r = await h.coordinator.syncGroup(syncRequest({ memberId: joins[0]!.memberId, generationId: 2 }));
  assert.equal(r.errorCode, KafkaError.UNKNOWN_MEMBER_ID);
});

test('a member the leader did not assign anything gets an empty assignment', async (t) => {
  const h = await openHarness(t);
  const [leader, follower] = await formGroup(h, 2);
  const followerSync = h.coordinator.syncGroup(syncRequest({ memberId: follower!.memberId }));
  const leaderSync = await h.coordinator.syncGroup(
    syncRequest({ memberId: leader!.memberId, assignments: [{ memberId: leader!.memberId, assignment: Buffer.from('all') }] }),
  );
  assert.deepEqual(leaderSync.assignment, Buffer.from('all'));
  const answer = await followerSync;
  assert.equal(answer.errorCode, KafkaError.NONE);
  assert.equal(answer.assignment.length, 0);
});

test('a late SyncGroup in a Stable group returns the current assignment again', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 2);
  const again = await h.coordinator.syncGroup(syncRequest({ memberId: joins[1]!.memberId }));
  assert.deepEqual(again.assignment, Buffer.from(`assignment-${joins[1]!.memberId}`));
  assert.equal(again.protocolType, 'consumer');
});

test('the assignment bytes are relayed untouched, whatever the assignor', async (t) => {
  const h = await openHarness(t);
  const protocols = [{ name: 'cooperative-sticky', metadata: Buffer.from([0, 3, 1, 2, 3, 255]) }];
  const [leader] = await formGroup(h, 1, { protocols });
  const opaque = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 0, 0]);
  const r = await h.coordinator.syncGroup(
    syncRequest({ memberId: leader!.memberId, protocolName: 'cooperative-sticky', assignments: [{ memberId: leader!.memberId, assignment: opaque }] }),
  );
  assert.deepEqual(r.assignment, opaque);
  assert.equal(r.protocolName, 'cooperative-sticky');
  assert.deepEqual(leader!.members[0]!.metadata, protocols[0]!.metadata);
});
