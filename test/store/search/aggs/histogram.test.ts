/**
 * histogram and date_histogram. Where the data is the reference documentation's (the
 * `sales` index; the time_zone and offset examples' two documents) the expected buckets
 * are the responses printed on Elasticsearch 8's "Date histogram aggregation" and
 * "Histogram aggregation" pages. Calendar rounding: weeks start on Monday, days and
 * hours follow the zone's DST (a 25-hour day, two 02:00 hours on the fall-back night).
 * hard_bounds follow LongBounds (dates: [min, max)) and DoubleBounds ([min, max]).
 */
import { fakeSource, SALES_DOCS, SALES_MAPPING } from './fake-source.ts';
import { runCases } from './run-cases.ts';

const sales = fakeSource(SALES_DOCS, SALES_MAPPING);
const tzDocs = fakeSource([{ date: '2015-10-01T00:30:00Z' }, { date: '2015-10-01T01:30:00Z' }], { date: 'date' });
const offsetDocs = fakeSource([{ date: '2015-10-01T05:30:00Z' }, { date: '2015-10-01T06:30:00Z' }], { date: 'date' });
const hours = fakeSource([{ t: '2024-01-01T00:10:00Z', v: 1 }, { t: '2024-01-01T03:20:00Z', v: 3 }, { t: '2024-01-01T03:50:00Z', v: 5 }], { t: 'date', v: 'long' });
const berlin = fakeSource(
  [{ t: '2024-10-26T22:30:00Z' }, { t: '2024-10-27T00:30:00Z' }, { t: '2024-10-27T01:30:00Z' }, { t: '2024-10-27T23:30:00Z' }],
  { t: 'date' },
);
const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const hour = (n: number, count: number, extra: Record<string, unknown> = {}) => ({
  key_as_string: new Date(T0 + n * H).toISOString(),
  key: T0 + n * H,
  doc_count: count,
  ...extra,
});
const month = (key: number, s: string, count: number) => ({ key_as_string: s, key, doc_count: count });

runCases([
  {
    name: 'calendar month with a format (ES docs: sales_over_time)',
    source: sales,
    aggs: { sales_over_time: { date_histogram: { field: 'date', calendar_interval: 'month', format: 'yyyy-MM-dd' } } },
    expected: { sales_over_time: { buckets: [month(1420070400000, '2015-01-01', 3), month(1422748800000, '2015-02-01', 2), month(1425168000000, '2015-03-01', 2)] } },
  },
  {
    name: 'keyed: buckets by key_as_string (ES docs)',
    source: sales,
    aggs: { s: { date_histogram: { field: 'date', calendar_interval: '1M', format: 'yyyy-MM-dd', keyed: true } } },
    expected: {
      s: {
        buckets: {
          '2015-01-01': month(1420070400000, '2015-01-01', 3),
          '2015-02-01': month(1422748800000, '2015-02-01', 2),
          '2015-03-01': month(1425168000000, '2015-03-01', 2),
        },
      },
    },
  },
  {
    name: 'calendar week starts on Monday; quarter and year',
    source: sales,
    aggs: {
      w: { date_histogram: { field: 'date', calendar_interval: 'week', min_doc_count: 1, format: 'yyyy-MM-dd' } },
      q: { date_histogram: { field: 'date', calendar_interval: 'quarter' } },
      y: { date_histogram: { field: 'date', calendar_interval: '1y' } },
    },
    expected: {
      w: { buckets: [month(Date.UTC(2014, 11, 29), '2014-12-29', 3), month(Date.UTC(2015, 0, 26), '2015-01-26', 2), month(Date.UTC(2015, 1, 23), '2015-02-23', 2)] },
      q: { buckets: [month(1420070400000, '2015-01-01T00:00:00.000Z', 7)] },
      y: { buckets: [month(1420070400000, '2015-01-01T00:00:00.000Z', 7)] },
    },
  },
  {
    name: 'fixed_interval 30d is aligned on the epoch',
    source: sales,
    aggs: { f: { date_histogram: { field: 'date', fixed_interval: '30d', format: 'yyyy-MM-dd' } } },
    expected: { f: { buckets: [month(1417824000000, '2014-12-06', 3), month(1420416000000, '2015-01-05', 2), month(1423008000000, '2015-02-04', 2)] } },
  },
  {
    name: 'time_zone -01:00 (ES docs: keys in the zone, key_as_string with its offset)',
    source: tzDocs,
    aggs: { by_day: { date_histogram: { field: 'date', calendar_interval: 'day', time_zone: '-01:00' } } },
    expected: {
      by_day: { buckets: [month(1443574800000, '2015-09-30T00:00:00.000-01:00', 1), month(1443661200000, '2015-10-01T00:00:00.000-01:00', 1)] },
    },
  },
  {
    name: 'offset +6h (ES docs: days start at 06:00)',
    source: offsetDocs,
    aggs: { by_day: { date_histogram: { field: 'date', calendar_interval: 'day', offset: '+6h' } } },
    expected: { by_day: { buckets: [month(1443592800000, '2015-09-30T06:00:00.000Z', 1), month(1443679200000, '2015-10-01T06:00:00.000Z', 1)] } },
  },
  {
    name: 'fixed interval with offset -30m',
    source: hours,
    aggs: { h: { date_histogram: { field: 't', fixed_interval: '1h', offset: '-30m', min_doc_count: 1 } } },
    expected: {
      h: {
        buckets: [
          { key_as_string: '2023-12-31T23:30:00.000Z', key: T0 - H / 2, doc_count: 1 },
          { key_as_string: '2024-01-01T02:30:00.000Z', key: T0 + 2.5 * H, doc_count: 1 },
          { key_as_string: '2024-01-01T03:30:00.000Z', key: T0 + 3.5 * H, doc_count: 1 },
        ],
      },
    },
  },
  {
    name: 'DST: a calendar day in Europe/Berlin on the fall-back night lasts 25 hours',
    source: berlin,
    aggs: { d: { date_histogram: { field: 't', calendar_interval: 'day', time_zone: 'Europe/Berlin' } } },
    expected: {
      d: {
        buckets: [
          { key_as_string: '2024-10-27T00:00:00.000+02:00', key: Date.UTC(2024, 9, 26, 22), doc_count: 3 },
          { key_as_string: '2024-10-28T00:00:00.000+01:00', key: Date.UTC(2024, 9, 27, 23), doc_count: 1 },
        ],
      },
    },
  },
  {
    name: 'DST: fixed 1d in Europe/Berlin starts at local midnight on both sides of the change (empty day filled)',
    source: fakeSource([{ t: '2024-10-26T12:00:00Z' }, { t: '2024-10-27T23:30:00Z' }], { t: 'date' }),
    aggs: { d: { date_histogram: { field: 't', fixed_interval: '1d', time_zone: 'Europe/Berlin' } } },
    expected: {
      d: {
        buckets: [
          { key_as_string: '2024-10-26T00:00:00.000+02:00', key: Date.UTC(2024, 9, 25, 22), doc_count: 1 },
          { key_as_string: '2024-10-27T00:00:00.000+02:00', key: Date.UTC(2024, 9, 26, 22), doc_count: 0 },
          { key_as_string: '2024-10-28T00:00:00.000+01:00', key: Date.UTC(2024, 9, 27, 23), doc_count: 1 },
        ],
      },
    },
  },
  {
    name: 'DST: the repeated 02:00 hour is two buckets',
    source: berlin,
    positions: [1, 2],
    aggs: { h: { date_histogram: { field: 't', calendar_interval: 'hour', time_zone: 'Europe/Berlin' } } },
    expected: {
      h: {
        buckets: [
          { key_as_string: '2024-10-27T02:00:00.000+02:00', key: Date.UTC(2024, 9, 27, 0), doc_count: 1 },
          { key_as_string: '2024-10-27T02:00:00.000+01:00', key: Date.UTC(2024, 9, 27, 1), doc_count: 1 },
        ],
      },
    },
  },
  {
    name: 'min_doc_count 0 (default) fills empty buckets between the first and last',
    source: hours,
    aggs: { h: { date_histogram: { field: 't', fixed_interval: '1h' } } },
    expected: { h: { buckets: [hour(0, 1), hour(1, 0), hour(2, 0), hour(3, 2)] } },
  },
  {
    name: 'min_doc_count 2 keeps fuller buckets only',
    source: hours,
    aggs: { h: { date_histogram: { field: 't', fixed_interval: '1h', min_doc_count: 2 } } },
    expected: { h: { buckets: [hour(3, 2)] } },
  },
  {
    name: 'extended_bounds widen the filled range (Grafana sends epoch millis and format epoch_millis)',
    source: hours,
    aggs: {
      h: {
        date_histogram: { field: 't', fixed_interval: '1h', min_doc_count: 0, format: 'epoch_millis', extended_bounds: { min: T0 - H, max: T0 + 4 * H + 5 } },
      },
    },
    expected: {
      h: {
        buckets: [-1, 0, 1, 2, 3, 4].map((n) => ({ key_as_string: String(T0 + n * H), key: T0 + n * H, doc_count: n === 0 ? 1 : n === 3 ? 2 : 0 })),
      },
    },
  },
  {
    name: 'extended_bounds as date strings',
    source: hours,
    aggs: { h: { date_histogram: { field: 't', fixed_interval: '1h', extended_bounds: { min: '2024-01-01T00:00:00Z', max: '2024-01-01T05:00:00Z' } } } },
    expected: { h: { buckets: [hour(0, 1), hour(1, 0), hour(2, 0), hour(3, 2), hour(4, 0), hour(5, 0)] } },
  },
  {
    name: 'hard_bounds drop buckets outside [min, max)',
    source: hours,
    aggs: { h: { date_histogram: { field: 't', fixed_interval: '1h', hard_bounds: { min: '2024-01-01T01:00:00Z', max: '2024-01-01T03:00:00Z' } } } },
    expected: { h: { buckets: [] } },
  },
  {
    name: 'extended_bounds inside hard_bounds: the fill stops at the hard max (exclusive for dates)',
    source: hours,
    aggs: {
      h: {
        date_histogram: {
          field: 't',
          fixed_interval: '1h',
          extended_bounds: { min: '2024-01-01T01:00:00Z', max: '2024-01-01T05:00:00Z' },
          hard_bounds: { min: '2024-01-01T01:00:00Z', max: '2024-01-01T05:00:00Z' },
        },
      },
    },
    expected: { h: { buckets: [hour(1, 0), hour(2, 0), hour(3, 2), hour(4, 0)] } },
  },
  {
    name: 'extended_bounds outside hard_bounds are refused (dates compared after rounding)',
    source: hours,
    aggs: {
      h: {
        date_histogram: {
          field: 't',
          fixed_interval: '1h',
          extended_bounds: { min: '2023-12-31T20:00:00Z', max: '2024-01-01T04:30:00Z' },
          hard_bounds: { min: '2024-01-01T00:00:00Z', max: '2024-01-01T05:00:00Z' },
        },
      },
    },
    error: {
      status: 400,
      type: 'illegal_argument_exception',
      reason:
        'Extended bounds have to be inside hard bounds, hard bounds: [2024-01-01T00:00:00Z--2024-01-01T05:00:00Z], extended bounds: [2023-12-31T20:00:00Z--2024-01-01T04:30:00Z]',
    },
  },
  {
    name: 'sub-aggregations in every bucket, empty ones too; order by _count desc',
    source: hours,
    aggs: { h: { date_histogram: { field: 't', fixed_interval: '1h', order: { _count: 'desc' } }, aggs: { a: { avg: { field: 'v' } } } } },
    expected: { h: { buckets: [hour(3, 2, { a: { value: 4 } }), hour(0, 1, { a: { value: 1 } }), hour(1, 0, { a: { value: null } }), hour(2, 0, { a: { value: null } })] } },
  },
  {
    name: 'date_histogram → terms → avg (the Grafana shape)',
    source: sales,
    aggs: {
      m: {
        date_histogram: { field: 'date', calendar_interval: 'month', format: 'yyyy-MM' },
        aggs: { t: { terms: { field: 'type', size: 1 }, aggs: { p: { avg: { field: 'price' } } } } },
      },
    },
    expected: {
      m: {
        buckets: [
          { ...month(1420070400000, '2015-01', 3), t: { doc_count_error_upper_bound: 0, sum_other_doc_count: 2, buckets: [{ key: 'bag', doc_count: 1, p: { value: 150 } }] } },
          { ...month(1422748800000, '2015-02', 2), t: { doc_count_error_upper_bound: 0, sum_other_doc_count: 1, buckets: [{ key: 'hat', doc_count: 1, p: { value: 50 } }] } },
          { ...month(1425168000000, '2015-03', 2), t: { doc_count_error_upper_bound: 0, sum_other_doc_count: 1, buckets: [{ key: 'hat', doc_count: 1, p: { value: 200 } }] } },
        ],
      },
    },
  },
  {
    name: 'missing value for documents without a date',
    source: fakeSource([{ t: '2024-01-01T00:10:00Z' }, {}], { t: 'date' }),
    aggs: { h: { date_histogram: { field: 't', calendar_interval: 'hour', missing: '2024-01-01T01:00:00Z' } } },
    expected: { h: { buckets: [hour(0, 1), hour(1, 1)] } },
  },
  { name: 'unmapped field: no buckets', source: sales, aggs: { h: { date_histogram: { field: 'nope', fixed_interval: '1h' } } }, expected: { h: { buckets: [] } } },
  {
    name: 'histogram interval 50 (ES docs: prices)',
    source: sales,
    aggs: { prices: { histogram: { field: 'price', interval: 50 } } },
    expected: {
      prices: {
        buckets: [
          { key: 0, doc_count: 1 },
          { key: 50, doc_count: 1 },
          { key: 100, doc_count: 0 },
          { key: 150, doc_count: 2 },
          { key: 200, doc_count: 3 },
        ],
      },
    },
  },
  {
    name: 'histogram min_doc_count 1, keyed, offset',
    source: sales,
    aggs: {
      a: { histogram: { field: 'price', interval: 50, min_doc_count: 1, keyed: true } },
      b: { histogram: { field: 'price', interval: 50, offset: 5, min_doc_count: 1 } },
    },
    expected: {
      a: { buckets: { '0.0': { key: 0, doc_count: 1 }, '50.0': { key: 50, doc_count: 1 }, '150.0': { key: 150, doc_count: 2 }, '200.0': { key: 200, doc_count: 3 } } },
      b: { buckets: [{ key: 5, doc_count: 2 }, { key: 105, doc_count: 1 }, { key: 155, doc_count: 4 }] },
    },
  },
  {
    name: 'histogram extended_bounds and hard_bounds ([min, max] for doubles)',
    source: sales,
    aggs: {
      e: { histogram: { field: 'price', interval: 100, extended_bounds: { min: 0, max: 500 } } },
      h: { histogram: { field: 'price', interval: 50, hard_bounds: { min: 100, max: 150 } } },
      eh: { histogram: { field: 'price', interval: 50, extended_bounds: { min: 100, max: 250 }, hard_bounds: { min: 100, max: 300 } } },
    },
    expected: {
      e: { buckets: [0, 100, 200, 300, 400, 500].map((key) => ({ key, doc_count: key === 0 ? 2 : key === 100 ? 2 : key === 200 ? 3 : 0 })) },
      h: { buckets: [{ key: 150, doc_count: 2 }] },
      eh: { buckets: [100, 150, 200, 250].map((key) => ({ key, doc_count: key === 150 ? 2 : key === 200 ? 3 : 0 })) },
    },
  },
  {
    name: 'histogram extended_bounds outside hard_bounds are refused',
    source: sales,
    aggs: { h: { histogram: { field: 'price', interval: 50, extended_bounds: { min: 0, max: 500 }, hard_bounds: { min: 100 } } } },
    error: {
      status: 400,
      type: 'illegal_argument_exception',
      reason: 'Extended bounds have to be inside hard bounds, hard bounds: [100.0--], extended bounds: [0.0--500.0]',
    },
  },
  {
    name: 'histogram of fractions keeps exact multiples of the interval',
    source: fakeSource([{ x: 0.05 }, { x: 0.31 }], { x: 'double' }),
    aggs: { h: { histogram: { field: 'x', interval: 0.1 } } },
    expected: { h: { buckets: [0, 1, 2, 3].map((i) => ({ key: i * 0.1, doc_count: i === 0 || i === 3 ? 1 : 0 })) } },
  },
  {
    name: 'histogram on a date field prints key_as_string',
    source: sales,
    aggs: { h: { histogram: { field: 'date', interval: 86400000 * 365, min_doc_count: 1 } } },
    expected: { h: { buckets: [{ key_as_string: '2014-12-21T00:00:00.000Z', key: 45 * 86400000 * 365, doc_count: 7 }] } },
  },
  {
    name: 'too many buckets while filling',
    source: hours,
    aggs: { h: { date_histogram: { field: 't', fixed_interval: '1ms' } } },
    error: { status: 503, type: 'too_many_buckets_exception', reason: /^Trying to create too many buckets\. Must be less than or equal to: \[65536\] but was \[65537\]\./ },
  },
  {
    name: 'histogram on a keyword field',
    source: sales,
    aggs: { h: { histogram: { field: 'type', interval: 5 } } },
    error: { status: 400, type: 'illegal_argument_exception', reason: 'Field [type] of type [keyword] is not supported for aggregation [histogram]' },
  },
  {
    name: 'the legacy interval is gone in 8.x',
    source: sales,
    aggs: { h: { date_histogram: { field: 'date', interval: '1d' } } },
    validation: true,
    error: { status: 400, type: 'x_content_parse_exception', reason: '[date_histogram] unknown field [interval]' },
  },
  {
    name: 'calendar_interval and fixed_interval together',
    source: sales,
    aggs: { h: { date_histogram: { field: 'date', calendar_interval: '1d', fixed_interval: '1d' } } },
    validation: true,
    error: {
      status: 400,
      type: 'x_content_parse_exception',
      reason: '[date_histogram] failed to parse field [fixed_interval]',
      cause: 'Cannot use [fixed_interval] with [calendar_interval] configuration option.',
    },
  },
  {
    name: 'a calendar interval that is not one',
    source: sales,
    aggs: { h: { date_histogram: { field: 'date', calendar_interval: '2d' } } },
    validation: true,
    error: { status: 400, type: 'x_content_parse_exception', reason: '[date_histogram] failed to parse field [calendar_interval]', cause: 'The supplied interval [2d] could not be parsed as a calendar interval.' },
  },
  {
    name: 'a fixed interval in months',
    source: sales,
    aggs: { h: { date_histogram: { field: 'date', fixed_interval: '1M' } } },
    validation: true,
    error: {
      status: 400,
      type: 'x_content_parse_exception',
      reason: '[date_histogram] failed to parse field [fixed_interval]',
      cause: 'failed to parse setting [date_histogram.fixedInterval] with value [1M] as a time value: unit is missing or unrecognized',
    },
  },
  {
    name: 'no interval at all',
    source: sales,
    aggs: { h: { date_histogram: { field: 'date' } } },
    validation: true,
    shardLevel: true,
    error: { status: 400, type: 'illegal_argument_exception', reason: 'Invalid interval specified, must be non-null and non-empty' },
  },
  {
    name: 'an unknown time zone',
    source: sales,
    aggs: { h: { date_histogram: { field: 'date', calendar_interval: 'day', time_zone: 'Mars/Olympus' } } },
    validation: true,
    error: { status: 400, type: 'x_content_parse_exception', reason: '[date_histogram] failed to parse field [time_zone]', cause: 'Unknown time-zone ID: Mars/Olympus' },
  },
  {
    name: 'histogram interval must be positive',
    source: sales,
    aggs: { h: { histogram: { field: 'price', interval: 0 } } },
    validation: true,
    error: { status: 400, type: 'x_content_parse_exception', reason: '[histogram] failed to parse field [interval]', cause: '[interval] must be >0 for histogram aggregation [h]' },
  },
  {
    name: 'histogram extended_bounds min above max',
    source: sales,
    aggs: { h: { histogram: { field: 'price', interval: 10, extended_bounds: { min: 10, max: 5 } } } },
    validation: true,
    shardLevel: true,
    error: { status: 400, type: 'illegal_argument_exception', reason: '[extended_bounds.min][10.0] cannot be greater than [extended_bounds.max][5.0] for histogram aggregation [h]' },
  },
]);

const seconds = fakeSource([{ t: '2024-01-01T10:15:30.250Z' }, { t: '2024-01-01T10:15:59.999Z' }, { t: '2024-01-01T10:17:00.000Z' }], { t: 'date' });
runCases([
  {
    name: 'calendar minute and second (and their 1m / 1s spellings); calendar 1h equals fixed 1h in UTC',
    source: seconds,
    aggs: {
      m: { date_histogram: { field: 't', calendar_interval: 'minute', format: 'HH:mm' } },
      m1: { date_histogram: { field: 't', calendar_interval: '1m', format: 'HH:mm', min_doc_count: 1 } },
      s: { date_histogram: { field: 't', calendar_interval: '1s', min_doc_count: 1, format: 'HH:mm:ss' } },
      h: { date_histogram: { field: 't', calendar_interval: '1h', format: 'HH' } },
      hf: { date_histogram: { field: 't', fixed_interval: '60m', format: 'HH' } },
    },
    expected: {
      m: {
        buckets: [
          { key_as_string: '10:15', key: Date.UTC(2024, 0, 1, 10, 15), doc_count: 2 },
          { key_as_string: '10:16', key: Date.UTC(2024, 0, 1, 10, 16), doc_count: 0 },
          { key_as_string: '10:17', key: Date.UTC(2024, 0, 1, 10, 17), doc_count: 1 },
        ],
      },
      m1: {
        buckets: [
          { key_as_string: '10:15', key: Date.UTC(2024, 0, 1, 10, 15), doc_count: 2 },
          { key_as_string: '10:17', key: Date.UTC(2024, 0, 1, 10, 17), doc_count: 1 },
        ],
      },
      s: {
        buckets: [
          { key_as_string: '10:15:30', key: Date.UTC(2024, 0, 1, 10, 15, 30), doc_count: 1 },
          { key_as_string: '10:15:59', key: Date.UTC(2024, 0, 1, 10, 15, 59), doc_count: 1 },
          { key_as_string: '10:17:00', key: Date.UTC(2024, 0, 1, 10, 17), doc_count: 1 },
        ],
      },
      h: { buckets: [{ key_as_string: '10', key: Date.UTC(2024, 0, 1, 10), doc_count: 3 }] },
      hf: { buckets: [{ key_as_string: '10', key: Date.UTC(2024, 0, 1, 10), doc_count: 3 }] },
    },
  },
  {
    name: 'calendar hour in a half-hour zone (Asia/Kolkata, +05:30)',
    source: seconds,
    aggs: { h: { date_histogram: { field: 't', calendar_interval: 'hour', time_zone: 'Asia/Kolkata' } } },
    expected: { h: { buckets: [{ key_as_string: '2024-01-01T15:00:00.000+05:30', key: Date.UTC(2024, 0, 1, 9, 30), doc_count: 3 }] } },
  },
]);

runCases([
  {
    name: 'DST spring forward: the missing 02:00 hour in Europe/Berlin is no bucket',
    source: fakeSource([{ t: '2024-03-31T00:30:00Z' }, { t: '2024-03-31T01:30:00Z' }, { t: '2024-03-31T03:10:00Z' }], { t: 'date' }),
    aggs: { h: { date_histogram: { field: 't', calendar_interval: 'hour', time_zone: 'Europe/Berlin' } } },
    expected: {
      h: {
        buckets: [
          { key_as_string: '2024-03-31T01:00:00.000+01:00', key: Date.UTC(2024, 2, 31, 0), doc_count: 1 },
          { key_as_string: '2024-03-31T03:00:00.000+02:00', key: Date.UTC(2024, 2, 31, 1), doc_count: 1 },
          { key_as_string: '2024-03-31T04:00:00.000+02:00', key: Date.UTC(2024, 2, 31, 2), doc_count: 0 },
          { key_as_string: '2024-03-31T05:00:00.000+02:00', key: Date.UTC(2024, 2, 31, 3), doc_count: 1 },
        ],
      },
    },
  },
]);
