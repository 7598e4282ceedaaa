/**
 * Random aggregation requests (types, options and values drawn from what users send and
 * get wrong) never crash: each either answers or throws an EsError with an HTTP status
 * and an Elasticsearch exception type. Seeded, bounded to a fixed number of requests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EsError } from '../../../../src/store/errors.ts';
import { runAggregations, validateAggregations } from '../../../../src/store/search/aggs/index.ts';
import { fakeSource, SALES_DOCS, SALES_MAPPING } from './fake-source.ts';

const TYPES = ['terms', 'date_histogram', 'histogram', 'range', 'date_range', 'filter', 'filters', 'missing', 'avg', 'sum', 'min', 'max', 'value_count', 'cardinality', 'stats', 'extended_stats', 'percentiles', 'top_hits', 'tems', 'composite'];
const FIELDS = ['price', 'date', 'type', 'promoted', 'rating', 'nope', 'tags'];
const OPTIONS = [
  'field', 'size', 'order', 'min_doc_count', 'missing', 'include', 'exclude', 'calendar_interval', 'fixed_interval', 'interval', 'time_zone', 'offset',
  'extended_bounds', 'hard_bounds', 'format', 'keyed', 'ranges', 'filters', 'other_bucket', 'other_bucket_key', 'percents', 'sigma', 'shard_size', 'bogus',
];
const VALUES: unknown[] = [
  0, 1, -1, 2.5, 50, 1e12, 'price', 'date', 'type', '1d', '1h', 'month', '2d', '1M', 'week', '+6h', '-01:00', 'Europe/Berlin', 'Mars/X', 'now-1d/d',
  '2015-01-01', 'yyyy-MM-dd', '#.0', 'QQQ', '', true, false, null, [], [1, 50, 99], ['hat'], [{ to: 100 }, { from: 100 }], [{ from: 'x' }], {}, { min: 0, max: 500 },
  { min: '2015-01-01', max: '2015-03-01' }, { _count: 'desc' }, { _key: 'asc' }, { sub: 'desc' }, { 'sub.avg': 'asc' }, { a: { term: { type: 'hat' } } },
  [{ term: { type: 'hat' } }], '[a-z]+', '(', 'a|b',
];

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function randomAggs(rand: () => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const count = 1 + Math.floor(rand() * 2);
  for (let i = 0; i < count; i++) {
    const type = pick(rand, TYPES);
    const body: Record<string, unknown> = {};
    if (type === 'filter') Object.assign(body, { term: { type: 'hat' } });
    else {
      if (rand() < 0.9) body.field = pick(rand, FIELDS);
      const n = Math.floor(rand() * 4);
      for (let k = 0; k < n; k++) body[pick(rand, OPTIONS)] = pick(rand, VALUES);
    }
    const def: Record<string, unknown> = { [type]: body };
    if (depth < 2 && rand() < 0.4) def.aggs = randomAggs(rand, depth + 1);
    if (rand() < 0.1) def.meta = { n: i };
    out[i === 0 && rand() < 0.3 ? 'sub' : `a${depth}_${i}`] = def;
  }
  return out;
}

test('3000 random aggregation requests answer or fail with an EsError', () => {
  const source = fakeSource(SALES_DOCS, SALES_MAPPING, { maxBuckets: 500 });
  const rand = random(20261123);
  let answered = 0;
  let rejected = 0;
  for (let i = 0; i < 3000; i++) {
    const aggs = randomAggs(rand, 0);
    try {
      validateAggregations(aggs);
      const result = runAggregations(aggs, source, source.all);
      JSON.stringify(result);
      answered++;
    } catch (error) {
      if (!(error instanceof EsError)) assert.fail(`request ${JSON.stringify(aggs)} crashed: ${(error as Error).stack}`);
      assert.ok(error.status >= 400 && error.status < 600);
      assert.match(error.type, /^[a-z_]+$/);
      rejected++;
    }
  }
  assert.ok(answered > 100, `only ${answered} answered`);
  assert.ok(rejected > 100, `only ${rejected} rejected`);
});
