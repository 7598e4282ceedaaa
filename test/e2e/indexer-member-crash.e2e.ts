import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { groupLag, withAdmin } from '../../src/kafka/admin.ts';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { startTestStore } from '../store/helpers.ts';
import { count, eventually, produce, runPipeline } from '../indexer/pipeline/helpers.ts';

/**
 * In-process variant of indexer-group-crash.e2e.ts (moved out of the unit suite for its
 * time): one pipeline member in a child process, SIGKILLed; the survivor indexes all.
 */
const MEMBER = path.join(import.meta.dirname, '..', 'indexer', 'pipeline', 'member.ts');

test('a member killed with SIGKILL mid-stream: the group indexes every event, and commits never pass indexed documents', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const topic = uniqueTopic('logs');
  const group = `g-${topic}`;
  await withAdmin([bootstrap], (admin) => admin.createTopics({ topics: [topic], partitions: 6, replicas: 1 }));
  const child = spawn(process.execPath, [MEMBER, bootstrap, store.url, topic, group], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('joined')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`member exited with ${code}`)));
  });
  await produce(bootstrap, Array.from({ length: 3000 }, (_, i) => ({ topic, key: `k${i}`, value: JSON.stringify({ n: i }) })));
  await eventually(async () => (((await count(store.url, topic)) ?? 0) >= 300 ? true : undefined), 30_000, 'some documents');
  child.kill('SIGKILL');
  // Whatever the killed member committed is indexed.
  const committed = await withAdmin([bootstrap], async (admin) => (await groupLag(admin, group)).reduce((n, p) => n + Math.max(p.committed, 0), 0));
  assert.ok(committed <= ((await count(store.url, topic)) ?? 0), `committed ${committed} ≤ indexed`);
  await runPipeline(t, bootstrap, store.url, { name: 'survivor', topics: [topic], group_id: group, session_timeout_ms: 6000 });
  await eventually(async () => ((await count(store.url, topic)) === 3000 ? true : undefined), 60_000, '3000 documents');
});
