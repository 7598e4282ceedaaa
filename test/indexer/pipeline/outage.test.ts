import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupLag, withAdmin } from '../../../src/kafka/admin.ts';
import { startTestBroker, uniqueTopic } from '../../helpers/broker.ts';
import { startTestStore } from '../../store/helpers.ts';
import { indexerMetrics } from '../../../src/indexer/pipeline/metrics.ts';
import { capturingLogger, count, eventually, produce, runPipeline } from './helpers.ts';

const committed = (bootstrap: string, group: string) => withAdmin([bootstrap], async (admin) => (await groupLag(admin, group)).reduce((n, p) => n + Math.max(p.committed, 0), 0));

test('store outage: the pipeline pauses, never commits past unindexed events, and indexes every event exactly once after the restart', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const first = await startTestStore(t);
  const port = Number(new URL(first.url).port);
  const topic = uniqueTopic('logs');
  const group = `g-${topic}`;
  const log = capturingLogger();
  const events = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ topic, value: JSON.stringify({ n: from + i, message: `event ${from + i}` }) }));
  await runPipeline(t, bootstrap, first.url, {
    name: 'outage',
    topics: [topic],
    group_id: group,
    max_poll_records: 100,
    outputs: [{ elasticsearch: { retry_initial_backoff_ms: 20, retry_max_backoff_ms: 200, request_timeout_ms: 2000 } }],
  }, log.logger);
  await produce(bootstrap, events(0, 500));
  await eventually(async () => ((await count(first.url, topic)) === 500 ? true : undefined), 30_000, 'the first 500 documents');
  await eventually(async () => ((await committed(bootstrap, group)) === 500 ? true : undefined), 30_000, 'offsets committed up to 500');

  await first.store.stop();
  await produce(bootstrap, events(500, 1500));
  // The output retries against the stopped store: consumption pauses with at most
  // 2 × max_poll_records messages buffered, and nothing past the indexed events is committed.
  const paused = async () => (await indexerMetrics.pausedPartitions.get()).values.find((v) => v.labels.pipeline === 'outage')?.value;
  await eventually(async () => (((await paused()) ?? 0) > 0 ? true : undefined), 30_000, 'paused partitions');
  assert.equal(await committed(bootstrap, group), 500);
  const unavailable = log.lines.filter((l) => l.code === 'LOGLANE_ERR_INDEXER_OUTPUT_UNAVAILABLE');
  assert.equal(unavailable.length, 1);

  const second = await startTestStore(t, { port }, { dir: first.dir });
  await eventually(async () => ((await count(second.url, topic)) === 2000 ? true : undefined), 60_000, '2000 documents after the restart');
  await eventually(async () => ((await committed(bootstrap, group)) === 2000 ? true : undefined), 30_000, 'offsets committed up to 2000');
  assert.equal(log.lines.filter((l) => l.msg === 'output available again: resuming consumption').length, 1);
  assert.equal(await paused(), 0);
  // Exactly once: ids are topic-partition-offset, so 2000 documents are the 2000 events, none twice.
  for (const offset of [0, 499, 500, 1999]) {
    const doc = await second.request('GET', `/${topic}/_doc/${topic}-0-${offset}`);
    assert.equal(doc.body._source.n, offset);
  }
});
