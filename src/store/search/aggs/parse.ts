/**
 * Reading the `aggs` object of a search into a tree of checked aggregation nodes, with
 * Elasticsearch 8's errors for every malformed request. Nothing here touches data, so the
 * whole request is rejected before any execution.
 */
import { aggregationInitialization, fieldParse, illegalArgument, parsing, suggest, xContent } from './errors.ts';
import { BUCKET_TYPES, METRIC_TYPES, readDateHistogram, readFilters, readHistogram, readPercentiles, readRanges, readTerms, readTopHits } from './options.ts';
import { isObject, javaDouble, tokenName } from './values.ts';

export interface AggNode {
  name: string;
  type: string;
  /** The options object as sent. */
  body: Record<string, unknown>;
  meta: Record<string, unknown> | undefined;
  subs: AggNode[];
  /** Options read and checked per type. */
  spec: Record<string, unknown>;
}

/** Every aggregation name Elasticsearch 8 registers: the candidates of "did you mean". */
const ES_AGGREGATIONS = [
  ...BUCKET_TYPES,
  ...METRIC_TYPES,
  'adjacency_matrix',
  'auto_date_histogram',
  'avg_bucket',
  'boxplot',
  'bucket_script',
  'bucket_selector',
  'bucket_sort',
  'categorize_text',
  'children',
  'composite',
  'cumulative_cardinality',
  'cumulative_sum',
  'derivative',
  'diversified_sampler',
  'extended_stats_bucket',
  'frequent_item_sets',
  'geo_bounds',
  'geo_centroid',
  'geo_distance',
  'geo_line',
  'geohash_grid',
  'geohex_grid',
  'geotile_grid',
  'global',
  'inference',
  'ip_prefix',
  'ip_range',
  'matrix_stats',
  'max_bucket',
  'median_absolute_deviation',
  'min_bucket',
  'moving_fn',
  'moving_percentiles',
  'multi_terms',
  'nested',
  'normalize',
  'parent',
  'percentile_ranks',
  'percentiles_bucket',
  'random_sampler',
  'rare_terms',
  'rate',
  'reverse_nested',
  'sampler',
  'scripted_metric',
  'serial_diff',
  'significant_terms',
  'significant_text',
  'stats_bucket',
  'string_stats',
  'sum_bucket',
  't_test',
  'time_series',
  'top_metrics',
  'variable_width_histogram',
  'weighted_avg',
];
const ES_AGGREGATION_SET = new Set(ES_AGGREGATIONS);

const VALUE_SOURCE = ['field', 'missing', 'format', 'value_type', 'script'];
const OPTIONS: Record<string, string[]> = {
  avg: VALUE_SOURCE,
  sum: VALUE_SOURCE,
  min: VALUE_SOURCE,
  max: VALUE_SOURCE,
  value_count: VALUE_SOURCE,
  cardinality: [...VALUE_SOURCE, 'precision_threshold', 'execution_hint', 'rehash'],
  stats: VALUE_SOURCE,
  extended_stats: [...VALUE_SOURCE, 'sigma'],
  percentiles: [...VALUE_SOURCE, 'percents', 'keyed', 'tdigest', 'hdr'],
  terms: [
    ...VALUE_SOURCE,
    'size',
    'shard_size',
    'min_doc_count',
    'shard_min_doc_count',
    'order',
    'include',
    'exclude',
    'execution_hint',
    'collect_mode',
    'show_term_doc_count_error',
  ],
  date_histogram: [...VALUE_SOURCE, 'calendar_interval', 'fixed_interval', 'time_zone', 'offset', 'min_doc_count', 'extended_bounds', 'hard_bounds', 'order', 'keyed'],
  histogram: [...VALUE_SOURCE, 'interval', 'offset', 'min_doc_count', 'extended_bounds', 'hard_bounds', 'order', 'keyed'],
  range: [...VALUE_SOURCE, 'ranges', 'keyed'],
  date_range: [...VALUE_SOURCE, 'ranges', 'keyed', 'time_zone'],
  missing: ['field', 'value_type'],
  filters: ['filters', 'other_bucket', 'other_bucket_key', 'keyed'],
};

const VALID_NAME = /^[^[\]>]+$/;

/** Parses and checks a whole `aggs` object (the value of `aggs` or `aggregations` in a search body). */
export function parseAggregations(aggs: unknown): AggNode[] {
  if (aggs === undefined || aggs === null) return [];
  if (typeof aggs !== 'object' || Array.isArray(aggs)) throw parsing('Unexpected token in [aggs]: aggregations definitions must start with the name of the aggregation.');
  const nodes: AggNode[] = [];
  for (const [name, definition] of Object.entries(aggs as Record<string, unknown>)) nodes.push(parseOne(name, definition));
  return nodes;
}

function parseOne(name: string, definition: unknown): AggNode {
  if (!VALID_NAME.test(name)) throw parsing(`Invalid aggregation name [${name}]. Aggregation names can contain any character except '[', ']', and '>'`);
  if (!isObject(definition)) throw parsing(`Aggregation definition for [${name} starts with a [${tokenName(definition)}], expected a [START_OBJECT].`);
  let type: string | undefined;
  let body: Record<string, unknown> = {};
  let meta: Record<string, unknown> | undefined;
  let subs: AggNode[] | undefined;
  for (const [key, value] of Object.entries(definition)) {
    if (!isObject(value)) throw parsing(`Expected [START_OBJECT] under [${key}], but got a [${tokenName(value)}] in [${name}]`);
    if (key === 'meta') meta = value;
    else if (key === 'aggs' || key === 'aggregations') {
      if (subs) throw parsing(`Found two sub aggregation definitions under [${name}]`);
      subs = parseAggregations(value);
    } else {
      if (type !== undefined) throw parsing(`Found two aggregation type definitions in [${name}]: [${type}] and [${key}]`);
      if (!BUCKET_TYPES.has(key) && !METRIC_TYPES.has(key)) {
        if (ES_AGGREGATION_SET.has(key)) throw illegalArgument(`aggregation type [${key}] of [${name}] is not supported by this store`);
        throw parsing(`Unknown aggregation type [${key}]${suggest(key, ES_AGGREGATIONS)}`, {
          type: 'named_object_not_found_exception',
          reason: `[1:1] unknown field [${key}]`,
        });
      }
      type = key;
      body = value;
    }
  }
  if (type === undefined) throw parsing(`Missing definition for aggregation [${name}]`);
  const node: AggNode = { name, type, body, meta, subs: subs ?? [], spec: {} };
  if (node.subs.length > 0 && METRIC_TYPES.has(type)) throw aggregationInitialization(`Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`);
  const seen = new Set<string>();
  for (const sub of node.subs) {
    if (seen.has(sub.name)) throw illegalArgument(`Two sibling aggregations cannot have the same name: [${sub.name}]`);
    seen.add(sub.name);
  }
  node.spec = readSpec(node);
  return node;
}

function readSpec(node: AggNode): Record<string, unknown> {
  const { type, body, name } = node;
  if (type === 'filter') return { query: body };
  if (type === 'top_hits') return readTopHits(node);
  const allowed = OPTIONS[type]!;
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      if (type === 'date_histogram' && key === 'interval') throw xContent(`[${type}] unknown field [interval]`);
      throw xContent(`[${type}] unknown field [${key}]${suggest(key, allowed)}`);
    }
  }
  if (body.script !== undefined) throw illegalArgument(`[script] in aggregation [${name}] is not supported by this store`);
  const spec: Record<string, unknown> = {};
  if (type !== 'filters') {
    if (body.field === undefined) throw illegalArgument('Required one of fields [field, script], but none were specified. ');
    if (typeof body.field !== 'string') throw fieldParse(type, 'field', `[field] must be a string in [${name}]`);
    spec.field = body.field;
  }
  if (body.format !== undefined && typeof body.format !== 'string') throw fieldParse(type, 'format', 'format must be a string');
  switch (type) {
    case 'terms':
      readTerms(node, spec);
      break;
    case 'date_histogram':
      readDateHistogram(node, spec);
      break;
    case 'histogram':
      readHistogram(node, spec);
      break;
    case 'range':
    case 'date_range':
      readRanges(node, spec);
      break;
    case 'filters':
      readFilters(node, spec);
      break;
    case 'percentiles':
      readPercentiles(node, spec);
      break;
    case 'extended_stats': {
      const sigma = body.sigma ?? 2;
      if (typeof sigma !== 'number') throw fieldParse(type, 'sigma', 'sigma must be a number');
      if (sigma < 0) throw fieldParse(type, 'sigma', `[sigma] must be greater than or equal to 0. Found [${javaDouble(sigma)}] in [${name}]`);
      spec.sigma = sigma;
      break;
    }
  }
  return spec;
}
