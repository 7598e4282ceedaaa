/**
 * kill -9 during sustained acks=all produce loses no acknowledged record, over several kills.
 *
 * A librdkafka producer (fixtures/crash_producer.py) produces uniquely numbered records
 * without pause to a 4-partition topic with small segments (rolls, producer snapshots and
 * index files are all in play) and reports every delivery with its partition and offset.
 * The test SIGKILLs the broker process at random moments (after a random number of new
 * acknowledgements plus a random delay), restarts it on the same data directory and port,
 * and lets the producer reconnect and go on. Every other kill follows a CreateTopics that
 * was just acknowledged; after the other ones the broker is killed a second time while it
 * starts up (opening and recovering its logs, or just listening). At the end the test
 * reads the whole topic and checks:
 * - every acknowledged record is stored, at exactly the partition and offset its
 *   acknowledgement named (a recovery that truncated and re-used offsets would fail this);
 * - no offset holds two records and no record is one that was never produced;
 * - the topic, its partition count and its config overrides survived every kill, and so
 *   did the topics created right before a kill.
 * Unacknowledged records may or may not be there, and a record may be stored twice when
 * the producer resent a request whose answer the kill swallowed (this producer is not
 * idempotent, on purpose); both are counted and reported (test diagnostics), not failed.
 * The same run with `enable.idempotence=true` must in addition store no record twice: the
 * broker restores each producer's last sequence numbers (snapshot + log replay) on restart
 * and answers a resent batch as a duplicate.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { uniqueTopic } from '../helpers/broker.ts';
import { BrokerProcess, cleanupStack, delay, randomBetween } from './fixtures/broker-process.ts';
import { createTopic, describeTopic, readTopic } from './fixtures/kafka-tools.ts';
import { LineProcess } from './fixtures/line-process.ts';

const KILLS = 8;
const PARTITIONS = 4;
const TOPIC_CONFIGS = { 'retention.ms': '3600000', 'segment.bytes': String(256 * 1024) };

for (const idempotent of [false, true]) {
  const producer = idempotent ? 'idempotent' : 'plain';
  test(`kill -9 during sustained acks=all produce loses no acknowledged record, over several kills (${producer} producer)`, (t) => crashWhileProducing(t, idempotent));
}

async function crashWhileProducing(t: TestContext, idempotent: boolean): Promise<void> {
  const cleanup = cleanupStack(t);
  const broker = await BrokerProcess.start(t, { broker: { auto_create_topics: false } });
  const topic = uniqueTopic('crash');
  await createTopic(broker.bootstrap, topic, PARTITIONS, TOPIC_CONFIGS);

  const producer = LineProcess.python('crash_producer.py', [broker.bootstrap, topic, String(idempotent)]);
  cleanup(() => producer.kill());
  /** n -> [partition, offset] of every acknowledged record. */
  const acked = new Map<number, [number, number]>();
  const failed = new Map<number, string>();
  producer.onEvent((event) => {
    if (event.ev === 'acks') for (const [n, partition, offset] of event.acks) acked.set(n, [partition, offset]);
    if (event.ev === 'fails') for (const [n, error] of event.fails) failed.set(n, error);
  });
  const ackedAtLeast = (count: number, what: string) => producer.waitFor(() => acked.size >= count, 90_000, `${count} acknowledgements ${what}`);

  const ackedAtKill: number[] = [];
  /** Topics created (and acknowledged) just before a kill, with their retention.ms. */
  const lateTopics = new Map<string, string>();
  let killedWhileStarting = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    await ackedAtLeast(acked.size + randomBetween(2_000, 20_000), `before kill ${kill}`);
    if (kill % 2 === 1) {
      const late = `${topic}-late-${kill}`;
      lateTopics.set(late, String(60_000 * kill));
      await createTopic(broker.bootstrap, late, kill, { 'retention.ms': lateTopics.get(late)! });
    } else {
      await delay(randomBetween(0, 300));
    }
    ackedAtKill.push(acked.size);
    await broker.kill();
    // Every other time, kill it again while it starts (loading, recovering, or just listening).
    if (kill % 2 === 0 && !(await broker.killDuringStart(randomBetween(300, 900)))) killedWhileStarting++;
    await broker.restart();
    const state = await describeTopic(broker.bootstrap, topic);
    assert.deepEqual(state, { partitions: PARTITIONS, overrides: TOPIC_CONFIGS }, `topic and configs after kill ${kill}`);
  }
  await ackedAtLeast(acked.size + 2_000, 'after the last restart');

  producer.child.kill('SIGTERM');
  const done = await producer.waitFor((e) => e.ev === 'done', 150_000, 'the final flush');
  assert.deepEqual(await producer.exited, { code: 0, signal: null }, producer.stderr());
  assert.equal(done.unflushed, 0, 'every record got a delivery report');

  const stored = await readTopic(broker.bootstrap, topic);
  const copies = new Map<number, number>();
  const slots = new Set<string>();
  for (const record of stored) {
    const n = Number(record.value.split(' ', 1)[0]);
    assert.ok(Number.isInteger(n) && n >= 0 && n < done.produced, `p${record.partition}@${record.offset} holds a record that was never produced: ${record.value}`);
    const slot = `${record.partition}@${record.offset}`;
    assert.ok(!slots.has(slot), `offset ${slot} read twice`);
    slots.add(slot);
    copies.set(n, (copies.get(n) ?? 0) + 1);
  }
  const at = new Map(stored.map((r) => [`${r.partition}@${r.offset}`, r.value.split(' ', 1)[0]]));
  const lost: number[] = [];
  const moved: string[] = [];
  for (const [n, [partition, offset]] of acked) {
    if (!copies.has(n)) lost.push(n);
    else if (at.get(`${partition}@${offset}`) !== String(n)) moved.push(`${n} acknowledged at ${partition}@${offset}, found ${at.get(`${partition}@${offset}`)} there`);
  }
  const duplicates = [...copies.values()].reduce((sum, c) => sum + c - 1, 0);
  const unackedStored = [...copies.keys()].filter((n) => !acked.has(n)).length;
  t.diagnostic(
    `kills: ${KILLS} (acknowledged at each kill: ${ackedAtKill.join(', ')}); produced ${done.produced}, acknowledged ${acked.size}, ` +
      `failed ${failed.size}, stored ${stored.length} records = ${copies.size} distinct (${unackedStored} unacknowledged but stored), duplicates ${duplicates}`,
  );
  const truncations = broker.logs().match(/truncated an invalid segment tail/g)?.length ?? 0;
  t.diagnostic(`recoveries that truncated a torn segment tail: ${truncations}; starts killed before listening: ${killedWhileStarting} of ${Math.floor(KILLS / 2)}`);
  assert.deepEqual(lost.slice(0, 20), [], `${lost.length} acknowledged records are missing after ${KILLS} kills`);
  assert.deepEqual(moved.slice(0, 20), [], `${moved.length} acknowledged records are not at their acknowledged offset`);
  assert.equal(acked.size + failed.size, done.produced, 'every produced record was either acknowledged or reported failed');
  // An idempotent producer resends with the same producer id and sequence numbers, and the
  // broker rebuilds its producer state from snapshots and the log after a kill: no copies.
  if (idempotent) assert.equal(duplicates, 0, 'an idempotent producer leaves no duplicates across kills');

  // And once more after the reads: the topic and its overrides are still what CreateTopics set,
  // and so are those of the topics created right before a kill.
  assert.deepEqual(await describeTopic(broker.bootstrap, topic), { partitions: PARTITIONS, overrides: TOPIC_CONFIGS });
  for (const [late, retention] of lateTopics) {
    assert.deepEqual(await describeTopic(broker.bootstrap, late), { partitions: Number(late.slice(late.lastIndexOf('-') + 1)), overrides: { 'retention.ms': retention } }, late);
  }
}
