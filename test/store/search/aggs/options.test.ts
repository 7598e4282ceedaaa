/**
 * Less common options: `format` on numeric keys (DecimalFormat patterns), percentiles of
 * dates (`<percent>_as_string`), histograms ordered by count or by a sub-metric, terms
 * with `min_doc_count: 0` and `include`, top_hits inside buckets, and calendar intervals
 * with an offset in a time zone.
 */
import { fakeSource, SALES_DOCS, SALES_MAPPING } from './fake-source.ts';
import { runCases } from './run-cases.ts';

const sales = fakeSource(SALES_DOCS, SALES_MAPPING);
const terms = (buckets: unknown[], other = 0) => ({ doc_count_error_upper_bound: 0, sum_other_doc_count: other, buckets });

runCases([
  {
    name: 'histogram with a format prints key_as_string',
    source: sales,
    aggs: { h: { histogram: { field: 'price', interval: 100, format: '0.00' } } },
    expected: {
      h: {
        buckets: [
          { key_as_string: '0.00', key: 0, doc_count: 2 },
          { key_as_string: '100.00', key: 100, doc_count: 2 },
          { key_as_string: '200.00', key: 200, doc_count: 3 },
        ],
      },
    },
  },
  {
    name: 'numeric terms with a format print key_as_string',
    source: sales,
    aggs: { r: { terms: { field: 'rating', size: 1, format: '#.0' } } },
    expected: { r: terms([{ key: 1, key_as_string: '1.0', doc_count: 4 }], 3) },
  },
  {
    name: 'range with a format prints from/to_as_string and uses them in keys',
    source: sales,
    aggs: { r: { range: { field: 'price', format: '0.0', ranges: [{ from: 100, to: 200 }] } } },
    expected: { r: { buckets: [{ key: '100.0-200.0', from: 100, from_as_string: '100.0', to: 200, to_as_string: '200.0', doc_count: 2 }] } },
  },
  {
    name: 'percentiles of dates print <percent>_as_string',
    source: sales,
    aggs: { p: { percentiles: { field: 'date', percents: [50], format: 'yyyy-MM-dd' } } },
    expected: { p: { values: { '50.0': 1422748800000, '50.0_as_string': '2015-02-01' } } },
  },
  {
    name: 'histogram ordered by _count desc (ties by key) and by a sub-metric',
    source: sales,
    aggs: {
      c: { histogram: { field: 'price', interval: 100, order: { _count: 'desc' } } },
      m: { histogram: { field: 'price', interval: 100, order: { r: 'desc' } }, aggs: { r: { max: { field: 'rating' } } } },
    },
    expected: {
      c: {
        buckets: [
          { key: 200, doc_count: 3 },
          { key: 0, doc_count: 2 },
          { key: 100, doc_count: 2 },
        ],
      },
      m: {
        buckets: [
          { key: 100, doc_count: 2, r: { value: 5 } },
          { key: 0, doc_count: 2, r: { value: 4 } },
          { key: 200, doc_count: 3, r: { value: 1 } },
        ],
      },
    },
  },
  {
    name: 'date_histogram ordered by a sub-metric',
    source: sales,
    aggs: { m: { date_histogram: { field: 'date', calendar_interval: 'month', format: 'MM', order: { s: 'asc' } }, aggs: { s: { sum: { field: 'price' } } } } },
    expected: {
      m: {
        buckets: [
          { key_as_string: '02', key: 1422748800000, doc_count: 2, s: { value: 60 } },
          { key_as_string: '03', key: 1425168000000, doc_count: 2, s: { value: 375 } },
          { key_as_string: '01', key: 1420070400000, doc_count: 3, s: { value: 550 } },
        ],
      },
    },
  },
  {
    name: 'terms min_doc_count 0 honours include',
    source: sales,
    positions: [0],
    aggs: { t: { terms: { field: 'type', min_doc_count: 0, include: ['hat', 'bag'] } } },
    expected: { t: terms([{ key: 'hat', doc_count: 1 }, { key: 'bag', doc_count: 0 }]) },
  },
  {
    name: 'top_hits inside terms buckets',
    source: sales,
    aggs: { t: { terms: { field: 'type', size: 1 }, aggs: { top: { top_hits: { size: 1, sort: [{ price: 'asc' }] } } } } },
    expected: {
      t: terms(
        [{ key: 'hat', doc_count: 3, top: { hits: { total: { value: 3, relation: 'eq' }, max_score: null, hits: [{ _index: 'test', _id: '3', _score: null, _source: SALES_DOCS[3] }] } } }],
        4,
      ),
    },
  },
  {
    name: 'calendar day with an offset in a time zone: days from 06:00 local',
    source: fakeSource([{ t: '2024-03-01T04:30:00Z' }, { t: '2024-03-01T05:30:00Z' }], { t: 'date' }),
    aggs: { d: { date_histogram: { field: 't', calendar_interval: 'day', time_zone: '+01:00', offset: '+6h' } } },
    expected: {
      d: {
        buckets: [
          { key_as_string: '2024-02-29T06:00:00.000+01:00', key: Date.UTC(2024, 1, 29, 5), doc_count: 1 },
          { key_as_string: '2024-03-01T06:00:00.000+01:00', key: Date.UTC(2024, 2, 1, 5), doc_count: 1 },
        ],
      },
    },
  },
  {
    name: 'calendar month across the DST change in America/New_York',
    source: fakeSource([{ t: '2024-03-01T05:00:00Z' }, { t: '2024-03-31T12:00:00Z' }, { t: '2024-04-01T03:59:59Z' }, { t: '2024-04-01T04:00:00Z' }], { t: 'date' }),
    aggs: { m: { date_histogram: { field: 't', calendar_interval: 'month', time_zone: 'America/New_York' } } },
    expected: {
      m: {
        buckets: [
          { key_as_string: '2024-03-01T00:00:00.000-05:00', key: Date.UTC(2024, 2, 1, 5), doc_count: 3 },
          { key_as_string: '2024-04-01T00:00:00.000-04:00', key: Date.UTC(2024, 3, 1, 4), doc_count: 1 },
        ],
      },
    },
  },
]);

runCases([
  {
    name: 'show_term_doc_count_error adds a zero error to each bucket',
    source: sales,
    aggs: { t: { terms: { field: 'type', size: 1, show_term_doc_count_error: true } } },
    expected: { t: terms([{ key: 'hat', doc_count: 3, doc_count_error_upper_bound: 0 }], 4) },
  },
  {
    name: 'histogram interval and offset given as numeric strings',
    source: sales,
    aggs: { h: { histogram: { field: 'price', interval: '100', offset: '0', min_doc_count: 1 } } },
    expected: { h: { buckets: [{ key: 0, doc_count: 2 }, { key: 100, doc_count: 2 }, { key: 200, doc_count: 3 }] } },
  },
  {
    name: 'top_hits past index.max_inner_result_window',
    source: sales,
    aggs: { top: { top_hits: { from: 95, size: 10 } } },
    validation: true,
    shardLevel: true,
    error: {
      status: 400,
      type: 'illegal_argument_exception',
      reason:
        "Top hits result window is too large, the top hits aggregator [top]'s from + size must be less than or equal to: [100] but was [105]. This limit can be set by changing the [index.max_inner_result_window] index level setting.",
    },
  },
]);

runCases([
  {
    name: 'terms ordered by a percentile (percentiles[50]) and by a filter bucket doc_count',
    source: sales,
    aggs: {
      p: { terms: { field: 'type', order: { 'pct[50]': 'asc' } }, aggs: { pct: { percentiles: { field: 'price', percents: [50] } } } },
      f: { terms: { field: 'type', order: [{ cheap: 'desc' }, { 'cheap.doc_count': 'desc' }] }, aggs: { cheap: { filter: { range: { price: { lt: 100 } } } } } },
    },
    expected: {
      p: terms([
        { key: 't-shirt', doc_count: 3, pct: { values: { '50.0': 175 } } },
        { key: 'bag', doc_count: 1, pct: { values: { '50.0': 150 } } },
        { key: 'hat', doc_count: 3, pct: { values: { '50.0': 200 } } },
      ].sort((a, b) => a.pct.values['50.0'] - b.pct.values['50.0'])),
      f: terms([
        { key: 'hat', doc_count: 3, cheap: { doc_count: 1 } },
        { key: 't-shirt', doc_count: 3, cheap: { doc_count: 1 } },
        { key: 'bag', doc_count: 1, cheap: { doc_count: 0 } },
      ]),
    },
  },
]);

runCases([
  {
    name: 'ordering on a single-bucket aggregation takes its doc_count only',
    source: sales,
    aggs: { t: { terms: { field: 'type', order: { 'cheap.avg': 'desc' } }, aggs: { cheap: { filter: { range: { price: { lt: 100 } } } } } } },
    validation: true,
    shardLevel: true,
    error: {
      status: 500,
      type: 'aggregation_execution_exception',
      reason:
        'Invalid aggregation order path [cheap.avg]. Ordering on a single-bucket aggregation can only be done on its doc_count. Either drop the key (a la "cheap") or change it to "doc_count" (a la "cheap.doc_count") or "key".',
    },
  },
]);

const many = fakeSource(
  Array.from({ length: 40 }, (_, i) => ({ level: i % 2 ? 'info' : 'error' })),
  { level: 'keyword' },
);
runCases([
  {
    name: 'filters other bucket over a few positions of a large source',
    source: many,
    positions: [0, 1, 3],
    aggs: { f: { filters: { other_bucket: true, filters: { errors: { term: { level: 'error' } } } } } },
    expected: { f: { buckets: { errors: { doc_count: 1 }, _other_: { doc_count: 2 } } } },
  },
]);
