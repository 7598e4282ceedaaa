import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withAdmin } from '../../../src/kafka/admin.ts';
import { startTestBroker, uniqueTopic } from '../../helpers/broker.ts';
import { startTestStore } from '../../store/helpers.ts';
import { count, eventually, produce, runPipeline } from './helpers.ts';

test('two members of one group on a 4-partition topic, one stopped mid-stream: every event indexed once', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const topic = uniqueTopic('logs');
  await withAdmin([bootstrap], (admin) => admin.createTopics({ topics: [topic], partitions: 4, replicas: 1 }));
  const settings = { topics: [topic], group_id: `g-${topic}`, max_poll_records: 50 };
  const a = await runPipeline(t, bootstrap, store.url, { name: 'a', ...settings });
  const b = await runPipeline(t, bootstrap, store.url, { name: 'b', ...settings });
  const events = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ topic, key: `k${from + i}`, value: JSON.stringify({ n: from + i }) }));
  await produce(bootstrap, events(0, 400));
  await eventually(async () => (((await count(store.url, topic)) ?? 0) >= 100 ? true : undefined), 30_000, 'some documents');
  await b.stop();
  await produce(bootstrap, events(400, 400));
  await eventually(async () => ((await count(store.url, topic)) === 800 ? true : undefined), 60_000, '800 documents');
  await a.stop();
  assert.equal(await count(store.url, topic), 800);
});
