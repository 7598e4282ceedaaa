/**
 * Real Elasticsearch clients against the embedded store (`loglane store`, a child
 * process): the official @elastic/elasticsearch 9.x and 8.x clients (info, indices.*,
 * helpers.bulk of LOGLANE_COMPAT_BULK_DOCS documents — 1,000,000 by default — with forced
 * per-item 429s that the helper retries, get, count) and elasticsearch-py 7.17 (the
 * seeds' validation step).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { Client as Client9 } from '@elastic/elasticsearch';
import { Client as Client8 } from 'es8';
import { REPO_ROOT, startCli, tempDir } from '../helpers/cli.ts';

const BULK_DOCS = Number(process.env.LOGLANE_COMPAT_BULK_DOCS ?? 1_000_000);
const REJECT_EVERY = 97;

type TestContext = Parameters<Parameters<typeof test>[0] & object>[0];

async function startStore(t: { after: (fn: () => void | Promise<void>) => void }, storeConfig: string) {
  const cwd = await tempDir(t, 'loglane-store-compat-');
  await writeFile(path.join(cwd, 'loglane.yml'), `data_dir: ${path.join(cwd, 'data')}\nadmin:\n  port: 0\nlog:\n  level: warn\nstore:\n  port: 0\n${storeConfig}`);
  const proc = startCli(['store'], { cwd });
  t.after(async () => {
    proc.child.kill('SIGTERM');
    await proc.exited;
  });
  const match = await proc.waitForLine(/elasticsearch\s+127\.0\.0\.1:(\d+)/);
  return `http://127.0.0.1:${match[1]}`;
}

async function* logDocuments(count: number) {
  const levels = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR'];
  const start = Date.UTC(2024, 4, 1);
  for (let i = 0; i < count; i++) {
    yield {
      '@timestamp': new Date(start + i * 10).toISOString(),
      level: levels[i % levels.length],
      service: `svc-${i % 7}`,
      seq: i,
      message: `GET /api/items/${i} completed in ${i % 997} ms for user ${i % 10007}`,
    };
  }
}

for (const [name, Client] of [
  ['@elastic/elasticsearch 9', Client9],
  ['@elastic/elasticsearch 8', Client8 as unknown as typeof Client9],
] as const) {
  test(`${name}: info, indices.*, helpers.bulk of ${BULK_DOCS} documents with forced 429s retried to success, get, count`, { timeout: 900_000 }, async (t: TestContext) => {
    const url = await startStore(t, `  test_reject_every_nth_item: ${REJECT_EVERY}\n`);
    const client = new Client({ node: url });
    t.after(() => client.close());
    const info = await client.info();
    assert.equal(info.version.build_flavor, 'default');
    const index = 'compat-logs';
    assert.equal(await client.indices.exists({ index }), false);
    assert.equal((await client.indices.create({ index, mappings: { properties: { '@timestamp': { type: 'date' } } } })).acknowledged, true);
    assert.equal(await client.indices.exists({ index }), true);
    assert.equal((await client.indices.putMapping({ index, properties: { level: { type: 'keyword' }, seq: { type: 'long' } } })).acknowledged, true);
    const mapping = await client.indices.getMapping({ index });
    assert.deepEqual(mapping[index]!.mappings.properties!.level, { type: 'keyword' });

    let dropped = 0;
    const stats = await client.helpers.bulk({
      datasource: logDocuments(BULK_DOCS),
      onDocument: (doc) => ({ create: { _index: index, _id: `doc-${doc.seq}` } }),
      onDrop: () => {
        dropped++;
      },
      retries: 5,
      wait: 50,
      concurrency: 4,
      refreshOnCompletion: index,
    });
    assert.equal(dropped, 0);
    assert.equal(stats.failed, 0);
    assert.equal(stats.successful, BULK_DOCS);
    assert.ok(stats.retry > 0, 'the test mode rejected some items and the helper retried them');
    t.diagnostic(`${name}: ${BULK_DOCS} documents in ${stats.time} ms (${Math.round((BULK_DOCS / stats.time) * 1000)} docs/s), ${stats.retry} retried items`);

    const doc = await client.get<{ seq: number; level: string }>({ index, id: `doc-${BULK_DOCS - 1}` });
    assert.equal(doc.found, true);
    assert.equal(doc._source!.seq, BULK_DOCS - 1);
    assert.equal((await client.count({ index })).count, BULK_DOCS);
    assert.equal((await client.count({ index, query: { term: { level: 'ERROR' } } })).count, BULK_DOCS / 5);
    assert.equal((await client.indices.delete({ index })).acknowledged, true);
    assert.equal(await client.indices.exists({ index }), false);
  });
}

test('elasticsearch-py 7.17 helpers.bulk of 50 log documents into logs, then count == 50', async (t) => {
  const url = await startStore(t, '');
  const { stdout } = await promisify(execFile)('/usr/bin/python3', [path.join(REPO_ROOT, 'test/compat/clients/store_py_bulk.py'), url]);
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as { success: number; errors: unknown[]; count: number };
  assert.equal(result.success, 50);
  assert.deepEqual(result.errors, []);
  assert.equal(result.count, 50);
});
