/**
 * The options of each aggregation type, read and checked with Elasticsearch 8's errors:
 * sizes and counts, `order` (including sub-aggregation paths), include/exclude,
 * intervals, time zones, offsets, bounds, ranges, filters and percents.
 */
import type { Zone } from 'luxon';
import { CALENDAR_UNITS, type CalendarUnit, parseTimeValue, parseZone, UTC } from './dates.ts';
import { aggregationExecution, fieldParse, illegalArgument, parsing, shardIllegalArgument, xContent } from './errors.ts';
import type { AggNode } from './parse.ts';
import { isObject, javaDouble, tokenName } from './values.ts';

/** Aggregations this store runs. */
export const BUCKET_TYPES = new Set(['terms', 'date_histogram', 'histogram', 'range', 'date_range', 'filter', 'filters', 'missing']);
export const METRIC_TYPES = new Set(['avg', 'sum', 'min', 'max', 'value_count', 'cardinality', 'stats', 'extended_stats', 'percentiles', 'top_hits']);
/** Metrics answering one number (`value`): what a terms `order` can name without a metric key. */
export const SINGLE_VALUE_METRICS = new Set(['avg', 'sum', 'min', 'max', 'value_count', 'cardinality']);

/** Elasticsearch's default index.max_inner_result_window. */
const MAX_INNER_RESULT_WINDOW = 100;

export function readTopHits(node: AggNode): Record<string, unknown> {
  const from = int(node, 'from', 0);
  const size = int(node, 'size', 3);
  if (from < 0) throw fieldParse('top_hits', 'from', `[from] must be greater than or equal to 0. Found [${from}] in [${node.name}]`);
  if (size < 0) throw fieldParse('top_hits', 'size', `[size] must be greater than or equal to 0. Found [${size}] in [${node.name}]`);
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
      if (key !== undefined && key !== 'doc_count') {
        throw aggExecutionPath(
          path,
          `Ordering on a single-bucket aggregation can only be done on its doc_count. Either drop the key (a la "${element}") or change it to "doc_count" (a la "${element}.doc_count") or "key".`,
        );
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

export function readTerms(node: AggNode, spec: Record<string, unknown>): void {
  const size = int(node, 'size', 10);
  if (size <= 0) throw fieldParse('terms', 'size', `[size] must be greater than 0. Found [${size}] in [${node.name}]`);
  const minDocCount = int(node, 'min_doc_count', 1);
  if (minDocCount < 0) throw fieldParse('terms', 'min_doc_count', `[min_doc_count] must be greater than or equal to 0. Found [${minDocCount}] in [${node.name}]`);
  let shardSize = int(node, 'shard_size', -1);
  if (node.body.shard_size !== undefined && shardSize <= 0) throw fieldParse('terms', 'shard_size', `[shard_size] must be greater than 0. Found [${shardSize}] in [${node.name}]`);
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

export function readDateHistogram(node: AggNode, spec: Record<string, unknown>): void {
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

export function readHistogram(node: AggNode, spec: Record<string, unknown>): void {
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
  if (minDocCount < 0) throw fieldParse(node.type, 'min_doc_count', `[minDocCount] must be greater than or equal to 0. Found [${minDocCount}] in [${node.name}]`);
  spec.minDocCount = minDocCount;
  spec.extendedBounds = readBounds(node, 'extended_bounds');
  spec.hardBounds = readBounds(node, 'hard_bounds');
  if (node.type === 'histogram') {
    const eb = spec.extendedBounds as { min: unknown; max: unknown } | undefined;
    if (eb && typeof eb.min === 'number' && typeof eb.max === 'number' && eb.min > eb.max) {
      throw shardIllegalArgument(`[extended_bounds.min][${javaDouble(eb.min)}] cannot be greater than [extended_bounds.max][${javaDouble(eb.max)}] for histogram aggregation [${node.name}]`);
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

export function readRanges(node: AggNode, spec: Record<string, unknown>): void {
  const ranges = node.body.ranges;
  if (ranges === undefined) throw shardIllegalArgument(`No [ranges] specified for the [${node.name}] aggregation`);
  if (!Array.isArray(ranges)) throw fieldParse(node.type, 'ranges', '[ranges] must be an array');
  if (ranges.length === 0) throw shardIllegalArgument(`No [ranges] specified for the [${node.name}] aggregation`);
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

export function readFilters(node: AggNode, spec: Record<string, unknown>): void {
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

export function readPercentiles(node: AggNode, spec: Record<string, unknown>): void {
  const percents = node.body.percents ?? DEFAULT_PERCENTS;
  if (!Array.isArray(percents)) throw fieldParse('percentiles', 'percents', '[percents] must be an array of numbers');
  if (percents.length === 0) throw xContent(`Failed to build [percentiles] after last required field arrived`, { type: 'illegal_argument_exception', reason: `[percents] must not be empty: [${node.name}]` });
  for (const p of percents) if (typeof p !== 'number') throw fieldParse('percentiles', 'percents', '[percents] must be an array of numbers');
  // Checked in ascending order, as Elasticsearch does: range first, then repeats (refused since 8.0).
  const sorted = [...(percents as number[])].sort((a, b) => a - b);
  const fail = (reason: string) => xContent('Failed to build [percentiles] after last required field arrived', { type: 'illegal_argument_exception', reason });
  let previous: number | undefined;
  for (const p of sorted) {
    if (p < 0 || p > 100) throw fail(`percent must be in [0,100], got [${javaDouble(p)}]: [${node.name}]`);
    if (p === previous) throw fail(`percent [${javaDouble(p)}] has been specified twice: [${node.name}]`);
    previous = p;
  }
  spec.percents = sorted;
  spec.keyed = bool(node, 'keyed', true);
  spec.missing = node.body.missing;
  spec.format = node.body.format;
}
