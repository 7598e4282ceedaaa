import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import type { JoinGroupRequest } from '../../../src/broker/groups/types.ts';
import { type Harness, joinRequest, openHarness, subscription, track } from './helpers.ts';

const staticJoin = (instance: string, overrides: Partial<JoinGroupRequest> = {}) =>
  joinRequest({ groupInstanceId: instance, clientId: instance, requireKnownMemberId: true, ...overrides });

/** Two static members a and b, Stable at generation 1, each assigned `as-<instance>`. */
async function staticGroup(h: Harness) {
  const joins = [h.coordinator.joinGroup(staticJoin('a')), h.coordinator.joinGroup(staticJoin('b'))];
  h.clock.advance(0);
  const [a, b] = await Promise.all(joins);
  assert.equal(a!.errorCode, KafkaError.NONE, 'static members skip MEMBER_ID_REQUIRED');
  assert.match(a!.memberId, /^a-/);
  const sync = (memberId: string, instance: string, assignments: { memberId: string; assignment: Buffer }[] = []) =>
    h.coordinator.syncGroup({
      groupId: 'g1', generationId: 1, memberId, groupInstanceId: instance, protocolType: 'consumer', protocolName: 'range', assignments,
    });
  await Promise.all([
    sync(a!.memberId, 'a', [
      { memberId: a!.memberId, assignment: Buffer.from('as-a') },
      { memberId: b!.memberId, assignment: Buffer.from('as-b') },
    ]),
    sync(b!.memberId, 'b'),
  ]);
  return { a: a!, b: b! };
}

test('a known static instance rejoining a Stable group with unchanged metadata gets a new id without a rebalance', async (t) => {
  const h = await openHarness(t);
  const { a, b } = await staticGroup(h);
  // Answered without the clock moving, so without a join phase (a hang fails the test).
  const restarted = await h.coordinator.joinGroup(staticJoin('b'));
  assert.equal(restarted.errorCode, KafkaError.NONE);
  assert.notEqual(restarted.memberId, b.memberId);
  assert.match(restarted.memberId, /^b-/);
  assert.equal(restarted.generationId, 1, 'same generation: no rebalance');
  assert.equal(restarted.leader, a.memberId);
  assert.equal(h.coordinator.describeGroups(['g1'])[0]!.groupState, 'Stable');
  assert.equal(
    h.coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: a.memberId, groupInstanceId: 'a' }),
    KafkaError.NONE,
    'the other member sees no rebalance',
  );

  const sync = await h.coordinator.syncGroup({
    groupId: 'g1', generationId: 1, memberId: restarted.memberId, groupInstanceId: 'b', protocolType: 'consumer', protocolName: 'range',
    assignments: [],
  });
  assert.deepEqual(sync.assignment, Buffer.from('as-b'), 'the new id keeps the old assignment');
});

test('the replaced member id is fenced: FENCED_INSTANCE_ID on heartbeat, sync, commit and join', async (t) => {
  const h = await openHarness(t);
  const { b } = await staticGroup(h);
  await h.coordinator.joinGroup(staticJoin('b'));
  const old = { groupId: 'g1', generationId: 1, memberId: b.memberId, groupInstanceId: 'b' };
  assert.equal(h.coordinator.heartbeat(old), KafkaError.FENCED_INSTANCE_ID);
  const sync = await h.coordinator.syncGroup({ ...old, protocolType: null, protocolName: null, assignments: [] });
  assert.equal(sync.errorCode, KafkaError.FENCED_INSTANCE_ID);
  const commit = await h.coordinator.commitOffsets({ ...old, offsets: [{ topic: 't1', partition: 0, offset: 5, leaderEpoch: -1, metadata: null }] });
  assert.deepEqual(commit.map((r) => r.errorCode), [KafkaError.FENCED_INSTANCE_ID]);
  const join = await h.coordinator.joinGroup(staticJoin('b', { memberId: b.memberId }));
  assert.equal(join.errorCode, KafkaError.FENCED_INSTANCE_ID);
  const leave = h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: b.memberId, groupInstanceId: 'b', reason: null }] });
  assert.deepEqual(leave.members.map((m) => m.errorCode), [KafkaError.FENCED_INSTANCE_ID]);
});

test('a static leader rejoining with JoinGroup v9 learns it leads and must skip the assignment', async (t) => {
  const h = await openHarness(t);
  const { a } = await staticGroup(h);
  const old = await h.coordinator.joinGroup(staticJoin('a'));
  assert.equal(old.leader, a.memberId, 'before v9 the old leader id is returned, so the client acts as a follower');
  assert.equal(old.skipAssignment, false);
  const v9 = await h.coordinator.joinGroup(staticJoin('a', { supportsSkipAssignment: true }));
  assert.equal(v9.leader, v9.memberId);
  assert.equal(v9.skipAssignment, true);
  assert.equal(v9.members.length, 2);
  assert.equal(v9.generationId, 1);
});

test('a static member rejoining with a protocol change that changes the selection triggers a rebalance', async (t) => {
  const h = await openHarness(t);
  const both = (first: string, second: string) => [
    { name: first, metadata: subscription('t1') },
    { name: second, metadata: subscription('t1') },
  ];
  const first = h.coordinator.joinGroup(staticJoin('a', { protocols: both('range', 'roundrobin') }));
  h.clock.advance(0);
  const a = await first;
  assert.equal(a.protocolName, 'range');
  await h.coordinator.syncGroup({
    groupId: 'g1', generationId: 1, memberId: a.memberId, groupInstanceId: 'a', protocolType: null, protocolName: null, assignments: [],
  });
  const changed = await h.coordinator.joinGroup(staticJoin('a', { protocols: both('roundrobin', 'range') }));
  assert.equal(changed.errorCode, KafkaError.NONE);
  assert.equal(changed.generationId, 2);
  assert.equal(changed.protocolName, 'roundrobin');
});

test('a parked JoinGroup of a static member is answered FENCED_INSTANCE_ID when its instance joins again', async (t) => {
  const h = await openHarness(t);
  const { a, b } = await staticGroup(h);
  const parked = track(h.coordinator.joinGroup(staticJoin('a', { memberId: a.memberId }))); // leader rejoin: rebalance
  assert.equal(h.coordinator.describeGroups(['g1'])[0]!.groupState, 'PreparingRebalance');
  const replacement = track(h.coordinator.joinGroup(staticJoin('a')));
  const fenced = await parked.promise;
  assert.equal(fenced.errorCode, KafkaError.FENCED_INSTANCE_ID);
  await Promise.resolve();
  assert.equal(replacement.done, false, 'still waiting for b');
  const rejoinB = h.coordinator.joinGroup(staticJoin('b', { memberId: b.memberId }));
  const [ra, rb] = await Promise.all([replacement.promise, rejoinB]);
  assert.equal(ra.generationId, 2);
  assert.equal(rb.generationId, 2);
  assert.deepEqual(new Set((ra.members.length ? ra : rb).members.map((m) => m.groupInstanceId)), new Set(['a', 'b']));
});

test('a static member that does not rejoin stays in the next generation until its session expires', async (t) => {
  const h = await openHarness(t);
  const { a, b } = await staticGroup(h);
  const rejoin = track(h.coordinator.joinGroup(staticJoin('a', { memberId: a.memberId, rebalanceTimeoutMs: 30_000, sessionTimeoutMs: 60_000 })));
  for (let i = 0; i < 3; i++) {
    h.clock.advance(9_000);
    h.coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: b.memberId, groupInstanceId: 'b' });
  }
  h.clock.advance(3_000); // rebalance timeout: b did not rejoin but is static, so it is kept
  const result = await rejoin.promise;
  assert.equal(result.generationId, 2);
  assert.deepEqual(new Set(result.members.map((m) => m.groupInstanceId)), new Set(['a', 'b']));
});
