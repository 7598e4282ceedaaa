/**
 * The terms aggregation. Sales expectations follow Elasticsearch's reference pages
 * (terms: buckets by doc_count desc, ties by key asc; `doc_count_error_upper_bound: 0`
 * on one shard); `sum_other_doc_count` follows one shard's algorithm: the top
 * `shard_size` (size × 1.5 + 10) buckets are kept, `min_doc_count` drops buckets without
 * counting them as "other", and buckets past `size` are counted as other.
 */
import { fakeSource, SALES_DOCS, SALES_MAPPING } from './fake-source.ts';
import { runCases } from './run-cases.ts';

const sales = fakeSource(SALES_DOCS, SALES_MAPPING);
const letters = fakeSource(
  [...'aaaaabbbc'].map((l, i) => ({ l, n: i, tags: i % 2 ? ['x', 'y', 'x'] : ['x'], color: i < 3 ? 'red' : undefined })),
  { l: 'keyword', n: 'long', tags: 'keyword', color: 'keyword', message: 'text' },
);

const hats = { key: 'hat', doc_count: 3 };
const shirts = { key: 't-shirt', doc_count: 3 };
const bags = { key: 'bag', doc_count: 1 };
const terms = (buckets: unknown[], other = 0) => ({ doc_count_error_upper_bound: 0, sum_other_doc_count: other, buckets });

runCases([
  { name: 'terms: by count desc, ties by key asc', source: sales, aggs: { t: { terms: { field: 'type' } } }, expected: { t: terms([hats, shirts, bags]) } },
  { name: 'size 1 leaves the rest to sum_other_doc_count', source: sales, aggs: { t: { terms: { field: 'type', size: 1 } } }, expected: { t: terms([hats], 4) } },
  { name: 'order by _key asc', source: sales, aggs: { t: { terms: { field: 'type', order: { _key: 'asc' } } } }, expected: { t: terms([bags, hats, shirts]) } },
  { name: 'order by _key desc', source: sales, aggs: { t: { terms: { field: 'type', order: { _key: 'desc' } } } }, expected: { t: terms([shirts, hats, bags]) } },
  { name: 'order by _count asc', source: sales, aggs: { t: { terms: { field: 'type', order: { _count: 'asc' } } } }, expected: { t: terms([bags, hats, shirts]) } },
  {
    name: 'order by a sub-metric, ties by key',
    source: sales,
    aggs: { t: { terms: { field: 'type', order: { avg_price: 'desc' } }, aggs: { avg_price: { avg: { field: 'price' } } } } },
    expected: {
      t: terms([
        { ...bags, avg_price: { value: 150 } },
        { ...hats, avg_price: { value: 150 } },
        { ...shirts, avg_price: { value: 128.33333333333334 } },
      ]),
    },
  },
  {
    name: 'order by a multi-value metric key (stats.max) then count (array of orders)',
    source: sales,
    aggs: { t: { terms: { field: 'type', order: [{ 'stats.max': 'asc' }, { _count: 'desc' }] }, aggs: { stats: { stats: { field: 'price' } } } } },
    expected: {
      t: terms([
        { ...bags, stats: { count: 1, min: 150, max: 150, avg: 150, sum: 150 } },
        { ...hats, stats: { count: 3, min: 50, max: 200, avg: 150, sum: 450 } },
        { ...shirts, stats: { count: 3, min: 10, max: 200, avg: 128.33333333333334, sum: 385 } },
      ]),
    },
  },
  {
    name: 'order through a single-bucket aggregation (promo>avg)',
    source: sales,
    aggs: {
      t: {
        terms: { field: 'type', order: { 'promo>avg': 'asc' } },
        aggs: { promo: { filter: { term: { promoted: true } }, aggs: { avg: { avg: { field: 'price' } } } } },
      },
    },
    expected: {
      t: terms([
        { ...shirts, promo: { doc_count: 2, avg: { value: 105 } } },
        { ...bags, promo: { doc_count: 1, avg: { value: 150 } } },
        { ...hats, promo: { doc_count: 2, avg: { value: 200 } } },
      ]),
    },
  },
  {
    name: 'sum_other_doc_count: size 1 of a:5 b:3 c:1',
    source: letters,
    aggs: { t: { terms: { field: 'l', size: 1 } } },
    expected: { t: terms([{ key: 'a', doc_count: 5 }], 4) },
  },
  {
    name: 'min_doc_count drops buckets without counting them as other',
    source: letters,
    aggs: { t: { terms: { field: 'l', size: 1, min_doc_count: 2 } } },
    expected: { t: terms([{ key: 'a', doc_count: 5 }], 3) },
  },
  {
    name: 'min_doc_count 0 lists terms without matching documents',
    source: sales,
    positions: [3, 4],
    aggs: { t: { terms: { field: 'type', min_doc_count: 0 } } },
    expected: { t: terms([{ key: 'hat', doc_count: 1 }, { key: 't-shirt', doc_count: 1 }, { key: 'bag', doc_count: 0 }]) },
  },
  {
    name: 'missing puts documents without the field in a bucket',
    source: letters,
    aggs: { t: { terms: { field: 'color', missing: 'none' } } },
    expected: { t: terms([{ key: 'none', doc_count: 6 }, { key: 'red', doc_count: 3 }]) },
  },
  {
    name: 'include as a regex',
    source: sales,
    aggs: { t: { terms: { field: 'type', include: 't-.*' } } },
    expected: { t: terms([shirts]) },
  },
  {
    name: 'exclude as an array, include as an array',
    source: sales,
    aggs: { a: { terms: { field: 'type', exclude: ['hat'] } }, b: { terms: { field: 'type', include: ['bag', 'hat'] } } },
    expected: { a: terms([shirts, bags]), b: terms([hats, bags]) },
  },
  {
    name: 'include/exclude arrays on numbers',
    source: sales,
    aggs: { r: { terms: { field: 'rating', include: [1, 5] } } },
    expected: { r: terms([{ key: 1, doc_count: 4 }, { key: 5, doc_count: 1 }]) },
  },
  {
    name: 'numeric keys are numbers without key_as_string',
    source: sales,
    aggs: { r: { terms: { field: 'rating' } } },
    expected: { r: terms([{ key: 1, doc_count: 4 }, { key: 2, doc_count: 1 }, { key: 4, doc_count: 1 }, { key: 5, doc_count: 1 }]) },
  },
  {
    name: 'boolean keys are 1/0 with key_as_string true/false',
    source: sales,
    aggs: { p: { terms: { field: 'promoted' } } },
    expected: { p: terms([{ key: 1, key_as_string: 'true', doc_count: 5 }, { key: 0, key_as_string: 'false', doc_count: 2 }]) },
  },
  {
    name: 'date keys are epoch millis with key_as_string',
    source: sales,
    aggs: { d: { terms: { field: 'date', size: 2 } } },
    expected: {
      d: terms(
        [
          { key: 1420070400000, key_as_string: '2015-01-01T00:00:00.000Z', doc_count: 3 },
          { key: 1422748800000, key_as_string: '2015-02-01T00:00:00.000Z', doc_count: 2 },
        ],
        2,
      ),
    },
  },
  {
    name: 'a multi-valued document counts once per distinct term',
    source: letters,
    aggs: { t: { terms: { field: 'tags' } } },
    expected: { t: terms([{ key: 'x', doc_count: 9 }, { key: 'y', doc_count: 4 }]) },
  },
  {
    name: 'nested terms → terms → avg',
    source: sales,
    aggs: { p: { terms: { field: 'promoted' }, aggs: { t: { terms: { field: 'type', size: 1 }, aggs: { a: { avg: { field: 'price' } } } } } } },
    expected: {
      p: terms([
        { key: 1, key_as_string: 'true', doc_count: 5, t: terms([{ key: 'hat', doc_count: 2, a: { value: 200 } }], 3) },
        { key: 0, key_as_string: 'false', doc_count: 2, t: terms([{ key: 'hat', doc_count: 1, a: { value: 50 } }], 1) },
      ]),
    },
  },
  { name: 'unmapped field: no buckets', source: sales, aggs: { t: { terms: { field: 'nope' } } }, expected: { t: terms([]) } },
  {
    name: 'unmapped field with missing: every document in the missing bucket',
    source: sales,
    aggs: { t: { terms: { field: 'nope', missing: 'n/a' } } },
    expected: { t: terms([{ key: 'n/a', doc_count: 7 }]) },
  },
  {
    name: 'terms on a text field: the fielddata error, naming the index',
    source: { ...letters, indexName: 'logs' },
    aggs: { t: { terms: { field: 'message' } } },
    error: { status: 400, type: 'illegal_argument_exception', reason: /^Fielddata is disabled on \[message\] in \[logs\]\. Text fields are not optimised/ },
  },
  {
    name: 'regex include on a numeric field',
    source: sales,
    aggs: { t: { terms: { field: 'rating', include: '1.*' } } },
    error: { status: 400, type: 'illegal_argument_exception', reason: /^Aggregation \[t\] cannot support regular expression style include\/exclude settings/ },
  },
  {
    name: 'too many buckets',
    source: fakeSource(SALES_DOCS, SALES_MAPPING, { maxBuckets: 2 }),
    aggs: { t: { terms: { field: 'type' } } },
    error: {
      status: 503,
      type: 'too_many_buckets_exception',
      reason: 'Trying to create too many buckets. Must be less than or equal to: [2] but was [3]. This limit can be set by changing the [search.max_buckets] cluster level setting.',
    },
  },
  {
    name: 'order by an aggregation that does not exist',
    source: sales,
    aggs: { t: { terms: { field: 'type', order: { nope: 'desc' } } } },
    validation: true,
    shardLevel: true,
    error: {
      status: 500,
      type: 'aggregation_execution_exception',
      reason: 'Invalid aggregation order path [nope]. The provided aggregation [nope] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.',
    },
  },
  {
    name: 'order by a multi-value metric without a metric name',
    source: sales,
    aggs: { t: { terms: { field: 'type', order: { s: 'desc' } }, aggs: { s: { stats: { field: 'price' } } } } },
    validation: true,
    shardLevel: true,
    error: { status: 500, type: 'aggregation_execution_exception', reason: /^Invalid aggregation order path \[s\]\. When ordering on a multi-value metrics aggregation a metric name must be specified/ },
  },
  {
    name: 'order by a bucket aggregation',
    source: sales,
    aggs: { t: { terms: { field: 'type', order: { sub: 'desc' } }, aggs: { sub: { terms: { field: 'type' } } } } },
    validation: true,
    shardLevel: true,
    error: { status: 500, type: 'aggregation_execution_exception', reason: /^Invalid aggregation order path \[sub\]\. Buckets can only be sorted on a sub-aggregator path/ },
  },
  {
    name: '_term (removed in 8.x) is an unknown order path',
    source: sales,
    aggs: { t: { terms: { field: 'type', order: { _term: 'asc' } } } },
    validation: true,
    shardLevel: true,
    error: {
      status: 500,
      type: 'aggregation_execution_exception',
      reason: 'Invalid aggregation order path [_term]. The provided aggregation [_term] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.',
    },
  },
  {
    name: 'size 0 is rejected',
    source: sales,
    aggs: { t: { terms: { field: 'type', size: 0 } } },
    validation: true,
    error: { status: 400, type: 'x_content_parse_exception', reason: '[terms] failed to parse field [size]', cause: '[size] must be greater than 0. Found [0] in [t]' },
  },
  {
    name: 'an unknown order direction',
    source: sales,
    aggs: { t: { terms: { field: 'type', order: { _count: 'up' } } } },
    validation: true,
    error: { status: 400, type: 'parsing_exception', reason: 'Unknown order direction [up] in terms aggregation [t]' },
  },
]);

const hosts = fakeSource(
  Array.from({ length: 60 }, (_, i) => ({ host: `h${String(i).padStart(2, '0')}`, ms: i, t: Date.UTC(2024, 0, 1, i % 10) })),
  { host: 'keyword', ms: 'long', t: 'date' },
  { maxBuckets: 40 },
);
runCases([
  {
    name: 'ordering by a metric computes it for every term, but only returned buckets count toward max_buckets (Grafana: terms by avg → date_histogram)',
    source: hosts,
    aggs: {
      t: {
        terms: { field: 'host', size: 2, order: { a: 'desc' } },
        aggs: { a: { avg: { field: 'ms' } }, h: { date_histogram: { field: 't', fixed_interval: '1h', min_doc_count: 1 } } },
      },
    },
    expected: {
      t: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 58,
        buckets: [
          { key: 'h59', doc_count: 1, a: { value: 59 }, h: { buckets: [{ key_as_string: '2024-01-01T09:00:00.000Z', key: Date.UTC(2024, 0, 1, 9), doc_count: 1 }] } },
          { key: 'h58', doc_count: 1, a: { value: 58 }, h: { buckets: [{ key_as_string: '2024-01-01T08:00:00.000Z', key: Date.UTC(2024, 0, 1, 8), doc_count: 1 }] } },
        ],
      },
    },
  },
  {
    name: 'returning every term with its date_histogram goes over max_buckets',
    source: hosts,
    aggs: { t: { terms: { field: 'host', size: 60, order: { a: 'desc' } }, aggs: { a: { avg: { field: 'ms' } }, h: { date_histogram: { field: 't', fixed_interval: '1h', min_doc_count: 1 } } } } },
    error: { status: 503, type: 'too_many_buckets_exception', reason: /^Trying to create too many buckets\. Must be less than or equal to: \[40\]/ },
  },
]);
