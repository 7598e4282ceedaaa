/**
 * range, date_range, filter, filters and missing. The sales price ranges and the
 * filters example (errors / warnings / other_messages) are the responses printed in
 * Elasticsearch 8's reference pages; range keys print Java doubles (`100.0`), buckets
 * come sorted by (from, to), `from` is inclusive and `to` exclusive; named filters are
 * sorted by name (FiltersAggregationBuilder sorts keyed filters).
 */
import { fakeSource, SALES_DOCS, SALES_MAPPING } from './fake-source.ts';
import { runCases } from './run-cases.ts';

const sales = fakeSource(SALES_DOCS, SALES_MAPPING);
const logs = fakeSource(
  [
    { level: 'warning', body: 'warning: page could not be rendered' },
    { level: 'error', body: 'authentication error' },
    { level: 'warning', body: 'warning: connection timed out' },
    { level: 'info', body: 'all good' },
  ],
  { level: 'keyword', body: 'text' },
);
const events = fakeSource([{ d: '2024-01-10T00:00:00Z', n: 0.25 }, { d: '2024-03-05T00:00:00Z', n: 0.5 }, { d: '2024-05-01T00:00:00Z' }, {}], { d: 'date', n: 'double' });
const MAR1 = Date.UTC(2024, 2, 1);

runCases([
  {
    name: 'range (ES docs: price_ranges)',
    source: sales,
    aggs: { price_ranges: { range: { field: 'price', ranges: [{ to: 100 }, { from: 100, to: 200 }, { from: 200 }] } } },
    expected: {
      price_ranges: {
        buckets: [
          { key: '*-100.0', to: 100, doc_count: 2 },
          { key: '100.0-200.0', from: 100, to: 200, doc_count: 2 },
          { key: '200.0-*', from: 200, doc_count: 3 },
        ],
      },
    },
  },
  {
    name: 'range keyed with custom keys (ES docs: cheap / average / expensive)',
    source: sales,
    aggs: {
      price_ranges: {
        range: { field: 'price', keyed: true, ranges: [{ key: 'cheap', to: 100 }, { key: 'average', from: 100, to: 200 }, { key: 'expensive', from: 200 }] },
      },
    },
    expected: {
      price_ranges: { buckets: { cheap: { to: 100, doc_count: 2 }, average: { from: 100, to: 200, doc_count: 2 }, expensive: { from: 200, doc_count: 3 } } },
    },
  },
  {
    name: 'range buckets are sorted by from, then to; overlapping ranges count a document in each',
    source: sales,
    aggs: { r: { range: { field: 'price', ranges: [{ from: 150 }, { to: 175 }, { from: 150, to: 176 }] } } },
    expected: {
      r: {
        buckets: [
          { key: '*-175.0', to: 175, doc_count: 3 },
          { key: '150.0-176.0', from: 150, to: 176, doc_count: 2 },
          { key: '150.0-*', from: 150, doc_count: 5 },
        ],
      },
    },
  },
  {
    name: 'range with sub-aggregations and fractional ends',
    source: events,
    aggs: { r: { range: { field: 'n', ranges: [{ to: 0.5 }, { from: 0.5 }] }, aggs: { m: { max: { field: 'n' } } } } },
    expected: {
      r: {
        buckets: [
          { key: '*-0.5', to: 0.5, doc_count: 1, m: { value: 0.25 } },
          { key: '0.5-*', from: 0.5, doc_count: 1, m: { value: 0.5 } },
        ],
      },
    },
  },
  {
    name: 'range missing value; unmapped field counts nothing',
    source: events,
    aggs: { r: { range: { field: 'n', missing: 10, ranges: [{ from: 1 }] } }, u: { range: { field: 'nope', ranges: [{ to: 1 }] } } },
    expected: { r: { buckets: [{ key: '1.0-*', from: 1, doc_count: 2 }] }, u: { buckets: [{ key: '*-1.0', to: 1, doc_count: 0 }] } },
  },
  {
    name: 'date_range with date math relative to now and a format (as the ES docs example)',
    source: events,
    aggs: { range: { date_range: { field: 'd', format: 'MM-yyyy', ranges: [{ to: 'now-2M/M' }, { from: 'now-2M/M' }] } } },
    expected: {
      range: {
        buckets: [
          { key: '*-03-2024', to: MAR1, to_as_string: '03-2024', doc_count: 1 },
          { key: '03-2024-*', from: MAR1, from_as_string: '03-2024', doc_count: 2 },
        ],
      },
    },
  },
  {
    name: 'date_range with anchored math, keyed, and a key',
    source: events,
    aggs: { r: { date_range: { field: 'd', keyed: true, ranges: [{ key: 'q1', from: '2024-01-01', to: '2024-01-01||+3M' }] } } },
    expected: { r: { buckets: { q1: { from: Date.UTC(2024, 0, 1), from_as_string: '2024-01-01T00:00:00.000Z', to: Date.UTC(2024, 3, 1), to_as_string: '2024-04-01T00:00:00.000Z', doc_count: 2 } } } },
  },
  {
    name: 'date_range time_zone applies to dates without an offset',
    source: events,
    aggs: { r: { date_range: { field: 'd', time_zone: '+01:00', ranges: [{ from: '2024-03-05' }] } } },
    expected: { r: { buckets: [{ key: '2024-03-05T00:00:00.000+01:00-*', from: MAR1 + 4 * 86400000 - 3600000, from_as_string: '2024-03-05T00:00:00.000+01:00', doc_count: 2 }] } },
  },
  {
    name: 'date_range with epoch millis',
    source: events,
    aggs: { r: { date_range: { field: 'd', ranges: [{ from: MAR1 }] } } },
    expected: { r: { buckets: [{ key: '2024-03-01T00:00:00.000Z-*', from: MAR1, from_as_string: '2024-03-01T00:00:00.000Z', doc_count: 2 }] } },
  },
  {
    name: 'filter with nested terms',
    source: sales,
    aggs: { promoted: { filter: { term: { promoted: true } }, aggs: { t: { terms: { field: 'type', size: 2 } } } } },
    expected: {
      promoted: {
        doc_count: 5,
        t: { doc_count_error_upper_bound: 0, sum_other_doc_count: 1, buckets: [{ key: 'hat', doc_count: 2 }, { key: 't-shirt', doc_count: 2 }] },
      },
    },
  },
  {
    name: 'filters named: keyed by name (ES docs: messages)',
    source: logs,
    aggs: { messages: { filters: { filters: { errors: { term: { level: 'error' } }, warnings: { term: { level: 'warning' } } } } } },
    expected: { messages: { buckets: { errors: { doc_count: 1 }, warnings: { doc_count: 2 } } } },
  },
  {
    name: 'filters with other_bucket_key (ES docs: other_messages)',
    source: logs,
    aggs: {
      messages: { filters: { other_bucket_key: 'other_messages', filters: { errors: { term: { level: 'error' } }, warnings: { term: { level: 'warning' } } } } },
    },
    expected: { messages: { buckets: { errors: { doc_count: 1 }, warnings: { doc_count: 2 }, other_messages: { doc_count: 1 } } } },
  },
  {
    name: 'filters named with keyed: false: an array sorted by name, other bucket last as _other_',
    source: logs,
    aggs: { m: { filters: { keyed: false, other_bucket: true, filters: { warnings: { term: { level: 'warning' } }, errors: { term: { level: 'error' } } } } } },
    expected: { m: { buckets: [{ key: 'errors', doc_count: 1 }, { key: 'warnings', doc_count: 2 }, { key: '_other_', doc_count: 1 }] } },
  },
  {
    name: 'filters anonymous: an array in request order, other bucket last',
    source: logs,
    aggs: { m: { filters: { other_bucket: true, filters: [{ term: { level: 'warning' } }, { term: { level: 'error' } }] }, aggs: { c: { value_count: { field: 'level' } } } } },
    expected: { m: { buckets: [{ doc_count: 2, c: { value: 2 } }, { doc_count: 1, c: { value: 1 } }, { doc_count: 1, c: { value: 1 } }] } },
  },
  {
    name: 'missing (documents without a value); unmapped: all of them',
    source: events,
    aggs: { no_n: { missing: { field: 'n' } }, no_x: { missing: { field: 'nope' }, aggs: { d: { value_count: { field: 'd' } } } } },
    expected: { no_n: { doc_count: 2 }, no_x: { doc_count: 4, d: { value: 3 } } },
  },
  {
    name: 'deep nesting: terms → date_histogram → range → filter → avg',
    source: sales,
    aggs: {
      t: {
        terms: { field: 'type', size: 1 },
        aggs: {
          m: {
            date_histogram: { field: 'date', calendar_interval: 'month', min_doc_count: 1, format: 'yyyy-MM' },
            aggs: { r: { range: { field: 'price', ranges: [{ from: 100 }] }, aggs: { f: { filter: { term: { promoted: true } }, aggs: { a: { avg: { field: 'rating' } } } } } } },
          },
        },
      },
    },
    expected: {
      t: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 4,
        buckets: [
          {
            key: 'hat',
            doc_count: 3,
            m: {
              buckets: [
                { key_as_string: '2015-01', key: 1420070400000, doc_count: 1, r: { buckets: [{ key: '100.0-*', from: 100, doc_count: 1, f: { doc_count: 1, a: { value: 1 } } }] } },
                { key_as_string: '2015-02', key: 1422748800000, doc_count: 1, r: { buckets: [{ key: '100.0-*', from: 100, doc_count: 0, f: { doc_count: 0, a: { value: null } } }] } },
                { key_as_string: '2015-03', key: 1425168000000, doc_count: 1, r: { buckets: [{ key: '100.0-*', from: 100, doc_count: 1, f: { doc_count: 1, a: { value: 1 } } }] } },
              ],
            },
          },
        ],
      },
    },
  },
  {
    name: 'too many buckets across nested aggregations',
    source: fakeSource(SALES_DOCS, SALES_MAPPING, { maxBuckets: 5 }),
    aggs: { t: { terms: { field: 'type' }, aggs: { r: { range: { field: 'price', ranges: [{ to: 100 }, { from: 100 }] } } } } },
    error: { status: 503, type: 'too_many_buckets_exception', reason: /^Trying to create too many buckets\. Must be less than or equal to: \[5\] but was \[/ },
  },
  {
    name: 'range without ranges',
    source: sales,
    aggs: { r: { range: { field: 'price' } } },
    validation: true,
    shardLevel: true,
    error: { status: 400, type: 'illegal_argument_exception', reason: 'No [ranges] specified for the [r] aggregation' },
  },
  {
    name: 'date_range with an unreadable date',
    source: events,
    aggs: { r: { date_range: { field: 'd', ranges: [{ from: 'yesterday' }] } } },
    error: { status: 400, type: 'illegal_argument_exception', reason: 'failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]' },
  },
  {
    name: 'filters given a string',
    source: logs,
    aggs: { m: { filters: { filters: 'level:error' } } },
    validation: true,
    error: { status: 400, type: 'parsing_exception', reason: /^Unknown key for a VALUE_STRING in \[m\]: \[filters\]\./ },
  },
]);
