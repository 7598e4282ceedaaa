/**
 * Request errors found before anything runs, with the exception types and messages of
 * Elasticsearch 8's aggregation parser (AggregatorFactories.parseAggregators, ObjectParser
 * "unknown field ... did you mean", SuggestingErrorOnUnknown's Levenshtein suggestions).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EsError } from '../../../../src/store/errors.ts';
import { isShardLevel, runAggregations, validateAggregations } from '../../../../src/store/search/aggs/index.ts';
import { fakeSource, SALES_DOCS, SALES_MAPPING } from './fake-source.ts';
import { runCases } from './run-cases.ts';

const sales = fakeSource(SALES_DOCS, SALES_MAPPING);
const invalid = (name: string, aggs: unknown, type: string, reason: string | RegExp, cause?: string) => ({
  name,
  source: sales,
  aggs: aggs as Record<string, unknown>,
  validation: true,
  error: { status: 400, type, reason, ...(cause ? { cause } : {}) },
});

runCases([
  invalid('unknown aggregation type, with a suggestion', { a: { tems: { field: 'type' } } }, 'parsing_exception', 'Unknown aggregation type [tems] did you mean [terms]?'),
  invalid('unknown aggregation type close to several', { a: { mix: { field: 'price' } } }, 'parsing_exception', 'Unknown aggregation type [mix] did you mean any of [max, min]?'),
  invalid('unknown aggregation type, nothing close', { a: { frobnicate: {} } }, 'parsing_exception', 'Unknown aggregation type [frobnicate]'),
  invalid('an aggregation Elasticsearch has and this store does not', { a: { composite: { sources: [] } } }, 'illegal_argument_exception', 'aggregation type [composite] of [a] is not supported by this store'),
  invalid('no type', { a: { aggs: { b: { avg: { field: 'price' } } } } }, 'parsing_exception', 'Missing definition for aggregation [a]'),
  invalid('two types', { a: { avg: { field: 'price' }, max: { field: 'price' } } }, 'parsing_exception', 'Found two aggregation type definitions in [a]: [avg] and [max]'),
  invalid('aggs and aggregations both', { a: { terms: { field: 'type' }, aggs: {}, aggregations: {} } }, 'parsing_exception', 'Found two sub aggregation definitions under [a]'),
  invalid('a name with >', { 'a>b': { avg: { field: 'price' } } }, 'parsing_exception', "Invalid aggregation name [a>b]. Aggregation names can contain any character except '[', ']', and '>'"),
  invalid('a definition that is not an object', { a: 'avg' }, 'parsing_exception', 'Aggregation definition for [a starts with a [VALUE_STRING], expected a [START_OBJECT].'),
  invalid('a type body that is not an object', { a: { avg: 'price' } }, 'parsing_exception', 'Expected [START_OBJECT] under [avg], but got a [VALUE_STRING] in [a]'),
  invalid('unknown terms option with a suggestion', { a: { terms: { field: 'type', sise: 3 } } }, 'x_content_parse_exception', '[terms] unknown field [sise] did you mean [size]?'),
  invalid('terms without a field', { a: { terms: { size: 3 } } }, 'illegal_argument_exception', 'Required one of fields [field, script], but none were specified. '),
  invalid('scripts are not run', { a: { avg: { script: 'doc.price.value' } } }, 'illegal_argument_exception', '[script] in aggregation [a] is not supported by this store'),
  invalid('min_doc_count below 0', { a: { terms: { field: 'type', min_doc_count: -1 } } }, 'x_content_parse_exception', '[terms] failed to parse field [min_doc_count]', '[min_doc_count] must be greater than or equal to 0. Found [-1] in [a]'),
  invalid('size that is not a number', { a: { terms: { field: 'type', size: 'ten' } } }, 'x_content_parse_exception', '[terms] failed to parse field [size]'),
  invalid('a negative sigma (printed as a Java double)', { a: { extended_stats: { field: 'price', sigma: -1 } } }, 'x_content_parse_exception', '[extended_stats] failed to parse field [sigma]', '[sigma] must be greater than or equal to 0. Found [-1.0] in [a]'),
  invalid(
    'a percent given twice (refused since 8.0)',
    { a: { percentiles: { field: 'price', percents: [50, 99, 50] } } },
    'x_content_parse_exception',
    'Failed to build [percentiles] after last required field arrived',
    'percent [50.0] has been specified twice: [a]',
  ),
  invalid('filters without filters', { a: { filters: {} } }, 'illegal_argument_exception', '[filters] cannot be null.'),
  invalid('aggs that are not an object', ['a'], 'parsing_exception', /aggregations definitions must start with the name of the aggregation/),
  invalid('a bad error deep inside', { a: { terms: { field: 'type' }, aggs: { b: { date_histogram: { field: 'date', calendar_interval: 'fortnight' } } } } }, 'x_content_parse_exception', '[date_histogram] failed to parse field [calendar_interval]'),
]);

test('validation happens before execution: nothing is read from the source', () => {
  let reads = 0;
  const source = {
    ...sales,
    column: (f: string) => {
      reads++;
      return sales.column(f);
    },
  };
  assert.throws(() => runAggregations({ a: { avg: { field: 'price' } }, b: { tems: {} } }, source, sales.all), EsError);
  assert.equal(reads, 0);
});

test('errors Elasticsearch raises on shards are marked so search can wrap them', () => {
  const shard = (() => {
    try {
      runAggregations({ a: { avg: { field: 'type' } } }, sales, sales.all);
    } catch (error) {
      return error;
    }
  })();
  assert.ok(isShardLevel(shard));
  const request = (() => {
    try {
      validateAggregations({ a: { tems: {} } });
    } catch (error) {
      return error;
    }
  })();
  assert.ok(request instanceof EsError);
  assert.equal(isShardLevel(request), false);
});

test('no aggs at all is fine', () => {
  assert.deepEqual(runAggregations(undefined, sales, sales.all), {});
  assert.deepEqual(runAggregations({}, sales, sales.all), {});
});
