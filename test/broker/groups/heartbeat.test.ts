import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import { formGroup, joinRequest, openHarness, stableGroup } from './helpers.ts';

test('Heartbeat errors: unknown group or member, wrong generation, Empty group', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 1);
  const memberId = joins[0]!.memberId;
  const beat = (o: object) => h.coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId, groupInstanceId: null, ...o });
  assert.equal(beat({}), KafkaError.NONE);
  assert.equal(beat({ groupId: 'none' }), KafkaError.UNKNOWN_MEMBER_ID);
  assert.equal(beat({ memberId: 'stranger' }), KafkaError.UNKNOWN_MEMBER_ID);
  assert.equal(beat({ generationId: 0 }), KafkaError.ILLEGAL_GENERATION);
  assert.equal(beat({ groupInstanceId: 'never-joined' }), KafkaError.UNKNOWN_MEMBER_ID);
  h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId, groupInstanceId: null, reason: null }] });
  assert.equal(beat({ generationId: 2 }), KafkaError.UNKNOWN_MEMBER_ID);
});

test('Heartbeat between JoinGroup and SyncGroup (CompletingRebalance) is fine and keeps the session', async (t) => {
  const h = await openHarness(t);
  const [leader] = await formGroup(h, 1, { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 60_000 });
  for (let i = 0; i < 5; i++) {
    h.clock.advance(6_000);
    assert.equal(
      h.coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: leader!.memberId, groupInstanceId: null }),
      KafkaError.NONE,
    );
  }
  assert.equal(h.coordinator.describeGroups(['g1'])[0]!.groupState, 'CompletingRebalance');
});

test('a heartbeat during PreparingRebalance answers REBALANCE_IN_PROGRESS and still resets the session timer', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 2, { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 60_000 });
  const newcomer = h.coordinator.joinGroup(joinRequest({ clientId: 'new', rebalanceTimeoutMs: 60_000 }));
  for (let i = 0; i < 4; i++) {
    h.clock.advance(8_000);
    for (const j of joins) {
      assert.equal(
        h.coordinator.heartbeat({ groupId: 'g1', generationId: 1, memberId: j.memberId, groupInstanceId: null }),
        KafkaError.REBALANCE_IN_PROGRESS,
      );
    }
  }
  await Promise.all(joins.map((j) => h.coordinator.joinGroup(joinRequest({ memberId: j.memberId, rebalanceTimeoutMs: 60_000 }))));
  assert.equal((await newcomer).members.length, 0);
  assert.equal((await newcomer).generationId, 2);
});
