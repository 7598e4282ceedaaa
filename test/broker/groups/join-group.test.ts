import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import { joinRequest, openHarness, subscription, track } from './helpers.ts';

test('a new v4+ member gets MEMBER_ID_REQUIRED with a generated id, then joins with that id', async (t) => {
  const h = await openHarness(t);
  const first = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, clientId: 'app' }));
  assert.equal(first.errorCode, KafkaError.MEMBER_ID_REQUIRED);
  assert.match(first.memberId, /^app-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(first.generationId, -1);

  const rejoin = h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, memberId: first.memberId }));
  h.clock.advance(0);
  const second = await rejoin;
  assert.equal(second.errorCode, KafkaError.NONE);
  assert.equal(second.memberId, first.memberId);
  assert.equal(second.leader, first.memberId);
  assert.equal(second.generationId, 1);
  assert.equal(second.protocolType, 'consumer');
  assert.equal(second.protocolName, 'range');
  assert.deepEqual(second.members.map((m) => m.memberId), [first.memberId]);
});

test('a member id the coordinator never gave out is refused with UNKNOWN_MEMBER_ID', async (t) => {
  const h = await openHarness(t);
  const noGroup = await h.coordinator.joinGroup(joinRequest({ groupId: 'nowhere', memberId: 'made-up' }));
  assert.equal(noGroup.errorCode, KafkaError.UNKNOWN_MEMBER_ID);
  await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true }));
  const made = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, memberId: 'made-up' }));
  assert.equal(made.errorCode, KafkaError.UNKNOWN_MEMBER_ID);
});

test('a pending member that does not rejoin within its session timeout is forgotten', async (t) => {
  const h = await openHarness(t);
  const first = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, sessionTimeoutMs: 10_000 }));
  h.clock.advance(10_000);
  const late = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, memberId: first.memberId }));
  assert.equal(late.errorCode, KafkaError.UNKNOWN_MEMBER_ID);
});

test('three members: one leader with every member metadata, the same generation, sync relays assignments', async (t) => {
  const h = await openHarness(t);
  const metadata = [subscription('a'), subscription('b'), subscription('c')];
  const joins = metadata.map((m, i) =>
    h.coordinator.joinGroup(joinRequest({ clientId: `c${i}`, protocols: [{ name: 'range', metadata: m }] })),
  );
  h.clock.advance(0);
  const results = await Promise.all(joins);
  assert.ok(results.every((r) => r.errorCode === KafkaError.NONE));
  assert.deepEqual(new Set(results.map((r) => r.generationId)), new Set([1]));
  assert.deepEqual(new Set(results.map((r) => r.leader)), new Set([results[0]!.memberId]));
  const [leader, ...followers] = results;
  assert.deepEqual(
    leader!.members.map((m) => [m.memberId, m.metadata]),
    results.map((r, i) => [r.memberId, metadata[i]]),
  );
  for (const follower of followers) assert.deepEqual(follower.members, []);

  const sync = (memberId: string, assignments: { memberId: string; assignment: Buffer }[] = []) =>
    h.coordinator.syncGroup({
      groupId: 'g1',
      generationId: 1,
      memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments,
    });
  const followerSyncs = followers.map((f) => track(sync(f.memberId)));
  await Promise.resolve();
  assert.ok(followerSyncs.every((s) => !s.done), 'followers wait for the leader');
  assert.equal(h.coordinator.describeGroups(['g1'])[0]!.groupState, 'CompletingRebalance');

  const leaderSync = await sync(
    leader!.memberId,
    results.map((r) => ({ memberId: r.memberId, assignment: Buffer.from(`for-${r.memberId}`) })),
  );
  assert.equal(leaderSync.errorCode, KafkaError.NONE);
  assert.deepEqual(leaderSync.assignment, Buffer.from(`for-${leader!.memberId}`));
  for (const [i, s] of followerSyncs.entries()) {
    const answer = await s.promise;
    assert.equal(answer.errorCode, KafkaError.NONE);
    assert.equal(answer.protocolName, 'range');
    assert.deepEqual(answer.assignment, Buffer.from(`for-${followers[i]!.memberId}`));
  }
  assert.equal(h.coordinator.describeGroups(['g1'])[0]!.groupState, 'Stable');
});

test('protocol selection: only protocols every member supports, each member votes its first preference', async (t) => {
  const h = await openHarness(t);
  const p = (...names: string[]) => names.map((name) => ({ name, metadata: subscription('t') }));
  const joins = [p('range', 'roundrobin'), p('range', 'roundrobin', 'sticky'), p('roundrobin', 'range')].map((protocols, i) =>
    h.coordinator.joinGroup(joinRequest({ clientId: `c${i}`, protocols })),
  );
  h.clock.advance(0);
  const results = await Promise.all(joins);
  assert.deepEqual(results.map((r) => r.protocolName), ['range', 'range', 'range']);

  const stickyOnly = await h.coordinator.joinGroup(joinRequest({ protocols: p('sticky') }));
  assert.equal(stickyOnly.errorCode, KafkaError.INCONSISTENT_GROUP_PROTOCOL);
  const otherType = await h.coordinator.joinGroup(joinRequest({ protocolType: 'connect', protocols: p('range') }));
  assert.equal(otherType.errorCode, KafkaError.INCONSISTENT_GROUP_PROTOCOL);
});

test('the protocol with the most first-preference votes wins even if it is not the first member choice', async (t) => {
  const h = await openHarness(t);
  const p = (...names: string[]) => names.map((name) => ({ name, metadata: subscription('t') }));
  const joins = [p('range', 'roundrobin'), p('roundrobin', 'range'), p('roundrobin', 'range')].map((protocols, i) =>
    h.coordinator.joinGroup(joinRequest({ clientId: `c${i}`, protocols })),
  );
  h.clock.advance(0);
  assert.deepEqual((await Promise.all(joins)).map((r) => r.protocolName), ['roundrobin', 'roundrobin', 'roundrobin']);
});

test('an empty protocol type or protocol list cannot start a group', async (t) => {
  const h = await openHarness(t);
  assert.equal((await h.coordinator.joinGroup(joinRequest({ protocolType: '' }))).errorCode, KafkaError.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal((await h.coordinator.joinGroup(joinRequest({ protocols: [] }))).errorCode, KafkaError.INCONSISTENT_GROUP_PROTOCOL);
});

test('session timeouts outside [min, max] are refused; the bounds are configurable', async (t) => {
  const h = await openHarness(t);
  for (const sessionTimeoutMs of [5_999, 1_800_001]) {
    const r = await h.coordinator.joinGroup(joinRequest({ sessionTimeoutMs }));
    assert.equal(r.errorCode, KafkaError.INVALID_SESSION_TIMEOUT, `session ${sessionTimeoutMs}`);
  }
  const ok = h.coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 6_000 }));
  h.clock.advance(0);
  assert.equal((await ok).errorCode, KafkaError.NONE);

  const loose = await h.reopen({ initialRebalanceDelayMs: 0, minSessionTimeoutMs: 1_000 });
  const short = loose.joinGroup(joinRequest({ groupId: 'g2', sessionTimeoutMs: 1_000 }));
  h.clock.advance(0);
  assert.equal((await short).errorCode, KafkaError.NONE);
});

test('an empty group id is INVALID_GROUP_ID everywhere', async (t) => {
  const h = await openHarness(t);
  const { coordinator: c } = h;
  assert.equal((await c.joinGroup(joinRequest({ groupId: '' }))).errorCode, KafkaError.INVALID_GROUP_ID);
  const sync = await c.syncGroup({
    groupId: '', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: null, protocolName: null, assignments: [],
  });
  assert.equal(sync.errorCode, KafkaError.INVALID_GROUP_ID);
  assert.equal(c.heartbeat({ groupId: '', generationId: 1, memberId: 'm', groupInstanceId: null }), KafkaError.INVALID_GROUP_ID);
  assert.equal(c.leaveGroup({ groupId: '', members: [] }).errorCode, KafkaError.INVALID_GROUP_ID);
  const commit = await c.commitOffsets({
    groupId: '', generationId: -1, memberId: '', groupInstanceId: null,
    offsets: [{ topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: null }],
  });
  assert.deepEqual(commit.map((r) => r.errorCode), [KafkaError.INVALID_GROUP_ID]);
  assert.equal(c.fetchOffsets({ groupId: '', partitions: null, requireStable: false }).errorCode, KafkaError.INVALID_GROUP_ID);
  assert.deepEqual(await c.deleteGroups(['']), [{ groupId: '', errorCode: KafkaError.INVALID_GROUP_ID }]);
});

test('group.max.size: a join beyond the maximum gets GROUP_MAX_SIZE_REACHED', async (t) => {
  const h = await openHarness(t, { groupMaxSize: 2 });
  const joins = [0, 1, 2].map((i) => h.coordinator.joinGroup(joinRequest({ clientId: `c${i}` })));
  h.clock.advance(0);
  const results = await Promise.all(joins);
  assert.deepEqual(results.map((r) => r.errorCode), [KafkaError.NONE, KafkaError.NONE, KafkaError.GROUP_MAX_SIZE_REACHED]);
  assert.equal(results[0]!.members.length, 2);
});

test('initial rebalance delay 0: the first member forms the group at once', async (t) => {
  const h = await openHarness(t, { initialRebalanceDelayMs: 0 });
  const join = track(h.coordinator.joinGroup(joinRequest()));
  h.clock.advance(0);
  const result = await join.promise;
  assert.equal(result.members.length, 1);
  assert.equal(result.generationId, 1);
});

test('initial rebalance delay: waits, and waits once more while new members keep arriving', async (t) => {
  const h = await openHarness(t, { initialRebalanceDelayMs: 3_000 });
  const a = track(h.coordinator.joinGroup(joinRequest({ clientId: 'a' })));
  h.clock.advance(2_000);
  await Promise.resolve();
  assert.equal(a.done, false);
  const b = track(h.coordinator.joinGroup(joinRequest({ clientId: 'b' })));
  h.clock.advance(1_000); // t=3000: a member arrived during the delay, so wait another 3000
  await Promise.resolve();
  assert.equal(a.done, false);
  h.clock.advance(2_999);
  await Promise.resolve();
  assert.equal(a.done, false);
  h.clock.advance(1); // t=6000
  const [ra, rb] = await Promise.all([a.promise, b.promise]);
  assert.equal(ra.generationId, 1);
  assert.equal(rb.generationId, 1);
  assert.equal(ra.members.length + rb.members.length, 2);
});

test('initial rebalance delay is capped by the rebalance timeout', async (t) => {
  const h = await openHarness(t, { initialRebalanceDelayMs: 3_000 });
  const join = (clientId: string) => track(h.coordinator.joinGroup(joinRequest({ clientId, rebalanceTimeoutMs: 5_000 })));
  const first = join('a');
  h.clock.advance(2_000);
  join('b');
  h.clock.advance(2_000); // t=4000
  join('c');
  h.clock.advance(999);
  await Promise.resolve();
  assert.equal(first.done, false);
  h.clock.advance(1); // t=5000 = rebalance timeout
  const result = await first.promise;
  assert.equal(result.members.length, 3);
});
