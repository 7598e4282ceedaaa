/**
 * Reading the `aggs` object of a search into a tree of checked aggregation nodes, with
 * Elasticsearch 8's errors for every malformed request. Nothing here touches data, so the
 * whole request is rejected before any execution.
 */
import type { Zone } from 'luxon';
import { CALENDAR_UNITS, type CalendarUnit, parseTimeValue, parseZone, UTC } from './dates.ts';
import { aggregationExecution, aggregationInitialization, fieldParse, illegalArgument, parsing, shardIllegalArgument, suggest, xContent } from './errors.ts';

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

/** Aggregations this store runs. */
export const BUCKET_TYPES = new Set(['terms', 'date_histogram', 'histogram', 'range', 'date_range', 'filter', 'filters', 'missing']);
export const METRIC_TYPES = new Set(['avg', 'sum', 'min', 'max', 'value_count', 'cardinality', 'stats', 'extended_stats', 'percentiles', 'top_hits']);
/** Metrics answering one number (`value`): what a terms `order` can name without a metric key. */
export const SINGLE_VALUE_METRICS = new Set(['avg', 'sum', 'min', 'max', 'value_count', 'cardinality']);

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
      if (sigma < 0) throw illegalArgument(`[sigma] must be greater than or equal to 0. Found [${sigma}] in [${name}]`);
      spec.sigma = sigma;
      break;
    }
  }
  return spec;
}

/** Elasticsearch's default index.max_inner_result_window. */
const MAX_INNER_RESULT_WINDOW = 100;

function readTopHits(node: AggNode): Record<string, unknown> {
  const from = int(node, 'from', 0);
  const size = int(node, 'size', 3);
  if (from < 0) throw illegalArgument(`[from] must be greater than or equal to 0. Found [${from}] in [${node.name}]`);
  if (size < 0) throw illegalArgument(`[size] must be greater than or equal to 0. Found [${size}] in [${node.name}]`);
  if (from + size > MAX_INNER_RESULT_WINDOW) {
    throw shardIllegalArgument(
      `Top hits result window is too large, the top hits aggregator [${node.name}]'s from + size must be less than or equal to: [${MAX_INNER_RESULT_WINDOW}] but was [${from + size}]. This limit can be set by changing the [index.max_inner_result_window] index level setting.`,
    );
  }
  return { options: { ...node.body, from, size } };
}

/** A number option; numeric strings are read as numbers, as Elasticsearch's parser does. */
function num(node: AggNode, key: string, fallback: number | undefined): number | undefined {
  const value = node.body[key];
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) throw fieldParse(node.type, key, `[${key}] must be a number, got [${String(value)}]`);
  return n;
}

function int(node: AggNode, key: string, fallback: number): number {
  const value = node.body[key];
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw fieldParse(node.type, key, `[${key}] must be an integer, got [${String(value)}]`);
  return n;
}

function bool(node: AggNode, key: string, fallback: boolean): boolean {
  const value = node.body[key];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw fieldParse(node.type, key, `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
}

export interface OrderSpec {
  /** `_count`, `_key`, or a path to a sub-aggregation (`avg_price`, `stats.avg`, `f>avg`). */
  path: string;
  asc: boolean;
}

function readOrder(node: AggNode, defaultOrder: OrderSpec[]): OrderSpec[] {
  const raw = node.body.order;
  if (raw === undefined) return defaultOrder;
  const list = Array.isArray(raw) ? raw : [raw];
  const out: OrderSpec[] = [];
  for (const item of list) {
    if (!isObject(item)) throw parsing(`Order elements must be of type object in [${node.name}] found token of type [${tokenName(item)}].`);
    for (const [path, dir] of Object.entries(item)) {
      const d = typeof dir === 'string' ? dir.toLowerCase() : dir;
      if (d !== 'asc' && d !== 'desc') throw parsing(`Unknown order direction [${String(dir)}] in terms aggregation [${node.name}]`);
      if (path === '_term') throw illegalArgument('Invalid order path [_term]: [_term] was removed, use [_key] instead');
      out.push({ path, asc: d === 'asc' });
    }
  }
  for (const o of out) if (o.path !== '_count' && o.path !== '_key') checkOrderPath(node, o.path);
  return out;
}

/** Elasticsearch's AggregationPath validation of an order path against the sub-aggregations. */
function checkOrderPath(node: AggNode, path: string): void {
  const elements = path.split('>');
  let current = node;
  for (let i = 0; i < elements.length; i++) {
    const last = i === elements.length - 1;
    let element = elements[i]!;
    let key: string | undefined;
    const bracket = /^(.*)\[(.*)\]$/.exec(element);
    if (bracket) {
      element = bracket[1]!;
      key = bracket[2];
    } else if (last && element.includes('.')) {
      const dot = element.indexOf('.');
      key = element.slice(dot + 1);
      element = element.slice(0, dot);
    }
    const sub = current.subs.find((s) => s.name === element);
    if (!sub) {
      throw aggExecutionPath(path, `The provided aggregation [${element}] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.`);
    }
    const singleBucket = sub.type === 'filter' || sub.type === 'missing';
    if (!last) {
      if (!singleBucket) {
        throw aggExecutionPath(
          path,
          `Buckets can only be sorted on a sub-aggregator path that is built out of zero or more single-bucket aggregations within the path and a final single-bucket or a metrics aggregation at the path end. Sub-path [${elements.slice(0, i + 1).join('>')}] points to non single-bucket aggregation`,
        );
      }
      current = sub;
      continue;
    }
    if (singleBucket) {
      if (key !== undefined && key !== '_count' && key !== 'doc_count') {
        // ordering by a key of a single-bucket agg: only its doc count
        throw aggExecutionPath(path, `Invalid key [${key}] for single-bucket aggregation [${element}]. Only [_count] is allowed.`);
      }
      return;
    }
    if (BUCKET_TYPES.has(sub.type) || sub.type === 'top_hits') {
      throw aggExecutionPath(
        path,
        `Buckets can only be sorted on a sub-aggregator path that is built out of zero or more single-bucket aggregations within the path and a final single-bucket or a metrics aggregation at the path end. Sub-path [${element}] points to non single-bucket aggregation`,
      );
    }
    if (SINGLE_VALUE_METRICS.has(sub.type)) {
      if (key !== undefined && key !== 'value') throw aggExecutionPath(path, `Unknown value key [${key}] for single-value metric aggregation [${element}]. Either use [value] as key or drop the key all together`);
      return;
    }
    if (key === undefined) throw aggExecutionPath(path, `When ordering on a multi-value metrics aggregation a metric name must be specified.`);
  }
}

/** Elasticsearch raises these while it creates the aggregator on a shard. */
function aggExecutionPath(path: string, message: string) {
  return aggregationExecution(`Invalid aggregation order path [${path}]. ${message}`);
}

export interface TermsSpec {
  field: string;
  size: number;
  shardSize: number;
  minDocCount: number;
  order: OrderSpec[];
  include: Matcher | undefined;
  exclude: Matcher | undefined;
  missing: unknown;
  format: string | undefined;
}

export interface Matcher {
  regex?: RegExp;
  values?: Set<string | number>;
}

function readTerms(node: AggNode, spec: Record<string, unknown>): void {
  const size = int(node, 'size', 10);
  if (size <= 0) throw illegalArgument(`[size] must be greater than 0. Found [${size}] in [${node.name}]`);
  const minDocCount = int(node, 'min_doc_count', 1);
  if (minDocCount < 0) throw illegalArgument(`[min_doc_count] must be greater than or equal to 0. Found [${minDocCount}] in [${node.name}]`);
  let shardSize = int(node, 'shard_size', -1);
  if (node.body.shard_size !== undefined && shardSize <= 0) throw illegalArgument(`[shard_size] must be greater than 0. Found [${shardSize}] in [${node.name}]`);
  if (shardSize < 0) shardSize = Math.floor(size * 1.5 + 10);
  if (shardSize < size) shardSize = size;
  spec.size = size;
  spec.shardSize = shardSize;
  spec.minDocCount = minDocCount;
  spec.order = readOrder(node, [{ path: '_count', asc: false }]);
  spec.include = readMatcher(node, 'include');
  spec.exclude = readMatcher(node, 'exclude');
  spec.missing = node.body.missing;
  spec.format = node.body.format;
  spec.showTermDocCountError = bool(node, 'show_term_doc_count_error', false);
}

function readMatcher(node: AggNode, key: 'include' | 'exclude'): Matcher | undefined {
  const value = node.body[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    try {
      return { regex: new RegExp(`^(?:${value})$`, 'u') };
    } catch (error) {
      throw illegalArgument(`Invalid regular expression [${value}] in [${key}]: ${(error as Error).message}`);
    }
  }
  if (Array.isArray(value)) return { values: new Set(value.map((v) => (typeof v === 'number' ? v : String(v)))) };
  if (isObject(value) && 'partition' in value) throw illegalArgument(`[${key}] partitions are not supported by this store`);
  throw fieldParse('terms', key, `Unrecognized token for an include [${tokenName(value)}]`);
}

export interface HistogramSpec {
  field: string;
  /** Histogram interval, or the date_histogram fixed interval in ms. */
  interval: number;
  calendar: CalendarUnit | undefined;
  zone: Zone;
  offset: number;
  minDocCount: number;
  extendedBounds: { min: unknown; max: unknown } | undefined;
  hardBounds: { min: unknown; max: unknown } | undefined;
  order: OrderSpec[];
  keyed: boolean;
  missing: unknown;
  format: string | undefined;
}

function readBounds(node: AggNode, key: string): { min: unknown; max: unknown } | undefined {
  const value = node.body[key];
  if (value === undefined) return undefined;
  if (!isObject(value)) throw fieldParse(node.type, key, `[${key}] must be an object`);
  for (const k of Object.keys(value)) if (k !== 'min' && k !== 'max') throw xContent(`[${key}] unknown field [${k}]`);
  return { min: value.min, max: value.max };
}

function readDateHistogram(node: AggNode, spec: Record<string, unknown>): void {
  const { body } = node;
  const calendar = body.calendar_interval;
  const fixed = body.fixed_interval;
  if (calendar !== undefined && fixed !== undefined) {
    // The option parsed second is the one refused.
    const keys = Object.keys(body);
    const [second, first] = keys.indexOf('fixed_interval') > keys.indexOf('calendar_interval') ? ['fixed_interval', 'calendar_interval'] : ['calendar_interval', 'fixed_interval'];
    throw fieldParse('date_histogram', second, `Cannot use [${second}] with [${first}] configuration option.`);
  }
  if (calendar !== undefined) {
    if (typeof calendar !== 'string' || calendar === '') throw fieldParse('date_histogram', 'calendar_interval', '[interval] must not be null: [date_histogram]');
    const unit = CALENDAR_UNITS[calendar];
    if (!unit) throw fieldParse('date_histogram', 'calendar_interval', `The supplied interval [${calendar}] could not be parsed as a calendar interval.`);
    spec.calendar = unit;
    spec.interval = 0;
  } else if (fixed !== undefined) {
    if (typeof fixed !== 'string' || fixed === '') throw fieldParse('date_histogram', 'fixed_interval', '[interval] must not be null: [date_histogram]');
    const ms = parseTimeValue(fixed);
    if (ms === null) {
      throw fieldParse('date_histogram', 'fixed_interval', `failed to parse setting [date_histogram.fixedInterval] with value [${fixed}] as a time value: unit is missing or unrecognized`);
    }
    if (ms < 1) throw shardIllegalArgument('Zero or negative time interval not supported');
    spec.interval = ms;
  } else {
    throw shardIllegalArgument('Invalid interval specified, must be non-null and non-empty');
  }
  spec.zone = readZone(node);
  spec.offset = readDateOffset(node);
  readHistogramCommon(node, spec);
}

function readZone(node: AggNode): Zone {
  const tz = node.body.time_zone;
  if (tz === undefined) return UTC;
  if (typeof tz !== 'string') throw fieldParse(node.type, 'time_zone', 'time_zone must be a string');
  const zone = parseZone(tz);
  if (!zone) throw fieldParse(node.type, 'time_zone', `Unknown time-zone ID: ${tz}`, 'zone_rules_exception');
  return zone;
}

function readDateOffset(node: AggNode): number {
  const offset = node.body.offset;
  if (offset === undefined) return 0;
  if (typeof offset === 'number' && Number.isInteger(offset)) return offset;
  if (typeof offset === 'string') {
    const text = offset.startsWith('+') ? offset.slice(1) : offset;
    const ms = parseTimeValue(text);
    if (ms !== null) return Math.trunc(ms);
  }
  throw fieldParse('date_histogram', 'offset', `failed to parse setting [date_histogram.offset] with value [${String(offset)}] as a time value: unit is missing or unrecognized`);
}

function readHistogram(node: AggNode, spec: Record<string, unknown>): void {
  const interval = num(node, 'interval', undefined);
  if (interval === undefined) throw illegalArgument(`[interval] must be >0 for histogram aggregation [${node.name}]`);
  if (!(interval > 0) || !Number.isFinite(interval)) throw fieldParse('histogram', 'interval', `[interval] must be >0 for histogram aggregation [${node.name}]`);
  spec.interval = interval;
  const offset = num(node, 'offset', 0)!;
  if (!Number.isFinite(offset)) throw fieldParse('histogram', 'offset', `[offset] must be a number, got [${String(node.body.offset)}]`);
  spec.offset = offset;
  spec.zone = UTC;
  readHistogramCommon(node, spec);
}

function readHistogramCommon(node: AggNode, spec: Record<string, unknown>): void {
  const minDocCount = int(node, 'min_doc_count', 0);
  if (minDocCount < 0) throw illegalArgument(`[minDocCount] must be greater than or equal to 0. Found [${minDocCount}] in [${node.name}]`);
  spec.minDocCount = minDocCount;
  spec.extendedBounds = readBounds(node, 'extended_bounds');
  spec.hardBounds = readBounds(node, 'hard_bounds');
  if (node.type === 'histogram') {
    const eb = spec.extendedBounds as { min: unknown; max: unknown } | undefined;
    if (eb && typeof eb.min === 'number' && typeof eb.max === 'number' && eb.min > eb.max) {
      throw illegalArgument(`[extended_bounds.min][${javaDouble(eb.min)}] cannot be greater than [extended_bounds.max][${javaDouble(eb.max)}] for histogram aggregation [${node.name}]`);
    }
  }
  spec.order = readOrder(node, [{ path: '_key', asc: true }]);
  spec.keyed = bool(node, 'keyed', false);
  spec.missing = node.body.missing;
  spec.format = node.body.format;
}

export interface RangeSpec {
  field: string;
  ranges: { key: string | undefined; from: unknown; to: unknown }[];
  keyed: boolean;
  missing: unknown;
  format: string | undefined;
  zone: Zone;
}

function readRanges(node: AggNode, spec: Record<string, unknown>): void {
  const ranges = node.body.ranges;
  if (ranges === undefined) throw illegalArgument(`No [ranges] specified for the [${node.name}] aggregation`);
  if (!Array.isArray(ranges)) throw fieldParse(node.type, 'ranges', '[ranges] must be an array');
  if (ranges.length === 0) throw illegalArgument(`No [ranges] specified for the [${node.name}] aggregation`);
  spec.ranges = ranges.map((r) => {
    if (!isObject(r)) throw fieldParse(node.type, 'ranges', 'a range must be an object');
    for (const k of Object.keys(r)) if (k !== 'key' && k !== 'from' && k !== 'to') throw xContent(`[range] unknown field [${k}]`);
    if (r.key !== undefined && typeof r.key !== 'string') throw fieldParse(node.type, 'ranges', '[key] must be a string');
    return { key: r.key as string | undefined, from: r.from ?? undefined, to: r.to ?? undefined };
  });
  spec.keyed = bool(node, 'keyed', false);
  spec.missing = node.body.missing;
  spec.format = node.body.format;
  spec.zone = node.type === 'date_range' ? readZone(node) : UTC;
}

function readFilters(node: AggNode, spec: Record<string, unknown>): void {
  const filters = node.body.filters;
  if (filters === undefined) throw illegalArgument(`[filters] cannot be null.`);
  let list: { key: string | undefined; query: unknown }[];
  let named: boolean;
  if (Array.isArray(filters)) {
    named = false;
    list = filters.map((q) => {
      if (!isObject(q)) throw parsing(`Expected [START_OBJECT] in [filters] but got [${tokenName(q)}]`);
      return { key: undefined, query: q };
    });
  } else if (isObject(filters)) {
    named = true;
    list = Object.entries(filters).map(([key, q]) => {
      if (!isObject(q)) throw parsing(`Expected [START_OBJECT] in [filters] but got [${tokenName(q)}]`);
      return { key, query: q };
    });
    // Elasticsearch keeps named filters sorted by key, whatever the request order.
    list.sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0));
  } else {
    throw parsing(`Unknown key for a ${tokenName(filters)} in [${node.name}]: [filters].`);
  }
  const otherKey = node.body.other_bucket_key;
  if (otherKey !== undefined && typeof otherKey !== 'string') throw fieldParse('filters', 'other_bucket_key', 'other_bucket_key must be a string');
  spec.filters = list;
  spec.named = named;
  spec.keyed = bool(node, 'keyed', named) && named;
  spec.otherBucket = node.body.other_bucket === undefined ? otherKey !== undefined : bool(node, 'other_bucket', false);
  spec.otherKey = otherKey ?? '_other_';
}

export const DEFAULT_PERCENTS = [1, 5, 25, 50, 75, 95, 99];

function readPercentiles(node: AggNode, spec: Record<string, unknown>): void {
  const percents = node.body.percents ?? DEFAULT_PERCENTS;
  if (!Array.isArray(percents)) throw fieldParse('percentiles', 'percents', '[percents] must be an array of numbers');
  if (percents.length === 0) throw xContent(`Failed to build [percentiles] after last required field arrived`, { type: 'illegal_argument_exception', reason: `[percents] must not be empty: [${node.name}]` });
  for (const p of percents) {
    if (typeof p !== 'number') throw fieldParse('percentiles', 'percents', '[percents] must be an array of numbers');
    if (p < 0 || p > 100) {
      throw xContent('Failed to build [percentiles] after last required field arrived', {
        type: 'illegal_argument_exception',
        reason: `percent must be in [0,100], got [${javaDouble(p)}]: [${node.name}]`,
      });
    }
  }
  spec.percents = [...new Set(percents as number[])].sort((a, b) => a - b);
  spec.keyed = bool(node, 'keyed', true);
  spec.missing = node.body.missing;
  spec.format = node.body.format;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tokenName(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return 'VALUE_NUMBER';
  if (typeof value === 'boolean') return 'VALUE_BOOLEAN';
  if (value === null) return 'VALUE_NULL';
  return 'START_OBJECT';
}

/** A double as Java's Double.toString prints it (`100.0`, `1.5`, `1.0E10`). */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') || s.includes('e') ? plain(s) : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

function plain(s: string): string {
  if (!s.includes('e')) return s;
  return Number(s).toFixed(20).replace(/0+$/, '').replace(/\.$/, '.0');
}
