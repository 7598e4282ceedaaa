import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OffsetCommitRequest } from '../../../src/broker/groups/types.ts';
import { type Harness, openHarness, settle, stableGroup, subscription } from './helpers.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

const standalone = (groupId: string, partition: number): OffsetCommitRequest => ({
  groupId,
  generationId: -1,
  memberId: '',
  groupInstanceId: null,
  offsets: [{ topic: 't', partition, offset: 1, leaderEpoch: -1, metadata: null }],
});

/** Retention checks only when the test calls expireOffsets(). */
const MANUAL = { offsetsRetentionMs: HOUR, offsetsRetentionCheckIntervalMs: 1_000 * HOUR };

/** Advances the clock by `ms`, heartbeating the member every 5 s so its session stays alive. */
function keepAlive(h: Harness, groupId: string, memberId: string, ms: number): void {
  for (let left = ms; left > 0; left -= 5_000) {
    h.clock.advance(Math.min(5_000, left));
    h.coordinator.heartbeat({ groupId, generationId: 1, memberId, groupInstanceId: null });
  }
}

const committed = (h: Harness, groupId: string) =>
  h.coordinator.fetchOffsets({ groupId, partitions: null, requireStable: false }).partitions.map((p) => `${p.topic}-${p.partition}`);

test('offsets of a group expire once it has been Empty for the retention period, then the group goes', async (t) => {
  const h = await openHarness(t, MANUAL);
  const { joins } = await stableGroup(h, 1);
  await h.coordinator.commitOffsets({
    groupId: 'g1', generationId: 1, memberId: joins[0]!.memberId, groupInstanceId: null,
    offsets: [{ topic: 't1', partition: 0, offset: 9, leaderEpoch: -1, metadata: null }],
  });
  keepAlive(h, 'g1', joins[0]!.memberId, 2 * HOUR); // an old commit, but the group is not Empty
  assert.deepEqual(await h.coordinator.expireOffsets(), { expiredOffsets: 0, deletedGroups: [] });

  h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: joins[0]!.memberId, groupInstanceId: null, reason: null }] });
  h.clock.advance(HOUR - 1);
  assert.deepEqual(await h.coordinator.expireOffsets(), { expiredOffsets: 0, deletedGroups: [] });
  assert.deepEqual(committed(h, 'g1'), ['t1-0']);
  h.clock.advance(1);
  assert.deepEqual(await h.coordinator.expireOffsets(), { expiredOffsets: 1, deletedGroups: ['g1'] });
  assert.deepEqual(committed(h, 'g1'), []);
  assert.deepEqual(h.coordinator.listGroups().groups, []);
  const reopened = await h.reopen({ initialRebalanceDelayMs: 0, ...MANUAL });
  assert.deepEqual(reopened.listGroups().groups, [], 'the expiry is durable');
});

test('standalone commits expire counted from their commit time', async (t) => {
  const h = await openHarness(t, MANUAL);
  await h.coordinator.commitOffsets(standalone('simple', 0));
  h.clock.advance(30 * MINUTE);
  await h.coordinator.commitOffsets(standalone('simple', 1));
  h.clock.advance(30 * MINUTE);
  assert.deepEqual(await h.coordinator.expireOffsets(), { expiredOffsets: 1, deletedGroups: [] });
  assert.deepEqual(committed(h, 'simple'), ['t-1']);
  h.clock.advance(30 * MINUTE);
  assert.deepEqual(await h.coordinator.expireOffsets(), { expiredOffsets: 1, deletedGroups: ['simple'] });
});

test('a Stable consumer group keeps offsets of subscribed topics; unsubscribed ones expire from their commit', async (t) => {
  const h = await openHarness(t, MANUAL);
  const { joins } = await stableGroup(h, 1, { protocols: [{ name: 'range', metadata: subscription('live') }] });
  await h.coordinator.commitOffsets({
    groupId: 'g1', generationId: 1, memberId: joins[0]!.memberId, groupInstanceId: null,
    offsets: ['live', 'gone'].map((topic) => ({ topic, partition: 0, offset: 1, leaderEpoch: -1, metadata: null })),
  });
  keepAlive(h, 'g1', joins[0]!.memberId, HOUR);
  assert.deepEqual(await h.coordinator.expireOffsets(), { expiredOffsets: 1, deletedGroups: [] });
  assert.deepEqual(committed(h, 'g1'), ['live-0']);
});

test('after a restart, retention counts from when a group became Empty, for a restored member from its session expiry', async (t) => {
  const h = await openHarness(t, MANUAL);
  const commitAs = (groupId: string, memberId: string) =>
    h.coordinator.commitOffsets({
      groupId, generationId: 1, memberId, groupInstanceId: null,
      offsets: [{ topic: 't1', partition: 0, offset: 9, leaderEpoch: -1, metadata: null }],
    });
  const idle = (await stableGroup(h, 1, { groupId: 'idle' })).joins[0]!;
  const busy = (await stableGroup(h, 1, { groupId: 'busy' })).joins[0]!;
  await commitAs('idle', idle.memberId);
  await commitAs('busy', busy.memberId);
  h.coordinator.leaveGroup({ groupId: 'idle', members: [{ memberId: idle.memberId, groupInstanceId: null, reason: null }] });
  keepAlive(h, 'busy', busy.memberId, 30 * MINUTE);
  await settle();
  const reopened = await h.reopen({ initialRebalanceDelayMs: 0, ...MANUAL }); // "crash" while busy has a member
  assert.equal(reopened.describeGroups(['busy'])[0]!.groupState, 'Stable', 'busy comes back with its member');
  h.clock.advance(30 * MINUTE); // the member never comes back: busy is Empty 10 s (its session) after the restart
  assert.deepEqual(await reopened.expireOffsets(), { expiredOffsets: 1, deletedGroups: ['idle'] });
  h.clock.advance(30 * MINUTE + 10_000 - 1);
  assert.deepEqual(await reopened.expireOffsets(), { expiredOffsets: 0, deletedGroups: [] });
  const again = await h.reopen({ initialRebalanceDelayMs: 0, ...MANUAL }); // a second restart does not reset the count
  h.clock.advance(1);
  assert.deepEqual(await again.expireOffsets(), { expiredOffsets: 1, deletedGroups: ['busy'] });
});

test('the retention check runs by itself every offsetsRetentionCheckIntervalMs', async (t) => {
  const h = await openHarness(t, { offsetsRetentionMs: HOUR, offsetsRetentionCheckIntervalMs: 10 * MINUTE });
  h.clock.advance(5 * MINUTE);
  await h.coordinator.commitOffsets(standalone('simple', 0));
  h.clock.advance(HOUR); // checks at 10, 20, ..., 60 min: the offset is 55 min old at the last one
  assert.deepEqual(committed(h, 'simple'), ['t-0']);
  assert.equal(h.coordinator.listGroups().groups.length, 1);
  await settle(); // let the previous check finish, as it would between two real timer ticks
  h.clock.advance(10 * MINUTE); // the check at 70 min expires it and drops the group
  assert.deepEqual(h.coordinator.listGroups().groups, []);
  const reopened = await h.reopen(); // close waits for the check's writes
  assert.deepEqual(reopened.listGroups().groups, []);
});

test('a group with a commit on its way to disk is left alone by the retention check', async (t) => {
  const h = await openHarness(t, MANUAL);
  await h.coordinator.commitOffsets(standalone('simple', 0));
  h.clock.advance(2 * HOUR);
  const fresh = h.coordinator.commitOffsets(standalone('simple', 0)); // not durable yet
  assert.deepEqual(await h.coordinator.expireOffsets(), { expiredOffsets: 0, deletedGroups: [] });
  assert.deepEqual((await fresh).map((r) => r.errorCode), [0]);
  assert.deepEqual(committed(h, 'simple'), ['t-0']);
  assert.deepEqual(await h.coordinator.expireOffsets(), { expiredOffsets: 0, deletedGroups: [] }, 'the new commit is fresh');
});
