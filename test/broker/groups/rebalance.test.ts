import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import { type Harness, joinRequest, openHarness, stableGroup, track } from './helpers.ts';

const beat = (h: Harness, memberId: string, generationId: number) =>
  h.coordinator.heartbeat({ groupId: 'g1', generationId, memberId, groupInstanceId: null });

const state = (h: Harness) => h.coordinator.describeGroups(['g1'])[0]!.groupState;

test('a member joining a Stable group starts a rebalance: others see REBALANCE_IN_PROGRESS and rejoin', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 2);
  const [a, b] = joins;
  const newcomer = track(h.coordinator.joinGroup(joinRequest({ clientId: 'new' })));
  assert.equal(state(h), 'PreparingRebalance');
  assert.equal(beat(h, a!.memberId, 1), KafkaError.REBALANCE_IN_PROGRESS);
  assert.equal(beat(h, b!.memberId, 1), KafkaError.REBALANCE_IN_PROGRESS);

  const rejoinA = track(h.coordinator.joinGroup(joinRequest({ memberId: a!.memberId })));
  await Promise.resolve();
  assert.equal(newcomer.done, false, 'the phase waits for every known member');
  const rejoinB = h.coordinator.joinGroup(joinRequest({ memberId: b!.memberId }));
  const results = await Promise.all([newcomer.promise, rejoinA.promise, rejoinB]);
  assert.deepEqual(results.map((r) => [r.errorCode, r.generationId]), [[0, 2], [0, 2], [0, 2]]);
  assert.equal(results.find((r) => r.memberId === r.leader)!.members.length, 3);
  assert.equal(state(h), 'CompletingRebalance');
});

test('session expiry removes a silent member and rebalances the others', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 2, { sessionTimeoutMs: 10_000 });
  const [a, b] = joins;
  for (let i = 0; i < 3; i++) {
    h.clock.advance(3_000);
    assert.equal(beat(h, a!.memberId, 1), KafkaError.NONE);
  }
  assert.equal(state(h), 'Stable', 'nobody expired after 9s');
  h.clock.advance(1_000); // b's session (10s) expires
  assert.equal(state(h), 'PreparingRebalance');
  assert.equal(beat(h, a!.memberId, 1), KafkaError.REBALANCE_IN_PROGRESS);
  assert.equal(beat(h, b!.memberId, 1), KafkaError.UNKNOWN_MEMBER_ID);
  const rejoin = await h.coordinator.joinGroup(joinRequest({ memberId: a!.memberId }));
  assert.equal(rejoin.generationId, 2);
  assert.deepEqual(rejoin.members.map((m) => m.memberId), [a!.memberId]);
});

test('the rebalance timeout evicts a member that keeps heartbeating but never rejoins', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 2, { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000 });
  const [a, b] = joins;
  const leaderRejoin = track(h.coordinator.joinGroup(joinRequest({ memberId: a!.memberId, rebalanceTimeoutMs: 30_000 })));
  for (let elapsed = 0; elapsed < 29_000; elapsed += 5_000) {
    h.clock.advance(Math.min(5_000, 29_000 - elapsed));
    assert.equal(beat(h, b!.memberId, 1), KafkaError.REBALANCE_IN_PROGRESS);
  }
  await Promise.resolve();
  assert.equal(leaderRejoin.done, false);
  h.clock.advance(1_000); // 30s after the rebalance started
  const result = await leaderRejoin.promise;
  assert.equal(result.generationId, 2);
  assert.deepEqual(result.members.map((m) => m.memberId), [a!.memberId]);
  assert.equal(beat(h, b!.memberId, 2), KafkaError.UNKNOWN_MEMBER_ID);
});

test('JoinGroup v0 (no rebalance timeout) uses the session timeout for the join phase', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 2, { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: -1 });
  const [a, b] = joins;
  const rejoin = track(h.coordinator.joinGroup(joinRequest({ memberId: a!.memberId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: -1 })));
  h.clock.advance(5_000);
  beat(h, b!.memberId, 1);
  h.clock.advance(4_999);
  await Promise.resolve();
  assert.equal(rejoin.done, false);
  h.clock.advance(1);
  assert.equal((await rejoin.promise).members.length, 1);
});

test('a member that got its JoinGroup answer but never syncs is removed after the rebalance timeout', async (t) => {
  const h = await openHarness(t);
  const joins = [0, 1].map((i) => h.coordinator.joinGroup(joinRequest({ clientId: `c${i}`, rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 30_000 })));
  h.clock.advance(0);
  const [leader, follower] = await Promise.all(joins);
  const leaderSync = await h.coordinator.syncGroup({
    groupId: 'g1', generationId: 1, memberId: leader!.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range',
    assignments: [],
  });
  assert.equal(leaderSync.errorCode, KafkaError.NONE);
  h.clock.advance(5_000);
  beat(h, leader!.memberId, 1);
  h.clock.advance(5_000);
  beat(h, leader!.memberId, 1);
  assert.equal(state(h), 'Stable');
  h.clock.advance(10_000);
  assert.equal(state(h), 'PreparingRebalance');
  assert.equal(beat(h, follower!.memberId, 1), KafkaError.UNKNOWN_MEMBER_ID);
});

test('a member parked in JoinGroup is answered when it is removed (LeaveGroup) and when its join times out', async (t) => {
  const h = await openHarness(t, { newMemberJoinTimeoutMs: 60_000 });
  const { joins } = await stableGroup(h, 1, { rebalanceTimeoutMs: 120_000, sessionTimeoutMs: 30_000 });
  const newcomer = track(h.coordinator.joinGroup(joinRequest({ clientId: 'new', rebalanceTimeoutMs: 120_000 })));
  const second = track(h.coordinator.joinGroup(joinRequest({ clientId: 'new2', rebalanceTimeoutMs: 120_000 })));
  assert.equal(state(h), 'PreparingRebalance');
  const leader = h.coordinator.describeGroups(['g1'])[0]!.members.find((m) => m.clientId === 'new')!;
  const left = h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: leader.memberId, groupInstanceId: null, reason: 'bye' }] });
  assert.deepEqual(left.members.map((m) => m.errorCode), [KafkaError.NONE]);
  const answer = await newcomer.promise;
  assert.equal(answer.errorCode, KafkaError.UNKNOWN_MEMBER_ID);

  // The old member keeps heartbeating without rejoining; the second newcomer's join times out.
  for (let i = 0; i < 6; i++) {
    h.clock.advance(10_000);
    beat(h, joins[0]!.memberId, 1);
  }
  const timedOut = await second.promise;
  assert.equal(timedOut.errorCode, KafkaError.UNKNOWN_MEMBER_ID);
});

test('a parked follower SyncGroup is answered REBALANCE_IN_PROGRESS when a rebalance starts', async (t) => {
  const h = await openHarness(t);
  const joins = [0, 1].map((i) => h.coordinator.joinGroup(joinRequest({ clientId: `c${i}` })));
  h.clock.advance(0);
  const [, follower] = await Promise.all(joins);
  const parked = track(
    h.coordinator.syncGroup({
      groupId: 'g1', generationId: 1, memberId: follower!.memberId, groupInstanceId: null, protocolType: null, protocolName: null,
      assignments: [],
    }),
  );
  h.coordinator.joinGroup(joinRequest({ clientId: 'c2' }));
  const answer = await parked.promise;
  assert.equal(answer.errorCode, KafkaError.REBALANCE_IN_PROGRESS);
  assert.equal(answer.assignment.length, 0);
});

test('when the last member leaves, the group becomes Empty with a new generation', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 1);
  h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: joins[0]!.memberId, groupInstanceId: null, reason: null }] });
  assert.equal(state(h), 'Empty');
  const rejoin = h.coordinator.joinGroup(joinRequest());
  h.clock.advance(0);
  assert.equal((await rejoin).generationId, 3);
});
