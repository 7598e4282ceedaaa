import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import { joinRequest, openHarness } from './helpers.ts';

test('LeaveGroup takes a batch by member id and/or instance id, answers each, and rebalances once', async (t) => {
  const h = await openHarness(t);
  const joins = [
    h.coordinator.joinGroup(joinRequest({ clientId: 'dyn1' })),
    h.coordinator.joinGroup(joinRequest({ clientId: 'dyn2' })),
    h.coordinator.joinGroup(joinRequest({ clientId: 's1', groupInstanceId: 'static-1' })),
    h.coordinator.joinGroup(joinRequest({ clientId: 's2', groupInstanceId: 'static-2' })),
  ];
  h.clock.advance(0);
  const [d1, d2, s1, s2] = await Promise.all(joins);

  const result = h.coordinator.leaveGroup({
    groupId: 'g1',
    members: [
      { memberId: d1!.memberId, groupInstanceId: null, reason: 'shutdown' },
      { memberId: '', groupInstanceId: 'static-1', reason: 'admin removal' },
      { memberId: s2!.memberId, groupInstanceId: 'static-1', reason: null },
      { memberId: '', groupInstanceId: 'nobody', reason: null },
      { memberId: 'ghost', groupInstanceId: null, reason: null },
    ],
  });
  assert.equal(result.errorCode, KafkaError.NONE);
  assert.deepEqual(result.members, [
    { memberId: d1!.memberId, groupInstanceId: null, errorCode: KafkaError.NONE },
    { memberId: '', groupInstanceId: 'static-1', errorCode: KafkaError.NONE },
    // static-1 is gone by now, so naming it does not identify s2
    { memberId: s2!.memberId, groupInstanceId: 'static-1', errorCode: KafkaError.UNKNOWN_MEMBER_ID },
    { memberId: '', groupInstanceId: 'nobody', errorCode: KafkaError.UNKNOWN_MEMBER_ID },
    { memberId: 'ghost', groupInstanceId: null, errorCode: KafkaError.UNKNOWN_MEMBER_ID },
  ]);
  const described = h.coordinator.describeGroups(['g1'])[0]!;
  assert.equal(described.groupState, 'PreparingRebalance');
  assert.deepEqual(described.members.map((m) => m.memberId).sort(), [d2!.memberId, s2!.memberId].sort());
  assert.equal(s1!.errorCode, KafkaError.NONE);

  const rejoins = [d2!, s2!].map((m) =>
    h.coordinator.joinGroup(joinRequest({ memberId: m.memberId, groupInstanceId: m === s2 ? 'static-2' : null })),
  );
  const after = await Promise.all(rejoins);
  assert.deepEqual(after.map((r) => r.generationId), [2, 2]);
});

test('LeaveGroup for an unknown group is a request-level UNKNOWN_MEMBER_ID', async (t) => {
  const h = await openHarness(t);
  const r = h.coordinator.leaveGroup({ groupId: 'none', members: [{ memberId: 'm', groupInstanceId: null, reason: null }] });
  assert.deepEqual(r, { errorCode: KafkaError.UNKNOWN_MEMBER_ID, members: [] });
});

test('a pending (MEMBER_ID_REQUIRED) member can leave before it joined', async (t) => {
  const h = await openHarness(t);
  const pending = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true }));
  const r = h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: pending.memberId, groupInstanceId: null, reason: null }] });
  assert.deepEqual(r.members.map((m) => m.errorCode), [KafkaError.NONE]);
  const late = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, memberId: pending.memberId }));
  assert.equal(late.errorCode, KafkaError.UNKNOWN_MEMBER_ID);
});

test('a member leaving while its SyncGroup is parked gets UNKNOWN_MEMBER_ID on that SyncGroup', async (t) => {
  const h = await openHarness(t);
  const joins = [0, 1].map((i) => h.coordinator.joinGroup(joinRequest({ clientId: `c${i}` })));
  h.clock.advance(0);
  const [, follower] = await Promise.all(joins);
  const parked = h.coordinator.syncGroup({
    groupId: 'g1', generationId: 1, memberId: follower!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [],
  });
  h.coordinator.leaveGroup({ groupId: 'g1', members: [{ memberId: follower!.memberId, groupInstanceId: null, reason: null }] });
  assert.equal((await parked).errorCode, KafkaError.UNKNOWN_MEMBER_ID);
});
