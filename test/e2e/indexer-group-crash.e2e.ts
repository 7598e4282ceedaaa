/**
 * Three indexer processes (`loglane index`) in one consumer group on a 6-partition topic,
 * with a broker and a store as processes of their own. While 60k events are produced,
 * one indexer that has been indexing is SIGKILLed; the two others take its partitions
 * over after the session timeout. Checks:
 * - committed offsets never run ahead of indexed documents. Document ids are
 *   `<topic>-<partition>-<offset>`, so "offset o of partition p is indexed" is a GET by
 *   id. Every 2 s, at the moment of the kill and at the end, the group's committed offset
 *   c(p) of every partition is read, then `_mget` checks that every id below c(p) is in
 *   the store (incrementally: documents are never deleted here, so offsets verified once
 *   stay verified);
 * - every event is indexed exactly once by id: `_mget` of every id of the topic finds
 *   60k documents whose `n` are exactly 0..59999, and `_count` is 60k (re-deliveries after
 *   the kill are overwrites of the same ids).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Producer, stringSerializers } from '@platformatic/kafka';
import { groupLag, withAdmin } from '../../src/kafka/admin.ts';
import { uniqueTopic } from '../helpers/broker.ts';
import { tempDir } from '../helpers/cli.ts';
import { eventually } from '../indexer/pipeline/helpers.ts';
import { BrokerProcess, cleanupStack, delay } from './fixtures/broker-process.ts';
import { createTopic } from './fixtures/kafka-tools.ts';
import { countDocuments, expectedIds, getDocuments, indexerYaml, LoglaneProcess, logEvent } from './fixtures/loglane-process.ts';

const TOTAL = 60_000;
const PARTITIONS = 6;

test(`three indexer processes in a group, one SIGKILLed mid-stream: ${TOTAL} events indexed exactly once, commits never ahead of indexed documents`, async (t) => {
  const cleanup = cleanupStack(t);
  const dir = await tempDir(t, 'loglane-e2e-group-');
  const broker = await BrokerProcess.start(t);
  const topic = uniqueTopic('group-crash');
  const group = `g-${topic}`;
  await createTopic(broker.bootstrap, topic, PARTITIONS);
  const store = await LoglaneProcess.start('store', dir, 'store', (port) => `store:\n  port: ${port}\n`, 'elasticsearch');
  cleanup(() => store.kill());

  const pipeline = { name: 'crash', topics: [topic], group_id: group, max_poll_records: 200, session_timeout_ms: 6000, outputs: [{ elasticsearch: { index: topic } }] };
  const indexers = await Promise.all([0, 1, 2].map((i) => LoglaneProcess.start(`indexer-${i}`, dir, 'index', () => indexerYaml(broker.bootstrap, store.url, pipeline))));
  for (const indexer of indexers) cleanup(() => indexer.kill());
  await eventually(
    () => withAdmin([broker.bootstrap], async (admin) => {
      const described = (await admin.describeGroups({ groups: [group] })).get(group);
      return described?.members.size === 3 && described.state === 'Stable' ? true : undefined;
    }),
    60_000,
    'three members in the group',
  );

  // Offsets verified to be indexed, per partition: every id below verified[p] was found.
  const verified = new Array<number>(PARTITIONS).fill(0);
  let checks = 0;
  const checkCommitsBehindDocuments = async (when: string) => {
    const rows = await withAdmin([broker.bootstrap], (admin) => groupLag(admin, group));
    const missing: string[] = [];
    for (const row of rows) {
      if (row.committed <= verified[row.partition]!) continue;
      const ids = Array.from({ length: row.committed - verified[row.partition]! }, (_, k) => `${topic}-${row.partition}-${verified[row.partition]! + k}`);
      const found = await getDocuments(store.url, topic, ids);
      const absent = ids.filter((id) => !found.has(id));
      if (absent.length > 0) missing.push(`partition ${row.partition}: committed ${row.committed} but ${absent.length} ids below it are not indexed (first ${absent[0]})`);
      else verified[row.partition] = row.committed;
    }
    checks++;
    assert.deepEqual(missing, [], `${when}: committed offsets ran ahead of indexed documents`);
  };
  let checking = true;
  const periodic = (async () => {
    while (checking) {
      await checkCommitsBehindDocuments('periodic check');
      await delay(2000);
    }
  })();
  cleanup(async () => {
    checking = false;
    await periodic.catch(() => {});
  });

  const producer = new Producer({ clientId: 'group-crash-producer', bootstrapBrokers: [broker.bootstrap], serializers: stringSerializers });
  cleanup(() => producer.close());
  // Produced over ~15 s, so the kill falls in the middle of the stream.
  const producing = (async () => {
    for (let n = 0; n < TOTAL; n += 1000) {
      await producer.send({ acks: -1, messages: Array.from({ length: 1000 }, (_, i) => ({ topic, key: `k${n + i}`, value: logEvent(n + i, 300) })) });
      await delay(250);
    }
  })();

  const victim = indexers[1]!;
  await eventually(async () => (((await countDocuments(store.url, topic)) ?? 0) >= TOTAL / 4 && (await victim.metric('loglane_indexer_events_out_total')) > 0 ? true : undefined), 120_000, 'a quarter indexed, some by the victim');
  const byVictim = await victim.metric('loglane_indexer_events_out_total');
  await victim.kill();
  const indexedAtKill = await countDocuments(store.url, topic);
  await checkCommitsBehindDocuments('at the kill');
  await producing;

  await eventually(async () => ((await countDocuments(store.url, topic)) === TOTAL ? true : undefined), 240_000, `${TOTAL} documents`);
  const rows = await eventually(
    async () => {
      const lag = await withAdmin([broker.bootstrap], (admin) => groupLag(admin, group));
      return lag.length === PARTITIONS && lag.every((r) => r.committed === r.end) ? lag : undefined;
    },
    60_000,
    'every offset committed',
  );
  checking = false;
  await periodic;
  await checkCommitsBehindDocuments('at the end');

  const ends = rows.map((r) => r.end);
  assert.equal(ends.reduce((a, b) => a + b, 0), TOTAL);
  const docs = await getDocuments(store.url, topic, expectedIds(topic, ends));
  assert.equal(docs.size, TOTAL, 'every record has its document');
  const ns = new Set([...docs.values()].map((d) => d.n as number));
  assert.equal(ns.size, TOTAL, 'each event once');
  assert.ok([...ns].every((n) => Number.isInteger(n) && n >= 0 && n < TOTAL));
  assert.equal(await countDocuments(store.url, topic), TOTAL, 'no document besides them');
  const survivors = await Promise.all([indexers[0]!, indexers[2]!].map((i) => i.metric('loglane_indexer_events_out_total')));
  t.diagnostic(
    `victim indexed ${byVictim} events before the SIGKILL (${indexedAtKill} documents in the store then); survivors ${survivors.join(' + ')} events ` +
      `(≈${survivors[0]! + survivors[1]! + byVictim - TOTAL} re-deliveries, overwrites by id); ${checks} commit checks`,
  );
});
