/**
 * Store outage under load, every piece a real process: a broker (`loglane broker`), a
 * store (`loglane store`) and the indexer (`loglane index`). While 100k JSON events are
 * produced to a 3-partition topic, the store process is stopped (SIGTERM) for 60 s
 * (LOGLANE_E2E_OUTAGE_MS overrides that for local runs; CI keeps 60 s) and started again
 * on the same port and data directory. Checks:
 * - the indexer pauses (paused-partitions gauge > 0, one "output unavailable" log line)
 *   and resumes (one "available again" line);
 * - the index ends with exactly 100k documents: `_count` is 100000 and `_mget` of every
 *   id `<topic>-<partition>-<offset>` of the topic finds a document, whose `n` values are
 *   exactly 0..99999, each once;
 * - every offset is committed in the end;
 * - memory stays bounded during the outage. The indexer's RSS is sampled from /proc every
 *   250 ms. While the store is down the pipeline holds at most 2 × max_poll_records (1000)
 *   buffered messages, two batches in flight (1000) and the client's stream at most its
 *   highWaterMark (1024) plus one fetch response (fetch_max_bytes, 1 MiB): ~3000 messages,
 *   under 5 MB of the ~1.2 kB events produced during the outage. Those 60k events are
 *   ~72 MB of values alone (more as JS objects), so a consumer that kept fetching into
 *   memory would grow by well over 72 MB. The bound — peak RSS during the outage ≤ peak
 *   RSS while indexing at full speed before it + 64 MB — leaves ~60 MB for V8's heap
 *   slack (a 60 s outage with little garbage collection grew RSS by up to ~35 MB in
 *   trials) and fails an unbounded consumer.
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

const TOTAL = 100_000;
const BEFORE = 30_000;
const DURING = 60_000;
const OUTAGE_MS = Number(process.env.LOGLANE_E2E_OUTAGE_MS ?? 60_000);
const RSS_MARGIN = 64 * 1024 * 1024;

test(`store stopped for ${OUTAGE_MS / 1000} s while ${TOTAL} events are produced: the indexer pauses with bounded memory, resumes, and indexes each event exactly once`, async (t) => {
  const cleanup = cleanupStack(t);
  const dir = await tempDir(t, 'loglane-e2e-outage-');
  const broker = await BrokerProcess.start(t);
  const topic = uniqueTopic('outage');
  const group = `g-${topic}`;
  await createTopic(broker.bootstrap, topic, 3);

  const store = await LoglaneProcess.start('store', dir, 'store', (port) => `store:\n  port: ${port}\n`, 'elasticsearch');
  cleanup(() => store.kill());
  const pipeline = {
    name: 'outage',
    topics: [topic],
    group_id: group,
    max_poll_records: 500,
    session_timeout_ms: 10_000,
    outputs: [{ elasticsearch: { index: topic, retry_initial_backoff_ms: 100, retry_max_backoff_ms: 5000, request_timeout_ms: 5000 } }],
  };
  const indexer = await LoglaneProcess.start('indexer', dir, 'index', () => indexerYaml(broker.bootstrap, store.url, pipeline));
  cleanup(() => indexer.kill());

  // RSS of the indexer, sampled until the end, tagged with the phase.
  type Phase = 'before' | 'outage' | 'after';
  let phase = 'before' as Phase;
  const samples: { phase: Phase; rss: number }[] = [];
  const sampler = setInterval(() => {
    const at = phase;
    indexer.rss().then((rss) => samples.push({ phase: at, rss }), () => {});
  }, 250);
  cleanup(() => clearInterval(sampler));

  const producer = new Producer({ clientId: 'outage-producer', bootstrapBrokers: [broker.bootstrap], serializers: stringSerializers });
  cleanup(() => producer.close());
  let produced = 0;
  const produce = async (n: number, eventBytes = 400) => {
    for (let sent = 0; sent < n; sent += 1000) {
      const size = Math.min(1000, n - sent);
      await producer.send({ acks: -1, messages: Array.from({ length: size }, (_, i) => ({ topic, key: `k${produced + i}`, value: logEvent(produced + i, eventBytes) })) });
      produced += size;
    }
  };

  await produce(BEFORE);
  await eventually(async () => (((await countDocuments(store.url, topic)) ?? 0) >= BEFORE / 2 ? true : undefined), 120_000, 'half of the first events indexed');

  // The outage: the store process stops; production goes on through it.
  const outageStart = Date.now();
  await store.stop();
  phase = 'outage';
  const chunks = DURING / 1000;
  for (let c = 0; c < chunks; c++) {
    await produce(1000, 1200);
    await delay(Math.max(0, outageStart + ((c + 1) * OUTAGE_MS * 0.8) / chunks - Date.now()));
  }
  await eventually(async () => ((await indexer.metric('loglane_indexer_paused_partitions', 'pipeline="outage"')) > 0 ? true : undefined), OUTAGE_MS, 'paused partitions');
  const committedDuring = await withAdmin([broker.bootstrap], async (admin) => (await groupLag(admin, group)).reduce((n, p) => n + Math.max(0, p.committed), 0));
  await delay(Math.max(0, outageStart + OUTAGE_MS - Date.now()));
  // Still paused at the end of the outage, and nothing more committed while the store was down.
  assert.ok((await indexer.metric('loglane_indexer_paused_partitions', 'pipeline="outage"')) > 0, 'paused until the store is back');
  const committedAtEnd = await withAdmin([broker.bootstrap], async (admin) => (await groupLag(admin, group)).reduce((n, p) => n + Math.max(0, p.committed), 0));
  assert.equal(committedAtEnd, committedDuring, 'no commit while the store is down');

  await store.launch('elasticsearch');
  phase = 'after';
  const downMs = Date.now() - outageStart;
  await produce(TOTAL - BEFORE - DURING);
  assert.equal(produced, TOTAL);

  await eventually(async () => ((await countDocuments(store.url, topic)) === TOTAL ? true : undefined), 240_000, `${TOTAL} documents`);
  const lag = await eventually(
    async () => {
      const rows = await withAdmin([broker.bootstrap], (admin) => groupLag(admin, group));
      return rows.length === 3 && rows.every((r) => r.committed === r.end) ? rows : undefined;
    },
    60_000,
    'every offset committed',
  );
  clearInterval(sampler);

  // Exactly once, by id: every record's id is there, each holding a different n, all of 0..TOTAL-1.
  const ends = lag.map((r) => r.end);
  assert.equal(ends.reduce((a, b) => a + b, 0), TOTAL);
  const ids = expectedIds(topic, ends);
  const docs = await getDocuments(store.url, topic, ids);
  assert.equal(docs.size, TOTAL, 'every record has its document');
  const ns = new Set([...docs.values()].map((d) => d.n as number));
  assert.equal(ns.size, TOTAL, 'each event once');
  assert.ok([...ns].every((n) => Number.isInteger(n) && n >= 0 && n < TOTAL));
  assert.equal(await countDocuments(store.url, topic), TOTAL, 'no document besides them');

  const logs = indexer.logs();
  assert.equal(logs.match(/LOGLANE_ERR_INDEXER_OUTPUT_UNAVAILABLE/g)?.length, 1, 'one "output unavailable" line');
  assert.equal(logs.match(/output available again/g)?.length, 1, 'one "available again" line');

  const peak = (p: Phase) => Math.max(...samples.filter((s) => s.phase === p).map((s) => s.rss));
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const outage = samples.filter((s) => s.phase === 'outage');
  const third = Math.floor(outage.length / 3);
  t.diagnostic(
    `store down ${downMs} ms; indexer RSS peak before ${mb(peak('before'))} MB, during the outage ${mb(peak('outage'))} MB ` +
      `(first third ${mb(Math.max(...outage.slice(0, third).map((s) => s.rss)))} MB, last third ${mb(Math.max(...outage.slice(-third).map((s) => s.rss)))} MB), after ${mb(peak('after'))} MB; ${samples.length} samples`,
  );
  assert.ok(outage.length >= 10, 'RSS sampled during the outage');
  assert.ok(peak('outage') <= peak('before') + RSS_MARGIN, `RSS during the outage ${mb(peak('outage'))} MB ≤ ${mb(peak('before'))} + ${mb(RSS_MARGIN)} MB`);
});
