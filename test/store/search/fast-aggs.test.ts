/** The SQL answer for date_histogram (+ terms) gives exactly what the general aggregation path gives. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { write } from '../../../src/store/engine/documents.ts';
import { Engine } from '../../../src/store/engine/engine.ts';
import { search } from '../../../src/store/search/execute.ts';
import { fastAggsOptions, fastAggsStats } from '../../../src/store/search/fast-aggs.ts';
import { silentLogger } from '../../../src/telemetry/logger.ts';

test('fast date_histogram + terms path equals the general path', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-fastaggs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const engine = new Engine({ dir, logger: silentLogger(), version: '8.17.0', autoCreateIndex: true });
  t.after(() => engine.close());
  await engine.createIndex('a', { mappings: { properties: { '@timestamp': { type: 'date' }, level: { type: 'keyword' }, message: { type: 'text' } } } });
  await engine.createIndex('b', { mappings: { properties: { '@timestamp': { type: 'date', format: 'yyyy-MM-dd HH:mm:ss||epoch_millis' }, level: { type: 'keyword' }, message: { type: 'text' } } } });
  const levels = ['info', 'warn', 'error', 'debug'];
  for (const [name, fmt] of [['a', (t: number) => new Date(t).toISOString()], ['b', (t: number) => t]] as const) {
    const docs = Array.from({ length: 300 }, (_, i) => JSON.stringify({ '@timestamp': fmt(Date.UTC(2024, 4, 1) + i * 1_234_567), level: i % 7 === 0 ? undefined : levels[(i * 7) % 4], message: `m ${i % 3 ? 'payment' : 'other'}` }));
    const body = Buffer.from(docs.join(''));
    let at = 0;
    const items = docs.map((d, i) => {
      const item = { op: 'index' as const, index: name, id: String(i), start: at, end: at + Buffer.byteLength(d) };
      at += Buffer.byteLength(d);
      return item;
    });
    assert.equal((await write(engine, { body, items })).errors, false);
  }
  const requests: Record<string, unknown>[] = [
    { aggs: { h: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { l: { terms: { field: 'level' } } } } } },
    { query: { range: { '@timestamp': { gte: Date.UTC(2024, 4, 3), lt: Date.UTC(2024, 4, 6, 12) } } }, aggs: { h: { date_histogram: { field: '@timestamp', fixed_interval: '30m' }, aggs: { l: { terms: { field: 'level', size: 3 } } } } } },
    { query: { query_string: { query: 'payment OR level:warn' } }, aggs: { h: { date_histogram: { field: '@timestamp', fixed_interval: '1d' }, aggs: { l: { terms: { field: 'level' } } } } } },
    { query: { match: { message: 'payment' } }, aggs: { h: { date_histogram: { field: '@timestamp', calendar_interval: 'day', min_doc_count: 1 }, aggs: { l: { terms: { field: 'level', size: 2 } } } } } },
    { aggs: { h: { date_histogram: { field: '@timestamp', fixed_interval: '3h', extended_bounds: { min: '2024-04-29', max: '2024-05-12' }, format: 'yyyy-MM-dd' } } } },
  ];
  const compare = () => {
  for (const target of ['a', 'b', 'a,b']) {
    for (const request of requests) {
      fastAggsOptions.enabled = true;
      const fast = search(engine, target, { size: 0, ...request }).aggregations;
      fastAggsOptions.enabled = false;
      const general = search(engine, target, { size: 0, ...request }).aggregations;
      fastAggsOptions.enabled = true;
      assert.deepEqual(fast, general, `${target} ${JSON.stringify(request)}`);
      assert.ok(((fast as { h: { buckets: unknown[] } }).h.buckets.length) > 0);
    }
  }
  };
  const plans = () => {
    const used: string[] = [];
    for (const request of requests) {
      search(engine, 'a,b', { size: 0, ...request });
      used.push(fastAggsStats.lastPlan);
    }
    return used;
  };
  compare();
  assert.deepEqual(plans(), ['buckets', 'buckets', 'group-by', 'group-by', 'buckets']);
  // with the composite (keyword, time) index a dashboard query asks for
  fastAggsOptions.compositeIndexMinDocs = 0;
  t.after(() => {
    fastAggsOptions.compositeIndexMinDocs = 100_000;
  });
  search(engine, 'a,b', { size: 0, ...requests[0]! });
  await engine.queue.exclusive(() => undefined);
  for (const name of ['a', 'b']) {
    const index = engine.index(name);
    const [ts, level] = ['@timestamp', 'level'].map((f) => index.committedStorage.get(f)!.column);
    assert.ok(index.hasCompositeIndex(level!, ts!), name);
  }
  compare();
  // each (bucket, level) cell counted on the index; a full-text condition groups once
  assert.deepEqual(plans(), ['cells', 'cells', 'group-by', 'group-by', 'buckets']);
  // a document with two levels: the cells cannot count it, and the answer stays the general path's
  const doc = Buffer.from(JSON.stringify({ '@timestamp': '2024-05-02T10:00:00Z', level: ['warn', 'error'], message: 'two levels' }));
  assert.equal((await write(engine, { body: doc, items: [{ op: 'index', index: 'a', id: 'multi', start: 0, end: doc.length }] })).errors, false);
  compare();
  // and one with two timestamps, which a full-text condition's single GROUP BY meets too
  const times = Buffer.from(JSON.stringify({ '@timestamp': [Date.UTC(2024, 4, 2), Date.UTC(2024, 4, 3)], level: 'warn', message: 'payment twice' }));
  assert.equal((await write(engine, { body: times, items: [{ op: 'index', index: 'b', id: 'times', start: 0, end: times.length }] })).errors, false);
  compare();
});
