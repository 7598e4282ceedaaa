/**
 * Committed offsets and groups survive a clean restart and a kill -9.
 *
 * kafka-python 2.0 consumers (fixtures/group_consumer.py, enable_auto_commit=False,
 * synchronous commit() of explicit offsets) in one group on a 2-partition topic:
 * 1. a member commits and crashes (SIGKILL), the broker stops cleanly and starts again:
 *    the group is listed (ListGroups, DescribeGroups) and OffsetFetch returns exactly that
 *    commit;
 * 2. a restarted member process (same group_id) starts right after that commit, consumes
 *    and commits again and crashes, and the broker is SIGKILLed (no commit in flight):
 *    OffsetFetch returns exactly the last acknowledged commit;
 * 3. three times: the next member process starts right after the last commit, commits in
 *    a tight loop, and the broker and the member are SIGKILLed together at a random
 *    moment: OffsetFetch returns the last acknowledged commit or the one that was in
 *    flight (the broker may have made it durable without answering), and nothing else;
 * 4. one more kafka-python process with the same group_id resumes right after the
 *    committed offsets: no earlier record is delivered again, and every later one is;
 * 5. new groups without offsets honour auto_offset_reset: 'latest' starts at the log end
 *    (and gets exactly the records produced after it joined), 'earliest' at offset 0.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uniqueTopic } from '../helpers/broker.ts';
import { BrokerProcess, cleanupStack, delay, randomBetween } from './fixtures/broker-process.ts';
import { createTopic, describeGroup, kafkaJs } from './fixtures/kafka-tools.ts';
import { type Event, LineProcess } from './fixtures/line-process.ts';

const PARTITIONS = 2;
const PER_PARTITION = 300;
const MID_COMMIT_KILLS = 3;

type Offsets = Record<string, number>;
/** [partition, offset, value] as the driver reports them. */
type Consumed = [number, number, string];

async function produce(bootstrap: string, topic: string, from: number, to: number): Promise<void> {
  const producer = kafkaJs(bootstrap, 'e2e-producer').producer();
  await producer.connect();
  try {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const messages = [];
      for (let i = from; i < to; i++) messages.push({ partition, value: `${partition}-${i}` });
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

function member(cleanup: (step: () => unknown) => void, bootstrap: string, topic: string, groupId: string, reset: 'earliest' | 'latest') {
  const consumer = LineProcess.python('group_consumer.py', [bootstrap, topic, groupId, reset]);
  cleanup(() => consumer.kill());
  return consumer;
}

/** OffsetFetch as {partition: offset} strings-keyed like the driver's answers. */
async function committed(bootstrap: string, groupId: string, topic: string): Promise<{ offsets: Offsets; listed: boolean; protocolType: string }> {
  const group = await describeGroup(bootstrap, groupId, topic);
  const offsets: Offsets = {};
  for (const [partition, offset] of Object.entries(group.offsets)) offsets[partition] = offset;
  return { offsets, listed: group.listed, protocolType: group.protocolType };
}

test('committed offsets and groups survive a clean restart and a kill -9', async (t) => {
  const cleanup = cleanupStack(t);
  const broker = await BrokerProcess.start(t);
  const topic = uniqueTopic('groups');
  const groupId = uniqueTopic('group');
  await createTopic(broker.bootstrap, topic, PARTITIONS);
  await produce(broker.bootstrap, topic, 0, PER_PARTITION);

  // 1. a member commits and crashes; the broker stops cleanly and starts again.
  const first = member(cleanup, broker.bootstrap, topic, groupId, 'earliest');
  assert.deepEqual((await first.request({ op: 'assign' })).positions, { 0: 0, 1: 0 }, 'a new group with earliest starts at 0');
  await first.request({ op: 'consume', count: 100 });
  const commit1 = (await first.request({ op: 'commit' })).offsets as Offsets;
  assert.equal(commit1['0']! + commit1['1']!, 100);
  // The member crashes first, so that it does not hold its partitions after the restart. It
  // comes back with the group all the same (members are stored), and the next member gets
  // partitions once that restored session has expired.
  await first.kill();
  await broker.stop();
  await broker.restart();
  assert.deepEqual(await committed(broker.bootstrap, groupId, topic), { offsets: commit1, listed: true, protocolType: 'consumer' }, 'group and offsets after a clean restart');

  // 2. a new member process resumes from that commit, commits and crashes; kill -9 of the
  //    broker with no commit in flight.
  const second = member(cleanup, broker.bootstrap, topic, groupId, 'earliest');
  assert.deepEqual((await second.request({ op: 'assign' })).positions, commit1, 'a restarted consumer starts at the committed offsets');
  const read2 = (await second.request({ op: 'consume', count: 100 })).records as Consumed[];
  assertResumed(read2, commit1);
  const commit2 = (await second.request({ op: 'commit' })).offsets as Offsets;
  assert.equal(commit2['0']! + commit2['1']!, 200);
  await second.kill();
  await broker.kill();
  await broker.restart();
  assert.deepEqual(await committed(broker.bootstrap, groupId, topic), { offsets: commit2, listed: true, protocolType: 'consumer' }, 'group and offsets after kill -9');

  // 3. kill -9 of the broker and of the member together, in the middle of a commit loop;
  //    three rounds, each with a new member process that must start where the last ended.
  let afterKill: Awaited<ReturnType<typeof committed>> = { offsets: commit2, listed: true, protocolType: 'consumer' };
  const outcomes: string[] = [];
  for (let round = 1; round <= MID_COMMIT_KILLS; round++) {
    const looper = member(cleanup, broker.bootstrap, topic, groupId, 'earliest');
    assert.deepEqual((await looper.request({ op: 'assign' })).positions, afterKill.offsets, `round ${round}: a restarted consumer starts at the committed offsets`);
    const killAfter = randomBetween(5, 40);
    const looping = looper.events.length;
    const answered = looper.request({ op: 'commit_loop', commits: 1000 }).catch(() => 'killed');
    await looper.waitFor(() => countCommitted(looper.events.slice(looping)) >= killAfter, 60_000, `${killAfter} commits`, looping);
    await delay(randomBetween(0, 20));
    await Promise.all([broker.kill(), looper.kill()]);
    assert.equal(await answered, 'killed', 'the member was killed before its commit loop ended');
    const loop = looper.events.slice(looping);
    const lastAcked = loop.findLast((e) => e.ev === 'committed')!.offsets as Offsets;
    const lastAttempt = loop.findLast((e) => e.ev === 'attempt')!.offsets as Offsets;
    await broker.restart();
    afterKill = await committed(broker.bootstrap, groupId, topic);
    assert.ok(afterKill.listed, `round ${round}: group listed after kill -9 mid-commit`);
    const acked = isDeepEqual(afterKill.offsets, lastAcked);
    assert.ok(
      acked || isDeepEqual(afterKill.offsets, lastAttempt),
      `round ${round}: OffsetFetch after kill -9 mid-commit: ${JSON.stringify(afterKill.offsets)}; last acknowledged ${JSON.stringify(lastAcked)}, in flight ${JSON.stringify(lastAttempt)}`,
    );
    outcomes.push(`${countCommitted(loop)} commits then ${acked ? 'the last acknowledged' : 'the in-flight'} one ${JSON.stringify(afterKill.offsets)}`);
  }
  t.diagnostic(`kill -9 mid-commit, OffsetFetch after restart: ${outcomes.join('; ')}`);

  // 4. a new process with the same group id resumes right after the committed offsets.
  const resumed = member(cleanup, broker.bootstrap, topic, groupId, 'earliest');
  assert.deepEqual((await resumed.request({ op: 'assign' })).positions, afterKill.offsets, 'fetch positions come from the committed offsets');
  const remaining = PARTITIONS * PER_PARTITION - afterKill.offsets['0']! - afterKill.offsets['1']!;
  const records = (await resumed.request({ op: 'consume', count: remaining })).records as Consumed[];
  assertResumed(records, afterKill.offsets, PER_PARTITION);
  await resumed.request({ op: 'close' });

  // 5. new groups without offsets: latest starts at the log end, earliest at 0.
  const latestGroup = uniqueTopic('latest');
  const latest = member(cleanup, broker.bootstrap, topic, latestGroup, 'latest');
  const earliest = member(cleanup, broker.bootstrap, topic, uniqueTopic('earliest'), 'earliest');
  assert.deepEqual((await committed(broker.bootstrap, latestGroup, topic)).offsets, { 0: -1, 1: -1 }, 'a new group has no committed offsets');
  assert.deepEqual((await latest.request({ op: 'assign' })).positions, { 0: PER_PARTITION, 1: PER_PARTITION }, "auto_offset_reset='latest' starts at the log end");
  assert.deepEqual((await earliest.request({ op: 'assign' })).positions, { 0: 0, 1: 0 }, "auto_offset_reset='earliest' starts at 0");
  await produce(broker.bootstrap, topic, PER_PARTITION, PER_PARTITION + 10);
  const fresh = (await latest.request({ op: 'consume', count: 2 * 10 })).records as Consumed[];
  assert.deepEqual(
    fresh.map(([p, o, v]) => `${p}@${o}=${v}`).sort(),
    [0, 1].flatMap((p) => range(PER_PARTITION, PER_PARTITION + 10).map((o) => `${p}@${o}=${p}-${o}`)).sort(),
    'the latest group gets exactly the records produced after it joined',
  );
  const old = (await earliest.request({ op: 'consume', count: 20 })).records as Consumed[];
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const offsets = old.filter(([p]) => p === partition).map(([, offset]) => offset);
    assert.deepEqual(offsets, range(0, offsets.length), `the earliest group reads partition ${partition} from offset 0`);
  }
  await latest.request({ op: 'close' });
  await earliest.request({ op: 'close' });
});

/**
 * The records a resumed member got: per partition, consecutive offsets starting exactly at
 * the committed offset (nothing earlier again, nothing skipped), each with its own value;
 * with `end`, up to the end of every partition.
 */
function assertResumed(records: Consumed[], from: Offsets, end?: number): void {
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const offsets = records.filter(([p]) => p === partition).map(([, offset]) => offset);
    const start = from[String(partition)]!;
    assert.deepEqual(offsets, range(start, end ?? start + offsets.length), `partition ${partition}: the records from the committed offset ${start} on, in order`);
  }
  for (const [partition, offset, value] of records) assert.equal(value, `${partition}-${offset}`);
}

function countCommitted(events: Event[]): number {
  return events.filter((e) => e.ev === 'committed').length;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/*
 * A member that stays up while the broker restarts. Kafka stores the members with the
 * group (GroupMetadata in __consumer_offsets) and reloads them with a fresh session timer
 * when the coordinator comes back, so the member's next OffsetCommit, with its old member
 * id and generation, is accepted. So does this broker (src/broker/groups/group-persistence.ts).
 * Were the members forgotten, the commit would be answered UNKNOWN_MEMBER_ID, which
 * kafka-python raises as CommitFailedError (the Java client as CommitFailedException), and
 * the records since the last commit would be delivered again after the forced rejoin.
 */
test(
  'a member that stays up across a clean broker restart and a kill -9 keeps committing (Kafka keeps members across coordinator restarts)',
  async (t) => {
    const cleanup = cleanupStack(t);
    const broker = await BrokerProcess.start(t);
    const topic = uniqueTopic('live-member');
    const groupId = uniqueTopic('live-group');
    await createTopic(broker.bootstrap, topic, PARTITIONS);
    await produce(broker.bootstrap, topic, 0, PER_PARTITION);
    const live = member(cleanup, broker.bootstrap, topic, groupId, 'earliest');
    await live.request({ op: 'assign' });
    let expected = 0;
    for (const restart of ['stop', 'kill'] as const) {
      await live.request({ op: 'consume', count: 50 });
      expected += 50;
      const before = (await live.request({ op: 'commit' })).offsets as Offsets;
      assert.equal(before['0']! + before['1']!, expected);
      await (restart === 'stop' ? broker.stop() : broker.kill());
      await broker.restart();
      const read = (await live.request({ op: 'consume', count: 50 })).records as Consumed[];
      assertResumed(read, before);
      expected += 50;
      const after = (await live.request({ op: 'commit' })).offsets as Offsets;
      assert.deepEqual((await committed(broker.bootstrap, groupId, topic)).offsets, after, `OffsetFetch after the ${restart} restart`);
    }
    await live.request({ op: 'close' });
  },
);
