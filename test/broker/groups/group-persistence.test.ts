import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { GroupCoordinator } from '../../../src/broker/groups/group-coordinator.ts';
import { decodeLog, encodeFrame, type OffsetLogRecord } from '../../../src/broker/groups/offset-log-format.ts';
import { OFFSET_LOG_FILE } from '../../../src/broker/groups/offset-store.ts';
import type { JoinGroupRequest, OffsetCommitRequest, SyncGroupRequest } from '../../../src/broker/groups/types.ts';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import { FakeScheduler } from './fake-scheduler.ts';
import { type Harness, formGroup, joinRequest, openHarness, settle, stableGroup, subscription, tempDir, track } from './helpers.ts';

const HOUR = 3_600_000;

const beat = (h: Harness, memberId: string, generationId: number, groupInstanceId: string | null = null) =>
  h.coordinator.heartbeat({ groupId: 'g1', generationId, memberId, groupInstanceId });

const state = (h: Harness, groupId = 'g1') => h.coordinator.describeGroups([groupId])[0]!.groupState;

const commitRequest = (memberId: string, generationId: number, offset: number, topic = 't1'): OffsetCommitRequest => ({
  groupId: 'g1',
  generationId,
  memberId,
  groupInstanceId: null,
  offsets: [{ topic, partition: 0, offset, leaderEpoch: -1, metadata: null }],
});

const commitCodes = async (h: Harness, request: OffsetCommitRequest) =>
  (await h.coordinator.commitOffsets(request)).map((r) => r.errorCode);

const syncRequest = (memberId: string, generationId: number, overrides: Partial<SyncGroupRequest> = {}): SyncGroupRequest => ({
  groupId: 'g1',
  generationId,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocolName: 'range',
  assignments: [],
  ...overrides,
});

const staticJoin = (instance: string, overrides: Partial<JoinGroupRequest> = {}) =>
  joinRequest({ groupInstanceId: instance, clientId: instance, requireKnownMemberId: true, ...overrides });

/** Static members a and b, Stable at generation 1, assigned `as-a` and `as-b`. */
async function staticGroup(h: Harness) {
  const joins = [h.coordinator.joinGroup(staticJoin('a')), h.coordinator.joinGroup(staticJoin('b'))];
  h.clock.advance(0);
  const [a, b] = await Promise.all(joins);
  await Promise.all([
    h.coordinator.syncGroup(
      syncRequest(a!.memberId, 1, {
        groupInstanceId: 'a',
        assignments: [
          { memberId: a!.memberId, assignment: Buffer.from('as-a') },
          { memberId: b!.memberId, assignment: Buffer.from('as-b') },
        ],
      }),
    ),
    h.coordinator.syncGroup(syncRequest(b!.memberId, 1, { groupInstanceId: 'b' })),
  ]);
  return { a: a!, b: b! };
}

/** Resolves once every write issued before it is durable and its callbacks have run. */
const writeBarrier = (h: Harness) => h.coordinator.commitOffsets({ ...commitRequest('', -1, 1), groupId: 'barrier' });

/** The group records ('g') of `groupId` in the log file, oldest first. */
async function groupRecords(dir: string, groupId: string) {
  const { records } = decodeLog(await readFile(join(dir, OFFSET_LOG_FILE)));
  return records.filter((r): r is Extract<OffsetLogRecord, { t: 'g' }> => r.t === 'g' && r.g === groupId);
}

test('a Stable group comes back Stable with its generation, leader, protocol, members and assignments', async (t) => {
  const h = await openHarness(t);
  const protocols = [
    { name: 'range', metadata: subscription('t1') },
    { name: 'roundrobin', metadata: subscription('t1', 'other') },
  ];
  const { joins, leader } = await stableGroup(h, 2, { clientHost: '/10.0.0.1', protocols, sessionTimeoutMs: 20_000 });
  const [a, b] = joins;
  const before = h.coordinator.describeGroups(['g1']);
  assert.equal(before[0]!.groupState, 'Stable');

  const reopened = await h.reopen();
  assert.deepEqual(reopened.describeGroups(['g1']), before, 'members with client id and host, metadata and assignment');
  assert.deepEqual(reopened.listGroups().groups, [{ groupId: 'g1', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }]);
  assert.equal(beat(h, a.memberId, 1), KafkaError.NONE);
  assert.equal(beat(h, b.memberId, 1), KafkaError.NONE);
  assert.equal(beat(h, b.memberId, 2), KafkaError.ILLEGAL_GENERATION);
  assert.deepEqual(await commitCodes(h, commitRequest(b.memberId, 1, 42)), [KafkaError.NONE], 'commit with the old generation');
  assert.deepEqual(reopened.fetchOffsets({ groupId: 'g1', partitions: null, requireStable: true }).partitions.map((p) => p.offset), [42]);

  const late = await reopened.syncGroup(syncRequest(b.memberId, 1));
  assert.deepEqual(late.assignment, Buffer.from(`assignment-${b.memberId}`), 'a late SyncGroup gets the stored assignment');
  const follower = joins.find((j) => j !== leader)!;
  const rejoin = await reopened.joinGroup(joinRequest({ memberId: follower.memberId, clientHost: '/10.0.0.1', protocols, sessionTimeoutMs: 20_000 }));
  assert.deepEqual([rejoin.errorCode, rejoin.generationId, rejoin.leader], [KafkaError.NONE, 1, leader.memberId]);
  assert.equal(state(h), 'Stable', 'a follower rejoining with all its protocols unchanged does not rebalance');
});

test('a restored member gets a fresh session timer; one that never comes back expires and the group rebalances', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 2, { sessionTimeoutMs: 10_000 });
  const [a, b] = joins;
  h.clock.advance(9_000); // b has been silent for 9 s when the broker goes down
  beat(h, a.memberId, 1);
  await h.reopen();
  for (let i = 0; i < 3; i++) {
    h.clock.advance(3_000);
    assert.equal(beat(h, a.memberId, 1), KafkaError.NONE);
  }
  assert.equal(state(h), 'Stable', 'b has a new 10 s session from the restart');
  h.clock.advance(1_000);
  assert.equal(state(h), 'PreparingRebalance', 'b expired');
  assert.equal(beat(h, a.memberId, 1), KafkaError.REBALANCE_IN_PROGRESS);
  assert.equal(beat(h, b.memberId, 1), KafkaError.UNKNOWN_MEMBER_ID);

  const rejoin = await h.coordinator.joinGroup(joinRequest({ memberId: a.memberId }));
  assert.deepEqual([rejoin.generationId, rejoin.leader, rejoin.members.map((m) => m.memberId)], [2, a.memberId, [a.memberId]]);
  const sync = await h.coordinator.syncGroup(
    syncRequest(a.memberId, 2, { assignments: [{ memberId: a.memberId, assignment: Buffer.from('all') }] }),
  );
  assert.deepEqual([sync.errorCode, sync.assignment.toString()], [KafkaError.NONE, 'all']);
  assert.deepEqual(await commitCodes(h, commitRequest(a.memberId, 2, 7)), [KafkaError.NONE]);
});

test('a rebalance after the restore: a new member joins, the restored members rejoin, and the next generation is stored', async (t) => {
  const h = await openHarness(t);
  const { joins, leader } = await stableGroup(h, 2);
  await h.reopen();
  const newcomer = track(h.coordinator.joinGroup(joinRequest({ clientId: 'new' })));
  assert.equal(state(h), 'PreparingRebalance');
  for (const j of joins) assert.equal(beat(h, j.memberId, 1), KafkaError.REBALANCE_IN_PROGRESS);
  const rejoins = joins.map((j) => h.coordinator.joinGroup(joinRequest({ memberId: j.memberId, protocols: [{ name: 'range', metadata: subscription('t1', 't2') }] })));
  const results = await Promise.all([newcomer.promise, ...rejoins]);
  assert.deepEqual(results.map((r) => [r.errorCode, r.generationId, r.leader]), results.map(() => [0, 2, leader.memberId]));
  const leaderJoin = results.find((r) => r.memberId === r.leader)!;
  assert.equal(leaderJoin.members.length, 3);
  await Promise.all(
    results.map((r) =>
      h.coordinator.syncGroup(
        syncRequest(r.memberId, 2, {
          assignments: r === leaderJoin ? r.members.map((m) => ({ memberId: m.memberId, assignment: Buffer.from(`gen2-${m.memberId}`) })) : [],
        }),
      ),
    ),
  );
  assert.equal(state(h), 'Stable');
  assert.deepEqual(await commitCodes(h, commitRequest(newcomer.value!.memberId, 2, 3)), [KafkaError.NONE]);

  const again = await h.reopen();
  const described = again.describeGroups(['g1'])[0]!;
  assert.equal(described.groupState, 'Stable');
  assert.deepEqual(
    described.members.map((m) => [m.memberId, m.clientId, m.memberMetadata, m.memberAssignment.toString()]),
    [
      ...joins.map((j, i) => [j.memberId, `c${i}`, subscription('t1', 't2'), `gen2-${j.memberId}`]),
      [newcomer.value!.memberId, 'new', subscription('t1'), `gen2-${newcomer.value!.memberId}`],
    ],
    'the second generation, with the metadata the members rejoined with',
  );
  assert.equal(beat(h, newcomer.value!.memberId, 2), KafkaError.NONE);
});

test('a group cut short in a rebalance comes back as its last completed generation, and its members rejoin', async (t) => {
  const h = await openHarness(t);
  const { joins, leader } = await stableGroup(h, 2);
  const follower = joins.find((j) => j !== leader)!;
  // A new member starts a rebalance; everyone rejoins and gets generation 2, but nobody has synced yet.
  const phase2 = [
    h.coordinator.joinGroup(joinRequest({ clientId: 'new' })),
    ...joins.map((j) => h.coordinator.joinGroup(joinRequest({ memberId: j.memberId }))),
  ];
  const [newcomer] = await Promise.all(phase2);
  assert.equal(state(h), 'CompletingRebalance');

  const reopened = await h.reopen();
  const described = reopened.describeGroups(['g1'])[0]!;
  assert.equal(described.groupState, 'Stable');
  assert.deepEqual(described.members.map((m) => m.memberId), joins.map((j) => j.memberId), 'generation 1, without the newcomer');
  assert.equal(beat(h, follower.memberId, 1), KafkaError.NONE, 'a member that had not noticed the rebalance goes on');
  assert.equal((await reopened.syncGroup(syncRequest(leader.memberId, 2))).errorCode, KafkaError.ILLEGAL_GENERATION);
  assert.equal((await reopened.syncGroup(syncRequest(newcomer!.memberId, 2))).errorCode, KafkaError.UNKNOWN_MEMBER_ID);

  // The clients rejoin: the leader's rejoin and the newcomer (as a new member) rebalance the group.
  const again = [
    reopened.joinGroup(joinRequest({ memberId: leader.memberId })),
    reopened.joinGroup(joinRequest({ clientId: 'new' })),
    reopened.joinGroup(joinRequest({ memberId: follower.memberId })),
  ];
  const results = await Promise.all(again);
  assert.deepEqual(results.map((r) => [r.errorCode, r.generationId]), [[0, 2], [0, 2], [0, 2]]);
  assert.equal(results[0]!.members.length, 3);
});

test("the leader's SyncGroup is answered, and the group Stable, only once the generation is in the log file", async (t) => {
  const h = await openHarness(t);
  const [leader, follower] = await formGroup(h, 2, { protocols: [{ name: 'range', metadata: subscription('t1') }] });
  const followerSync = track(h.coordinator.syncGroup(syncRequest(follower!.memberId, 1)));
  const assignments = [leader!, follower!].map((j) => ({ memberId: j.memberId, assignment: Buffer.from(`for-${j.memberId}`) }));
  const leaderSync = track(h.coordinator.syncGroup(syncRequest(leader!.memberId, 1, { assignments })));
  await settle();
  assert.equal(leaderSync.done || followerSync.done, false, 'nobody is answered before the write is durable');
  assert.equal(state(h), 'CompletingRebalance');
  assert.deepEqual(await commitCodes(h, commitRequest(leader!.memberId, 1, 1)), [KafkaError.REBALANCE_IN_PROGRESS]);

  assert.deepEqual((await leaderSync.promise).assignment.toString(), `for-${leader!.memberId}`);
  assert.deepEqual((await followerSync.promise).assignment.toString(), `for-${follower!.memberId}`);
  assert.equal(state(h), 'Stable');
  const stored = (await groupRecords(h.dir, 'g1')).at(-1)!;
  assert.equal(stored.v, 2);
  assert.deepEqual(
    { gen: stored.gen, pt: stored.pt, es: stored.es, pn: stored.pn, l: stored.l },
    { gen: 1, pt: 'consumer', es: null, pn: 'range', l: leader!.memberId },
  );
  assert.deepEqual(
    stored.v === 2 ? stored.m.map(([memberId, , clientId, , session, , protocols, assignment]) => [memberId, clientId, session, protocols, assignment]) : [],
    [leader!, follower!].map((j, i) => [
      j.memberId,
      `c${i}`,
      10_000,
      [['range', subscription('t1').toString('base64')]],
      Buffer.from(`for-${j.memberId}`).toString('base64'),
    ]),
  );
});

test('a SyncGroup of a generation that a rebalance replaced while it was being stored is not answered with it', async (t) => {
  const h = await openHarness(t);
  const [leader, follower] = await formGroup(h, 2);
  const leaderSync = h.coordinator.syncGroup(syncRequest(leader!.memberId, 1, { assignments: [{ memberId: leader!.memberId, assignment: Buffer.from('x') }] }));
  const newcomer = h.coordinator.joinGroup(joinRequest({ clientId: 'new' })); // while the generation is being written
  assert.equal((await leaderSync).errorCode, KafkaError.REBALANCE_IN_PROGRESS);
  await writeBarrier(h);
  assert.equal(state(h), 'PreparingRebalance', 'the write that completed later did not make the group Stable');
  const rejoins = [leader!, follower!].map((j) => h.coordinator.joinGroup(joinRequest({ memberId: j.memberId })));
  assert.deepEqual((await Promise.all([newcomer, ...rejoins])).map((r) => r.generationId), [2, 2, 2]);
});

test('a static member that rejoined under a new id is stored with it: after a restart the new id is valid, the old one fenced', async (t) => {
  const h = await openHarness(t);
  const { a, b } = await staticGroup(h);
  const restarted = await h.coordinator.joinGroup(staticJoin('b'));
  assert.equal(restarted.generationId, 1, 'no rebalance');
  const stored = (await groupRecords(h.dir, 'g1')).at(-1)!;
  assert.deepEqual(stored.v === 2 ? stored.m.map(([memberId]) => memberId) : [], [a.memberId, restarted.memberId], 'stored before it was answered');

  const reopened = await h.reopen();
  assert.equal(beat(h, restarted.memberId, 1, 'b'), KafkaError.NONE);
  assert.equal(beat(h, b.memberId, 1, 'b'), KafkaError.FENCED_INSTANCE_ID);
  const sync = await reopened.syncGroup(syncRequest(restarted.memberId, 1, { groupInstanceId: 'b' }));
  assert.deepEqual(sync.assignment, Buffer.from('as-b'), 'the new id keeps the old assignment across the restart');
  const rejoinA = await reopened.joinGroup(staticJoin('a'));
  assert.deepEqual([rejoinA.errorCode, rejoinA.generationId], [KafkaError.NONE, 1], 'static members still rejoin without a rebalance');
});

test('a static member whose new id is being stored when a rebalance starts is answered by the join phase', async (t) => {
  const h = await openHarness(t);
  const { a } = await staticGroup(h);
  const rejoinB = track(h.coordinator.joinGroup(staticJoin('b'))); // Stable: the group with b's new id is being written
  const newcomer = h.coordinator.joinGroup(staticJoin('c')); // starts a rebalance meanwhile
  assert.equal(state(h), 'PreparingRebalance');
  await writeBarrier(h);
  assert.equal(rejoinB.done, false, 'b is not handed generation 1 once the write is done: it has rejoined the rebalance');
  const rejoinA = h.coordinator.joinGroup(staticJoin('a', { memberId: a.memberId }));
  const results = await Promise.all([rejoinB.promise, newcomer, rejoinA]);
  assert.deepEqual(results.map((r) => [r.errorCode, r.generationId]), [[0, 2], [0, 2], [0, 2]]);
});

test('offset retention: a restored group with members is not Empty; its unsubscribed topics expire from their commit', async (t) => {
  const h = await openHarness(t, { offsetsRetentionMs: HOUR, offsetsRetentionCheckIntervalMs: 1_000 * HOUR });
  const { joins } = await stableGroup(h, 1, { protocols: [{ name: 'range', metadata: subscription('live') }] });
  const memberId = joins[0]!.memberId;
  await h.coordinator.commitOffsets({
    ...commitRequest(memberId, 1, 5),
    offsets: ['live', 'gone'].map((topic) => ({ topic, partition: 0, offset: 5, leaderEpoch: -1, metadata: null })),
  });
  const reopened = await h.reopen();
  for (let left = 2 * HOUR; left > 0; left -= 5_000) {
    h.clock.advance(5_000);
    assert.equal(beat(h, memberId, 1), KafkaError.NONE);
  }
  assert.deepEqual(await reopened.expireOffsets(), { expiredOffsets: 1, deletedGroups: [] });
  assert.deepEqual(reopened.fetchOffsets({ groupId: 'g1', partitions: null, requireStable: false }).partitions.map((p) => p.topic), ['live']);
  reopened.leaveGroup({ groupId: 'g1', members: [{ memberId, groupInstanceId: null, reason: null }] });
  h.clock.advance(HOUR);
  assert.deepEqual(await reopened.expireOffsets(), { expiredOffsets: 1, deletedGroups: ['g1'] }, 'an hour after it became Empty');
});

test('a restored group larger than groupMaxSize rebalances', async (t) => {
  const h = await openHarness(t);
  const { joins } = await stableGroup(h, 3);
  await h.reopen({ initialRebalanceDelayMs: 0, groupMaxSize: 2 });
  assert.equal(state(h), 'PreparingRebalance');
  const rejoins = joins.map((j) => h.coordinator.joinGroup(joinRequest({ memberId: j.memberId })));
  const results = await Promise.all(rejoins);
  assert.deepEqual(results.map((r) => r.errorCode), [KafkaError.NONE, KafkaError.NONE, KafkaError.GROUP_MAX_SIZE_REACHED]);
});

test('a log written before members were stored (format version 1) still loads: its groups come back Empty', async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeScheduler();
  const T0 = clock.now() - HOUR;
  const v1: OffsetLogRecord[] = [
    { t: 'c', g: 'busy', ts: T0, o: [['t1', 0, 10, 1, 'b']] },
    { t: 'g', g: 'busy', pt: 'consumer', gen: 3, es: null }, // it had members: they were not stored
    { t: 'c', g: 'idle', ts: T0, o: [['t1', 0, 20, 1, 'i']] },
    { t: 'g', g: 'idle', pt: 'consumer', gen: 5, es: T0 },
    { t: 's', g: 'compacted', pt: 'consumer', gen: 2, es: null, o: [['t1', 1, 30, 2, 'c', T0]] },
    { t: 'c', g: 'simple', ts: T0, o: [['t1', 0, 40, -1, '']] },
  ];
  await writeFile(join(dir, OFFSET_LOG_FILE), Buffer.concat(v1.map(encodeFrame)));
  const config = { initialRebalanceDelayMs: 0, offsetsRetentionMs: 2 * HOUR, offsetsRetentionCheckIntervalMs: 1_000 * HOUR };
  let coordinator = await GroupCoordinator.open({ dataDir: dir, scheduler: clock, config });
  t.after(() => coordinator.close());
  assert.deepEqual(
    coordinator.listGroups().groups.map((g) => [g.groupId, g.protocolType, g.groupState]),
    [
      ['busy', 'consumer', 'Empty'],
      ['idle', 'consumer', 'Empty'],
      ['compacted', 'consumer', 'Empty'],
      ['simple', '', 'Empty'],
    ],
  );
  const offsets = (groupId: string) =>
    coordinator.fetchOffsets({ groupId, partitions: null, requireStable: false }).partitions.map((p) => [p.partition, p.offset, p.leaderEpoch, p.metadata]);
  assert.deepEqual([offsets('busy'), offsets('idle'), offsets('compacted'), offsets('simple')], [[[0, 10, 1, 'b']], [[0, 20, 1, 'i']], [[1, 30, 2, 'c']], [[0, 40, -1, '']]]);
  const busyRecord = (await groupRecords(dir, 'busy')).at(-1)!;
  assert.deepEqual(busyRecord, { t: 'g', g: 'busy', pt: 'consumer', gen: 3, es: clock.now(), v: 2, pn: null, l: null, m: [] }, 'Empty from the open on, written down');

  // Retention: idle counts from T0, busy and compacted from the open, across another restart.
  clock.advance(HOUR);
  await coordinator.close();
  coordinator = await GroupCoordinator.open({ dataDir: dir, scheduler: clock, config });
  assert.deepEqual(await coordinator.expireOffsets(), { expiredOffsets: 2, deletedGroups: ['idle', 'simple'] });
  clock.advance(HOUR);
  assert.deepEqual(await coordinator.expireOffsets(), { expiredOffsets: 2, deletedGroups: ['busy', 'compacted'] });

  // Generations go on from the version 1 record.
  await coordinator.close();
  await writeFile(join(dir, OFFSET_LOG_FILE), Buffer.concat(v1.map(encodeFrame)));
  coordinator = await GroupCoordinator.open({ dataDir: dir, scheduler: clock, config });
  const join3 = coordinator.joinGroup(joinRequest({ groupId: 'busy' }));
  clock.advance(0);
  assert.equal((await join3).generationId, 4);
});
