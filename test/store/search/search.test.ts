import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestStore, uniqueIndex } from '../helpers.ts';

const LOGS = [
  { '@timestamp': '2024-05-01T10:00:00Z', level: 'info', service: 'api', message: 'payment accepted for order 1', bytes: 100 },
  { '@timestamp': '2024-05-01T10:05:00Z', level: 'error', service: 'api', message: 'payment failed: card declined', bytes: 250 },
  { '@timestamp': '2024-05-01T11:00:00Z', level: 'warn', service: 'web', message: 'slow response from payment service', bytes: 50 },
  { '@timestamp': '2024-05-01T11:30:00Z', level: 'error', service: 'web', message: 'payment failed after retry', bytes: 75 },
  { '@timestamp': '2024-05-01T12:00:00Z', level: 'info', service: 'worker', message: 'job done', tags: ['a', 'b'] },
];

async function setup(t: Parameters<typeof startTestStore>[0]) {
  const store = await startTestStore(t);
  const index = uniqueIndex('logs');
  const lines = LOGS.flatMap((doc, i) => [{ index: { _index: index, _id: String(i + 1) } }, doc]);
  const res = await store.bulk(lines, '/_bulk?refresh=true');
  assert.equal(res.body.errors, false);
  return { store, index };
}

test('_search: response shape, match, term, bool + range, sort, from/size, _source filtering', async (t) => {
  const { store, index } = await setup(t);
  const all = await store.request('GET', `/${index}/_search`);
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(Object.keys(all.body), ['took', 'timed_out', '_shards', 'hits']);
  assert.deepEqual(all.body.hits.total, { value: 5, relation: 'eq' });
  assert.equal(all.body.hits.max_score, 1);
  assert.deepEqual(Object.keys(all.body.hits.hits[0]), ['_index', '_id', '_score', '_source']);

  const match = await store.request('POST', `/${index}/_search`, { query: { match: { message: 'payment failed' } } });
  assert.equal(match.body.hits.total.value, 4);
  assert.ok(['2', '4'].includes(match.body.hits.hits[0]._id), 'both words rank first');
  assert.ok(match.body.hits.hits[0]._score >= match.body.hits.hits[3]._score);
  assert.ok(match.body.hits.max_score > 0);

  const and = await store.request('POST', `/${index}/_search`, { query: { match: { message: { query: 'payment failed', operator: 'and' } } } });
  assert.deepEqual(and.body.hits.hits.map((h: { _id: string }) => h._id).sort(), ['2', '4']);

  const bool = await store.request('POST', `/${index}/_search`, {
    query: { bool: { filter: [{ term: { level: 'error' } }, { range: { '@timestamp': { gte: '2024-05-01T10:00:00Z', lt: '2024-05-01T11:00:00Z' } } }] } },
  });
  assert.deepEqual(bool.body.hits.hits.map((h: { _id: string }) => h._id), ['2']);
  assert.equal(bool.body.hits.hits[0]._score, 0);

  const sorted = await store.request('POST', `/${index}/_search`, { sort: [{ '@timestamp': 'desc' }], size: 2, from: 1, _source: ['level'] });
  assert.deepEqual(sorted.body.hits.hits.map((h: { _id: string }) => h._id), ['4', '3']);
  assert.deepEqual(sorted.body.hits.hits[0]._source, { level: 'error' });
  assert.deepEqual(sorted.body.hits.hits[0].sort, [Date.parse('2024-05-01T11:30:00Z')]);
  assert.equal(sorted.body.hits.hits[0]._score, null);
  assert.equal(sorted.body.hits.max_score, null);

  const missing = await store.request('POST', `/${index}/_search`, { sort: [{ bytes: { order: 'asc', missing: '_first' } }, 'level.keyword'] });
  assert.deepEqual(missing.body.hits.hits.map((h: { _id: string }) => h._id), ['5', '3', '4', '1', '2']);

  const noSource = await store.request('GET', `/${index}/_search?q=service:web&_source=false&sort=bytes:desc`);
  assert.deepEqual(noSource.body.hits.hits.map((h: { _id: string; _source?: unknown }) => [h._id, h._source]), [['4', undefined], ['3', undefined]]);
});

test('_search: query_string, simple_query_string, kql, multi_match, phrase, prefix, wildcard, regexp, fuzzy, exists, ids, terms', async (t) => {
  const { store, index } = await setup(t);
  const ids = async (query: unknown) => {
    const res = await store.request('POST', `/${index}/_search`, { query, size: 100 });
    assert.equal(res.status, 200, res.text);
    return res.body.hits.hits.map((h: { _id: string }) => h._id).sort();
  };
  assert.deepEqual(await ids({ query_string: { query: '"payment failed" AND service:api' } }), ['2']);
  assert.deepEqual(await ids({ query_string: { query: 'level:error -service:web' } }), ['2']);
  assert.deepEqual(await ids({ query_string: { query: 'bytes:[60 TO 200]' } }), ['1', '4']);
  assert.deepEqual(await ids({ query_string: { query: '_exists_:tags' } }), ['5']);
  assert.deepEqual(await ids({ query_string: { query: 'pay*', default_field: 'message' } }), ['1', '2', '3', '4']);
  assert.deepEqual(await ids({ simple_query_string: { query: 'payment +retry', fields: ['message'], default_operator: 'and' } }), ['4']);
  assert.deepEqual(await ids({ kql: { query: 'level: error and not service: web' } }), ['2']);
  assert.deepEqual(await ids({ multi_match: { query: 'web', fields: ['service', 'message^2'] } }), ['3', '4']);
  assert.deepEqual(await ids({ match_phrase: { message: 'failed after' } }), ['4']);
  assert.deepEqual(await ids({ match_phrase: { message: { query: 'payment retry', slop: 2 } } }), ['4']);
  assert.deepEqual(await ids({ match_phrase_prefix: { message: 'payment fai' } }), ['2', '4']);
  assert.deepEqual(await ids({ prefix: { service: 'wo' } }), ['5']);
  assert.deepEqual(await ids({ wildcard: { service: { value: 'w*b' } } }), ['3', '4']);
  assert.deepEqual(await ids({ regexp: { level: 'err.r' } }), ['2', '4']);
  assert.deepEqual(await ids({ fuzzy: { level: { value: 'eror' } } }), ['2', '4']);
  assert.deepEqual(await ids({ match: { message: { query: 'paymnt', fuzziness: 'AUTO' } } }), ['1', '2', '3', '4']);
  assert.deepEqual(await ids({ exists: { field: 'bytes' } }), ['1', '2', '3', '4']);
  assert.deepEqual(await ids({ ids: { values: ['1', '5', 'x'] } }), ['1', '5']);
  assert.deepEqual(await ids({ terms: { level: ['warn', 'info'] } }), ['1', '3', '5']);
  assert.deepEqual(await ids({ term: { tags: 'b' } }), ['5']);
  assert.deepEqual(await ids({ bool: { should: [{ term: { level: 'warn' } }, { term: { service: 'worker' } }] } }), ['3', '5']);
  assert.deepEqual(await ids({ bool: { should: [{ term: { level: 'error' } }, { term: { service: 'api' } }], minimum_should_match: 2 } }), ['2']);
  assert.deepEqual(await ids({ bool: { must_not: [{ term: { level: 'error' } }] } }), ['1', '3', '5']);
  assert.deepEqual(await ids({ range: { '@timestamp': { gte: '2024-05-01T11:00:00Z||/h', lte: '2024-05-01T11:10:00Z||/h' } } }), ['3', '4']);
  const cs = await store.request('POST', `/${index}/_search`, { query: { constant_score: { filter: { term: { level: 'warn' } }, boost: 3 } } });
  assert.equal(cs.body.hits.hits[0]._score, 3);
});

test('_search: errors are shaped like Elasticsearch and never 500', async (t) => {
  const { store, index } = await setup(t);
  const unknown = await store.request('POST', `/${index}/_search`, { query: { nope: {} } });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.type, 'parsing_exception');
  const badKey = await store.request('POST', `/${index}/_search`, { query: { match_all: {} }, foo: 1 });
  assert.equal(badKey.body.error.type, 'parsing_exception');
  assert.match(badKey.body.error.reason, /Unknown key for a VALUE_NUMBER in \[foo\]/);
  const lucene = await store.request('POST', `/${index}/_search`, { query: { query_string: { query: 'level:(error' } } });
  assert.equal(lucene.status, 400);
  assert.equal(lucene.body.error.type, 'search_phase_execution_exception');
  assert.equal(lucene.body.error.root_cause[0].type, 'query_shard_exception');
  assert.equal(lucene.body.error.caused_by.caused_by?.type ?? lucene.body.error.failed_shards[0].reason.caused_by.type, 'parse_exception');
  const number = await store.request('POST', `/${index}/_search`, { query: { term: { bytes: 'abc' } } });
  assert.equal(number.status, 400);
  assert.equal(number.body.error.root_cause[0].type, 'query_shard_exception');
  const window = await store.request('GET', `/${index}/_search?from=9995&size=10`);
  assert.equal(window.status, 400);
  assert.match(window.body.error.root_cause[0].reason, /Result window is too large, from \+ size must be less than or equal to: \[10000\] but was \[10005\]/);
  const text = await store.request('POST', `/${index}/_search`, { sort: ['message'] });
  assert.equal(text.status, 400);
  assert.equal(text.body.error.root_cause[0].type, 'illegal_argument_exception');
  const noIndex = await store.request('GET', '/nope-index/_search');
  assert.equal(noIndex.status, 404);
  const ignored = await store.request('GET', `/nope-index,${index}/_search?ignore_unavailable=true`);
  assert.equal(ignored.body.hits.total.value, 5);
});

test('track_total_hits, terminate_after, size 0, highlight, fields, docvalue_fields, count with query_string', async (t) => {
  const { store, index } = await setup(t);
  const capped = await store.request('POST', `/${index}/_search`, { track_total_hits: 2, size: 0 });
  assert.deepEqual(capped.body.hits.total, { value: 2, relation: 'gte' });
  assert.deepEqual(capped.body.hits.hits, []);
  const off = await store.request('POST', `/${index}/_search`, { track_total_hits: false });
  assert.equal(off.body.hits.total, undefined);
  const hl = await store.request('POST', `/${index}/_search`, {
    query: { match: { message: 'failed' } },
    highlight: { pre_tags: ['['], post_tags: [']'], fields: { message: {} } },
    sort: ['@timestamp'],
    fields: ['level', { field: '@timestamp', format: 'yyyy-MM-dd' }],
    docvalue_fields: ['bytes'],
  });
  assert.deepEqual(hl.body.hits.hits[0].highlight, { message: ['payment [failed]: card declined'] });
  assert.deepEqual(hl.body.hits.hits[0].fields, { level: ['error'], '@timestamp': ['2024-05-01'], bytes: [250] });
  const count = await store.request('GET', `/${index}/_count?q=message:payment AND level:error`);
  assert.equal(count.body.count, 2);
  const countBody = await store.request('POST', `/${index}/_count`, { query: { match_phrase: { message: 'payment failed' } } });
  assert.equal(countBody.body.count, 2);
});

test('search_after, scroll and point in time page through every document once, in order', async (t) => {
  const store = await startTestStore(t);
  const index = uniqueIndex('page');
  const lines = [];
  for (let i = 0; i < 250; i++) lines.push({ index: { _index: index, _id: `d${i}` } }, { n: i % 7, seq: i });
  await store.bulk(lines, '/_bulk?refresh=true');
  // search_after
  const seen: number[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const res = await store.request('POST', `/${index}/_search`, { size: 40, sort: [{ n: 'desc' }, { seq: 'asc' }], ...(after ? { search_after: after } : {}) });
    assert.equal(res.status, 200, res.text);
    if (res.body.hits.hits.length === 0) break;
    for (const h of res.body.hits.hits) seen.push(h._source.seq);
    after = res.body.hits.hits.at(-1).sort;
  }
  const expected = Array.from({ length: 250 }, (_, i) => i).sort((a, b) => (b % 7) - (a % 7) || a - b);
  assert.deepEqual(seen, expected);
  // scroll
  let res = await store.request('POST', `/${index}/_search?scroll=1m`, { size: 100, sort: ['seq'] });
  const scrolled: number[] = res.body.hits.hits.map((h: { _source: { seq: number } }) => h._source.seq);
  assert.equal(res.body.hits.total.value, 250);
  const id = res.body._scroll_id;
  assert.ok(id);
  await store.bulk([{ index: { _index: index, _id: 'late' } }, { n: 0, seq: -1 }], '/_bulk?refresh=true');
  for (;;) {
    res = await store.request('POST', '/_search/scroll', { scroll: '1m', scroll_id: id });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.hits.total.value, 250);
    if (res.body.hits.hits.length === 0) break;
    scrolled.push(...res.body.hits.hits.map((h: { _source: { seq: number } }) => h._source.seq));
  }
  assert.deepEqual(scrolled, Array.from({ length: 250 }, (_, i) => i));
  const cleared = await store.request('DELETE', '/_search/scroll', { scroll_id: [id] });
  assert.deepEqual(cleared.body, { succeeded: true, num_freed: 1 });
  const gone = await store.request('POST', '/_search/scroll', { scroll_id: id });
  assert.equal(gone.status, 404);
  // point in time
  const pit = await store.request('POST', `/${index}/_pit?keep_alive=1m`);
  assert.equal(pit.status, 200, pit.text);
  const pitSeen: number[] = [];
  let pitAfter: unknown[] | undefined;
  for (;;) {
    const page = await store.request('POST', '/_search', { size: 60, pit: { id: pit.body.id, keep_alive: '1m' }, sort: [{ n: 'asc' }], ...(pitAfter ? { search_after: pitAfter } : {}) });
    assert.equal(page.status, 200, page.text);
    assert.equal(page.body.pit_id, pit.body.id);
    if (page.body.hits.hits.length === 0) break;
    pitSeen.push(...page.body.hits.hits.map((h: { _source: { seq: number } }) => h._source.seq));
    pitAfter = page.body.hits.hits.at(-1).sort;
    assert.equal(pitAfter!.length, 2);
  }
  assert.equal(pitSeen.length, 251);
  assert.equal(new Set(pitSeen).size, 251);
  const closed = await store.request('DELETE', '/_pit', { id: pit.body.id });
  assert.deepEqual(closed.body, { succeeded: true, num_freed: 1 });
});

test('_msearch, _field_caps, _mapping/field and aggregations', async (t) => {
  const { store, index } = await setup(t);
  const body = [
    JSON.stringify({ index }),
    JSON.stringify({ query: { term: { level: 'error' } }, size: 0 }),
    JSON.stringify({ index: [index], ignore_unavailable: true }),
    JSON.stringify({ query: { query_string: { query: 'level:(' } } }),
  ].join('\n');
  const ms = await store.request('POST', '/_msearch', undefined, { raw: `${body}\n`, headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(ms.status, 200, ms.text);
  assert.equal(ms.body.responses[0].hits.total.value, 2);
  assert.equal(ms.body.responses[0].status, 200);
  assert.equal(ms.body.responses[1].status, 400);
  assert.equal(ms.body.responses[1].error.type, 'search_phase_execution_exception');
  const caps = await store.request('GET', `/${index}/_field_caps?fields=level*,message,@timestamp`);
  assert.deepEqual(caps.body.fields['level.keyword'], { keyword: { type: 'keyword', metadata_field: false, searchable: true, aggregatable: true } });
  assert.equal(caps.body.fields.message.text.aggregatable, false);
  const fm = await store.request('GET', `/${index}/_mapping/field/level`);
  assert.deepEqual(fm.body[index].mappings.level.full_name, 'level');
  const aggs = await store.request('POST', `/${index}/_search`, {
    size: 0,
    query: { range: { '@timestamp': { gte: '2024-05-01T00:00:00Z' } } },
    aggs: { per_hour: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { levels: { terms: { field: 'level.keyword' } }, avg_bytes: { avg: { field: 'bytes' } } } } },
  });
  assert.equal(aggs.status, 200, aggs.text);
  const buckets = aggs.body.aggregations.per_hour.buckets;
  assert.deepEqual(buckets.map((b: { doc_count: number }) => b.doc_count), [2, 2, 1]);
  assert.deepEqual(buckets[0].levels.buckets, [
    { key: 'error', doc_count: 1 },
    { key: 'info', doc_count: 1 },
  ]);
  assert.equal(buckets[0].avg_bytes.value, 175);
  const tooMany = await store.request('POST', `/${index}/_search`, { size: 0, aggs: { h: { date_histogram: { field: '@timestamp', fixed_interval: '1ms' } } } });
  assert.ok(tooMany.status === 400 || tooMany.status === 503, tooMany.text);
  assert.equal(tooMany.body.error.type, 'search_phase_execution_exception');
  assert.equal(tooMany.body.error.root_cause[0].type, 'too_many_buckets_exception');
});

test('typed_keys prefixes aggregation names with their type, nested ones too', async (t) => {
  const { store, index } = await setup(t);
  const res = await store.request('POST', `/${index}/_search?typed_keys=true`, {
    size: 0,
    aggs: { per_hour: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { avg_bytes: { avg: { field: 'bytes' } } } }, top: { terms: { field: 'service.keyword' } } },
  });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(Object.keys(res.body.aggregations).sort(), ['date_histogram#per_hour', 'sterms#top']);
  const hist = res.body.aggregations['date_histogram#per_hour'];
  assert.equal(hist.buckets[0]['avg#avg_bytes'].value, 175);
});
