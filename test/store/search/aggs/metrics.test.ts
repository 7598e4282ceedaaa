/**
 * Metric aggregations. Expectations on the `sales` data are the responses printed in
 * Elasticsearch's reference documentation (8.x "Aggregations" pages: avg_price
 * 140.71428571428572, hat_prices 450.0, min_price 10.0, max_price 200.0, types_count 7,
 * type_count 3, t_shirts avg 128.33333333333334); the others follow the documented
 * definitions (extended_stats: population and sampling variance, bounds avg ± sigma·σ;
 * percentiles: Elasticsearch 8.9+'s t-digest answers small sets exactly, interpolating
 * linearly at q·(n-1), in doubles, so p95 of 1..10 is 9.549999999999999 as in Java).
 */
import { fakeSource, SALES_DOCS, SALES_MAPPING } from './fake-source.ts';
import { runCases } from './run-cases.ts';

const sales = fakeSource(SALES_DOCS, SALES_MAPPING);
const numbers = fakeSource(
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => ({ n, tags: n % 2 ? ['odd', 'x'] : ['even', 'x'] })),
  { n: 'long', tags: 'keyword' },
);
const four = fakeSource([{ g: 1 }, { g: 2 }, { g: 3 }, { g: 4 }, {}], { g: 'double' });
const sparse = fakeSource([{ v: 10 }, {}, { v: 30 }, { v: [1, 2] }], { v: 'long', text: 'text' });

runCases([
  { name: 'avg (ES docs: avg_price 140.71428571428572)', source: sales, aggs: { avg_price: { avg: { field: 'price' } } }, expected: { avg_price: { value: 140.71428571428572 } } },
  {
    name: 'sum under a filter (ES docs: hat_prices 450.0)',
    source: sales,
    aggs: { hats: { filter: { term: { type: 'hat' } }, aggs: { hat_prices: { sum: { field: 'price' } } } } },
    expected: { hats: { doc_count: 3, hat_prices: { value: 450 } } },
  },
  { name: 'min (ES docs: min_price 10.0)', source: sales, aggs: { min_price: { min: { field: 'price' } } }, expected: { min_price: { value: 10 } } },
  { name: 'max (ES docs: max_price 200.0)', source: sales, aggs: { max_price: { max: { field: 'price' } } }, expected: { max_price: { value: 200 } } },
  { name: 'value_count on a keyword (ES docs: types_count 7)', source: sales, aggs: { types_count: { value_count: { field: 'type' } } }, expected: { types_count: { value: 7 } } },
  { name: 'cardinality (ES docs: type_count 3)', source: sales, aggs: { type_count: { cardinality: { field: 'type' } } }, expected: { type_count: { value: 3 } } },
  { name: 'cardinality of numbers and of multi-valued keywords', source: numbers, aggs: { n: { cardinality: { field: 'n' } }, t: { cardinality: { field: 'tags' } } }, expected: { n: { value: 10 }, t: { value: 3 } } },
  { name: 'value_count counts values, not documents', source: sparse, aggs: { c: { value_count: { field: 'v' } } }, expected: { c: { value: 4 } } },
  {
    name: 'stats',
    source: sales,
    aggs: { s: { stats: { field: 'price' } } },
    expected: { s: { count: 7, min: 10, max: 200, avg: 140.71428571428572, sum: 985 } },
  },
  {
    name: 'extended_stats: variance (population, sampling), std deviation and bounds with sigma 2 (default)',
    source: four,
    aggs: { e: { extended_stats: { field: 'g' } } },
    expected: {
      e: {
        count: 4,
        min: 1,
        max: 4,
        avg: 2.5,
        sum: 10,
        sum_of_squares: 30,
        variance: 1.25,
        variance_population: 1.25,
        variance_sampling: 5 / 3,
        std_deviation: Math.sqrt(1.25),
        std_deviation_population: Math.sqrt(1.25),
        std_deviation_sampling: Math.sqrt(5 / 3),
        std_deviation_bounds: {
          upper: 2.5 + 2 * Math.sqrt(1.25),
          lower: 2.5 - 2 * Math.sqrt(1.25),
          upper_population: 2.5 + 2 * Math.sqrt(1.25),
          lower_population: 2.5 - 2 * Math.sqrt(1.25),
          upper_sampling: 2.5 + 2 * Math.sqrt(5 / 3),
          lower_sampling: 2.5 - 2 * Math.sqrt(5 / 3),
        },
      },
    },
  },
  {
    name: 'extended_stats sigma 1',
    source: four,
    aggs: { e: { extended_stats: { field: 'g', sigma: 1 } } },
    expected: {
      e: {
        count: 4,
        min: 1,
        max: 4,
        avg: 2.5,
        sum: 10,
        sum_of_squares: 30,
        variance: 1.25,
        variance_population: 1.25,
        variance_sampling: 5 / 3,
        std_deviation: Math.sqrt(1.25),
        std_deviation_population: Math.sqrt(1.25),
        std_deviation_sampling: Math.sqrt(5 / 3),
        std_deviation_bounds: {
          upper: 2.5 + Math.sqrt(1.25),
          lower: 2.5 - Math.sqrt(1.25),
          upper_population: 2.5 + Math.sqrt(1.25),
          lower_population: 2.5 - Math.sqrt(1.25),
          upper_sampling: 2.5 + Math.sqrt(5 / 3),
          lower_sampling: 2.5 - Math.sqrt(5 / 3),
        },
      },
    },
  },
  {
    name: 'extended_stats with no values: nulls (InternalExtendedStats prints null fields when count is 0)',
    source: four,
    positions: [4],
    aggs: { e: { extended_stats: { field: 'g' } } },
    expected: {
      e: {
        count: 0,
        min: null,
        max: null,
        avg: null,
        sum: 0,
        sum_of_squares: null,
        variance: null,
        variance_population: null,
        variance_sampling: null,
        std_deviation: null,
        std_deviation_population: null,
        std_deviation_sampling: null,
        std_deviation_bounds: { upper: null, lower: null, upper_population: null, lower_population: null, upper_sampling: null, lower_sampling: null },
      },
    },
  },
  {
    name: 'percentiles with the default percents [1,5,25,50,75,95,99], keyed by Java doubles',
    source: numbers,
    aggs: { p: { percentiles: { field: 'n' } } },
    expected: { p: { values: { '1.0': 1.09, '5.0': 1.45, '25.0': 3.25, '50.0': 5.5, '75.0': 7.75, '95.0': 9.549999999999999, '99.0': 9.91 } } },
  },
  {
    name: 'percentiles with percents and keyed: false',
    source: numbers,
    aggs: { p: { percentiles: { field: 'n', percents: [50, 0, 100], keyed: false } } },
    expected: {
      p: {
        values: [
          { key: 0, value: 1 },
          { key: 50, value: 5.5 },
          { key: 100, value: 10 },
        ],
      },
    },
  },
  {
    name: 'percentiles with no values are null',
    source: numbers,
    positions: [],
    aggs: { p: { percentiles: { field: 'n', percents: [50] } } },
    expected: { p: { values: { '50.0': null } } },
  },
  {
    name: 'min and max on a date field carry value_as_string',
    source: sales,
    aggs: { first: { min: { field: 'date' } }, last: { max: { field: 'date', format: 'yyyy-MM-dd' } } },
    expected: {
      first: { value: 1420070400000, value_as_string: '2015-01-01T00:00:00.000Z' },
      last: { value: 1425168000000, value_as_string: '2015-03-01' },
    },
  },
  {
    name: 'stats on a date field print *_as_string',
    source: sales,
    positions: [0, 6],
    aggs: { s: { stats: { field: 'date' } } },
    expected: {
      s: {
        count: 2,
        min: 1420070400000,
        max: 1425168000000,
        avg: 1422619200000,
        sum: 2845238400000,
        min_as_string: '2015-01-01T00:00:00.000Z',
        max_as_string: '2015-03-01T00:00:00.000Z',
        avg_as_string: '2015-01-30T12:00:00.000Z',
        sum_as_string: '2060-02-29T00:00:00.000Z',
      },
    },
  },
  {
    name: 'min on a boolean prints false/true',
    source: sales,
    aggs: { m: { min: { field: 'promoted' } }, a: { avg: { field: 'promoted' } } },
    expected: { m: { value: 0, value_as_string: 'false' }, a: { value: 5 / 7, value_as_string: 'true' } },
  },
  {
    name: 'metrics with a format print value_as_string (DecimalFormat)',
    source: sales,
    aggs: { a: { avg: { field: 'price', format: '#.00' } }, s: { sum: { field: 'price', format: '$#,##0' } } },
    expected: { a: { value: 140.71428571428572, value_as_string: '140.71' }, s: { value: 985, value_as_string: '$985' } },
  },
  {
    name: 'missing value is used for documents without the field',
    source: sparse,
    aggs: { a: { avg: { field: 'v', missing: 100 } }, c: { value_count: { field: 'v', missing: 0 } }, m: { max: { field: 'v' } } },
    expected: { a: { value: (10 + 100 + 30 + 1 + 2) / 5 }, c: { value: 5 }, m: { value: 30 } },
  },
  {
    name: 'unmapped field: null metrics, zero counts, not an error',
    source: sales,
    aggs: {
      a: { avg: { field: 'nope' } },
      s: { sum: { field: 'nope' } },
      mi: { min: { field: 'nope' } },
      c: { value_count: { field: 'nope' } },
      d: { cardinality: { field: 'nope' } },
      st: { stats: { field: 'nope' } },
      p: { percentiles: { field: 'nope', percents: [50] } },
    },
    expected: {
      a: { value: null },
      s: { value: 0 },
      mi: { value: null },
      c: { value: 0 },
      d: { value: 0 },
      st: { count: 0, min: null, max: null, avg: null, sum: 0 },
      p: { values: { '50.0': null } },
    },
  },
  {
    name: 'top_hits delegates to the source with its size and sort',
    source: sales,
    aggs: { top: { top_hits: { size: 1, sort: [{ price: { order: 'asc' } }] } } },
    expected: {
      top: { hits: { total: { value: 7, relation: 'eq' }, max_score: null, hits: [{ _index: 'test', _id: '4', _score: null, _source: SALES_DOCS[4] }] } },
    },
  },
  {
    name: 'meta is passed through first',
    source: sales,
    aggs: { a: { avg: { field: 'price' }, meta: { color: 'blue' } } },
    expected: { a: { meta: { color: 'blue' }, value: 140.71428571428572 } },
  },
  {
    name: 'avg on a keyword field is an error',
    source: sales,
    aggs: { a: { avg: { field: 'type' } } },
    error: { status: 400, type: 'illegal_argument_exception', reason: 'Field [type] of type [keyword] is not supported for aggregation [avg]' },
  },
  {
    name: 'aggregating a text field is the fielddata error',
    source: sparse,
    aggs: { c: { cardinality: { field: 'text' } } },
    error: { status: 400, type: 'illegal_argument_exception', reason: /^Fielddata is disabled on \[text\]/ },
  },
  {
    name: 'metrics cannot have sub-aggregations',
    source: sales,
    aggs: { a: { avg: { field: 'price' }, aggs: { b: { max: { field: 'price' } } } } },
    validation: true,
    error: { status: 500, type: 'aggregation_initialization_exception', reason: 'Aggregator [a] of type [avg] cannot accept sub-aggregations' },
  },
  {
    name: 'percents outside [0,100]',
    source: sales,
    aggs: { a: { percentiles: { field: 'price', percents: [150] } } },
    validation: true,
    error: { status: 400, type: 'x_content_parse_exception', reason: 'Failed to build [percentiles] after last required field arrived', cause: 'percent must be in [0,100], got [150.0]: [a]' },
  },
  {
    name: 'a metric without a field',
    source: sales,
    aggs: { a: { avg: {} } },
    validation: true,
    error: { status: 400, type: 'illegal_argument_exception', reason: 'Required one of fields [field, script], but none were specified. ' },
  },
  {
    name: 'an unknown option names the aggregation and suggests',
    source: sales,
    aggs: { a: { avg: { feild: 'price' } } },
    validation: true,
    error: { status: 400, type: 'x_content_parse_exception', reason: '[avg] unknown field [feild] did you mean [field]?' },
  },
]);
