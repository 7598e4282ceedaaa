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

const SEARCH_DOCS = Number(process.env.LOGLANE_COMPAT_SEARCH_DOCS ?? 100_000);

/** Grafana's Elasticsearch data source `_msearch` (its documented request format): a time filter, a Lucene query, terms with a nested date_histogram. */
function grafanaMsearch(index: string, from: number, to: number): string {
  const header = { search_type: 'query_then_fetch', ignore_unavailable: true, index: [index] };
  const body = {
    size: 0,
    query: { bool: { filter: [{ range: { '@timestamp': { gte: from, lte: to, format: 'epoch_millis' } } }, { query_string: { analyze_wildcard: true, query: 'level:ERROR OR level:WARN' } }] } },
    aggs: {
      '3': {
        terms: { field: 'level', size: 10, order: { _key: 'desc' }, min_doc_count: 1 },
        aggs: { '2': { date_histogram: { field: '@timestamp', min_doc_count: 0, extended_bounds: { min: from, max: to }, format: 'epoch_millis', fixed_interval: '10s' } } },
      },
    },
  };
  return `${JSON.stringify(header)}\n${JSON.stringify(body)}\n`;
}

test(`searches with the JS clients (9 and 8) and elasticsearch-py over ${SEARCH_DOCS} documents: query_string, bool + range, terms + date_histogram + avg, search_after, scroll, Grafana's _msearch`, { timeout: 900_000 }, async (t: TestContext) => {
  const url = await startStore(t, '');
  const index = 'compat-search';
  const loader = new Client9({ node: url });
  t.after(() => loader.close());
  await loader.indices.create({ index, mappings: { properties: { '@timestamp': { type: 'date' }, level: { type: 'keyword' }, service: { type: 'keyword' }, seq: { type: 'long' }, message: { type: 'text' } } } });
  const stats = await loader.helpers.bulk({ datasource: logDocuments(SEARCH_DOCS), onDocument: (doc) => ({ index: { _index: index, _id: `d${doc.seq}` } }), refreshOnCompletion: index, concurrency: 2 });
  assert.equal(stats.successful, SEARCH_DOCS);
  // expectations computed from the generator: level by seq % 5 (INFO x3, WARN, ERROR), service by seq % 7
  const errorsOnSvc3 = Array.from({ length: SEARCH_DOCS }, (_, i) => i).filter((i) => i % 5 === 4 && i % 7 === 3).length;
  const warnInRange = Array.from({ length: 1000 }, (_, i) => 1000 + i).filter((i) => i % 5 === 3).length;
  for (const [name, Client] of [
    ['9', Client9],
    ['8', Client8 as unknown as typeof Client9],
  ] as const) {
    const client = new Client({ node: url });
    t.after(() => client.close());
    const qs = await client.search({ index, query: { query_string: { query: 'level:ERROR AND service:svc-3' } }, track_total_hits: true });
    assert.deepEqual(qs.hits.total, { value: errorsOnSvc3, relation: 'eq' }, `client ${name}`);
    const br = await client.search({ index, query: { bool: { filter: [{ term: { level: 'WARN' } }, { range: { seq: { gte: 1000, lt: 2000 } } }] } }, sort: [{ seq: 'asc' }], size: 3 });
    assert.equal((br.hits.total as { value: number }).value, warnInRange);
    assert.deepEqual(br.hits.hits.map((h) => (h._source as { seq: number }).seq), [1003, 1008, 1013]);
    const aggs = await client.search({
      index,
      size: 0,
      aggs: { levels: { terms: { field: 'level' }, aggs: { per_second: { date_histogram: { field: '@timestamp', fixed_interval: '1s' }, aggs: { avg_seq: { avg: { field: 'seq' } } } } } } },
    });
    const levels = (aggs.aggregations!.levels as { buckets: { key: string; doc_count: number; per_second: { buckets: { doc_count: number; avg_seq: { value: number } }[] } }[] }).buckets;
    assert.deepEqual(levels.map((b) => [b.key, b.doc_count]), [['INFO', (SEARCH_DOCS * 3) / 5], ['ERROR', SEARCH_DOCS / 5], ['WARN', SEARCH_DOCS / 5]]);
    // INFO in the first second: seq 0..99 with seq % 5 in {0,1,2}
    const firstInfo = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 5 < 3);
    assert.equal(levels[0]!.per_second.buckets[0]!.doc_count, firstInfo.length);
    assert.equal(levels[0]!.per_second.buckets[0]!.avg_seq.value, firstInfo.reduce((a, b) => a + b, 0) / firstInfo.length);
    // search_after through every hit
    let after: (string | number)[] | undefined;
    let seen = 0;
    let last = -1;
    for (;;) {
      const page = await client.search<{ seq: number }>({ index, size: 10_000, sort: [{ seq: 'desc' }], _source: ['seq'], ...(after ? { search_after: after } : {}) });
      if (page.hits.hits.length === 0) break;
      for (const h of page.hits.hits) {
        const seq = h._source!.seq;
        assert.equal(seq, last === -1 ? SEARCH_DOCS - 1 : last - 1, `client ${name}: search_after order`);
        last = seq;
      }
      seen += page.hits.hits.length;
      after = page.hits.hits.at(-1)!.sort as (string | number)[];
    }
    assert.equal(seen, SEARCH_DOCS);
    // scroll through the ERROR documents
    let scrolled = 0;
    for await (const result of client.helpers.scrollSearch({ index, query: { term: { level: 'ERROR' } }, size: 5000, sort: ['seq'] })) {
      for (const doc of result.documents as { seq: number; level: string }[]) assert.equal(doc.level, 'ERROR');
      scrolled += result.documents.length;
    }
    assert.equal(scrolled, SEARCH_DOCS / 5);
  }
  // Grafana's _msearch
  const from = Date.UTC(2024, 4, 1);
  const to = from + 60_000;
  const res = await fetch(`${url}/_msearch?max_concurrent_shard_requests=5`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: grafanaMsearch(index, from, to) });
  assert.equal(res.status, 200);
  const grafana = (await res.json()) as { responses: { status: number; hits: { total: { value: number } }; aggregations: Record<string, { buckets: { key: string; doc_count: number; '2': { buckets: { key: number; key_as_string: string; doc_count: number }[] } }[] }> }[] };
  const response = grafana.responses[0]!;
  assert.equal(response.status, 200);
  const inWindow = Math.min(SEARCH_DOCS, 6001);
  const expectedMatches = Array.from({ length: inWindow }, (_, i) => i).filter((i) => i % 5 >= 3).length;
  assert.equal(response.hits.total.value, expectedMatches);
  const terms = response.aggregations['3']!.buckets;
  assert.deepEqual(terms.map((b) => b.key), ['WARN', 'ERROR']);
  for (const bucket of terms) {
    const histogram = bucket['2'].buckets;
    assert.equal(histogram.length, 7, 'extended_bounds make 10 s buckets from the start to the end of the minute');
    assert.equal(histogram[0]!.key, from);
    assert.equal(histogram[0]!.key_as_string, String(from));
    assert.equal(histogram.reduce((s, b) => s + b.doc_count, 0), bucket.doc_count);
  }
  // elasticsearch-py 7.17
  const { stdout } = await promisify(execFile)('/usr/bin/python3', [path.join(REPO_ROOT, 'test/compat/clients/store_py_search.py'), url, index], { maxBuffer: 16 * 1024 * 1024 });
  const py = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  assert.equal(py.query_string, errorsOnSvc3);
  assert.equal(py.bool_range, warnInRange);
  assert.deepEqual(py.agg_levels, { INFO: (SEARCH_DOCS * 3) / 5, ERROR: SEARCH_DOCS / 5, WARN: SEARCH_DOCS / 5 });
  assert.deepEqual(py.search_after, { seen: SEARCH_DOCS, ordered: true });
  assert.equal(py.scroll, SEARCH_DOCS / 5);
});
