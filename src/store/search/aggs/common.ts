/**
 * What every aggregation shares: the run context (source, bucket budget), field kinds and
 * column lookup, grouping positions into buckets in one pass, sub-aggregations of
 * buckets, and bucket ordering.
 */
import type { Zone } from 'luxon';
import { type DateFormatter, dateFormatter, UTC } from './dates.ts';
import { shardIllegalArgument, tooManyBuckets, unsupportedField } from './errors.ts';
import type { OrderSpec } from './options.ts';
import type { AggNode } from './parse.ts';
import type { AggColumn, AggScalar, AggSource } from './types.ts';

export interface RunContext {
  source: AggSource;
  /** Buckets created so far in this response (Elasticsearch counts every bucket of every multi-bucket aggregation). */
  buckets: number;
  /** `search.max_buckets`. */
  readonly maxBuckets: number;
  run(nodes: AggNode[], positions: Int32Array): Record<string, unknown>;
  /**
   * A fresh context whose buckets do not count toward the response's: ordering by a
   * sub-aggregation computes it for every candidate bucket, but only the buckets returned
   * count toward the limit (each scratch run is still bounded by it).
   */
  scratch(): RunContext;
}

export function consumeBuckets(ctx: RunContext, n: number): void {
  ctx.buckets += n;
  if (ctx.buckets > ctx.maxBuckets) throw tooManyBuckets(ctx.maxBuckets, ctx.buckets);
}

export type Kind = 'keyword' | 'long' | 'double' | 'date' | 'boolean' | 'ip' | 'text' | 'other';

const LONGS = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);
const DOUBLES = new Set(['double', 'float', 'half_float', 'scaled_float']);
const KEYWORDS = new Set(['keyword', 'constant_keyword', 'wildcard', 'version', 'flattened']);

export function kindOf(type: string): Kind {
  if (LONGS.has(type)) return 'long';
  if (DOUBLES.has(type)) return 'double';
  if (type === 'date' || type === 'date_nanos') return 'date';
  if (type === 'boolean') return 'boolean';
  if (KEYWORDS.has(type)) return 'keyword';
  if (type === 'ip') return 'ip';
  if (type === 'text' || type === 'match_only_text' || type === 'search_as_you_type') return 'text';
  return 'other';
}

export const NUMERIC_KINDS: ReadonlySet<Kind> = new Set(['long', 'double', 'date', 'boolean']);
export const ANY_KINDS: ReadonlySet<Kind> = new Set(['keyword', 'long', 'double', 'date', 'boolean', 'ip']);

/** What reading values needs of a column. */
export type AggColumnLike = Pick<AggColumn, 'get'>;

export interface FieldRef {
  /** Undefined for an unmapped field: every document is missing it. */
  column: AggColumn | undefined;
  kind: Kind;
  field: string;
}

/** The column an aggregation reads, after checking its type is one the aggregation supports. */
export function fieldOf(ctx: RunContext, node: AggNode, allowed: ReadonlySet<Kind>): FieldRef {
  const field = node.spec.field as string;
  const column = ctx.source.column(field);
  if (!column) return { column: undefined, kind: 'other', field };
  const kind = kindOf(column.type);
  if (!allowed.has(kind)) throw unsupportedField(field, column.type, node.type, ctx.source.indexName);
  return { column, kind, field };
}

/** A value as a number for numeric aggregations (booleans are 0/1); NaN when it is not one. */
export function toNumber(v: AggScalar): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v);
  return v.trim() === '' ? Number.NaN : n;
}

/** The `missing` option of a numeric/date aggregation as a number (dates parsed). */
export function numericMissing(ref: FieldRef, missing: unknown, parseDate: (v: unknown) => number | null): number | undefined {
  if (missing === undefined || missing === null) return undefined;
  if (ref.kind === 'date') {
    const t = parseDate(missing);
    if (t === null) throw shardIllegalArgument(`failed to parse date field [${String(missing)}] with format [strict_date_optional_time||epoch_millis]`);
    return t;
  }
  if (typeof missing === 'boolean') return missing ? 1 : 0;
  const n = typeof missing === 'number' ? missing : Number(missing);
  if (typeof missing === 'string' && ref.kind === 'boolean' && (missing === 'true' || missing === 'false')) return missing === 'true' ? 1 : 0;
  if (!Number.isFinite(n)) throw shardIllegalArgument(`For input string: "${String(missing)}"`);
  return n;
}

/**
 * Positions grouped into buckets: `ords[i]` is 1 + the bucket of `positions[i]` (0: none);
 * documents in more than one bucket (multi-valued fields) add (index, bucket) pairs.
 */
export class Grouping {
  readonly ords: Int32Array;
  readonly extraIndex: number[] = [];
  readonly extraOrd: number[] = [];

  constructor(n: number) {
    this.ords = new Int32Array(n);
  }

  /** Puts document `i` into bucket `ord` (once per bucket). */
  add(i: number, ord: number): void {
    const first = this.ords[i]!;
    if (first === 0) {
      this.ords[i] = ord + 1;
      return;
    }
    if (first === ord + 1) return;
    for (let k = this.extraIndex.length - 1; k >= 0 && this.extraIndex[k] === i; k--) if (this.extraOrd[k] === ord) return;
    this.extraIndex.push(i);
    this.extraOrd.push(ord);
  }

  counts(buckets: number): Float64Array {
    const counts = new Float64Array(buckets + 1);
    const ords = this.ords;
    for (let i = 0; i < ords.length; i++) counts[ords[i]!]!++;
    for (const o of this.extraOrd) counts[o + 1]!++;
    return counts.subarray(1);
  }

  /** The positions of each bucket, in input order (views into one array). */
  subsets(positions: Int32Array, counts: Float64Array): Int32Array[] {
    const starts = new Int32Array(counts.length + 1);
    for (let b = 0; b < counts.length; b++) starts[b + 1] = starts[b]! + counts[b]!;
    const fill = starts.slice(0, counts.length);
    const all = new Int32Array(starts[counts.length]!);
    const ords = this.ords;
    const extras = this.extraIndex.length;
    let e = 0;
    for (let i = 0; i < ords.length; i++) {
      const o = ords[i]!;
      if (o > 0) all[fill[o - 1]!++] = positions[i]!;
      while (e < extras && this.extraIndex[e] === i) {
        const x = this.extraOrd[e++]!;
        all[fill[x]!++] = positions[i]!;
      }
    }
    const out: Int32Array[] = new Array(counts.length);
    for (let b = 0; b < counts.length; b++) out[b] = all.subarray(starts[b]!, starts[b + 1]!);
    return out;
  }
}

/** A counts array twice as long, same counts. */
export function grow(counts: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(counts.length * 2);
  bigger.set(counts);
  return bigger;
}

/** A bucket under construction: its key(s), count, positions and (lazily) sub-aggregation results. */
export interface Bucket {
  key: string | number;
  /** For ordering by `_key`: strings compare as strings, numbers as numbers. */
  sortKey: string | number;
  docCount: number;
  positions: Int32Array | undefined;
  subs?: Record<string, unknown>;
  /** Sub-aggregations computed only to order the buckets (not counted toward max_buckets). */
  ordering?: Record<string, unknown>;
}

/** Runs a bucket's sub-aggregations (once; ordering may have asked for them already). */
export function subResults(ctx: RunContext, node: AggNode, bucket: Bucket): Record<string, unknown> {
  if (!bucket.subs) bucket.subs = node.subs.length ? ctx.run(node.subs, bucket.positions ?? new Int32Array(0)) : {};
  return bucket.subs;
}

/** Java's Double.compare: NaN above everything. */
function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The value an order path names in a bucket's sub-aggregation results (NaN when empty). */
export function orderValue(ctx: RunContext, node: AggNode, bucket: Bucket, path: string): number {
  const elements = path.split('>');
  let results: Record<string, unknown> | undefined;
  for (let i = 0; i < elements.length; i++) {
    let element = elements[i]!;
    let key: string | undefined;
    const bracket = /^(.*)\[(.*)\]$/.exec(element);
    if (bracket) {
      element = bracket[1]!;
      key = bracket[2];
    } else if (i === elements.length - 1 && element.includes('.')) {
      const dot = element.indexOf('.');
      key = element.slice(dot + 1);
      element = element.slice(0, dot);
    }
    // Only the named sub-aggregation runs (uncounted) for ordering; the others wait for the buckets returned.
    const current = i === 0 ? orderingResult(ctx, node, bucket, element) : results?.[element];
    if (i < elements.length - 1) results = current as Record<string, unknown>;
    else return metricValue(current as Record<string, unknown>, key);
  }
  return Number.NaN;
}

function orderingResult(ctx: RunContext, node: AggNode, bucket: Bucket, name: string): unknown {
  if (bucket.subs) return bucket.subs[name];
  bucket.ordering ??= {};
  if (!(name in bucket.ordering)) {
    const sub = node.subs.find((s) => s.name === name)!;
    Object.assign(bucket.ordering, ctx.scratch().run([sub], bucket.positions ?? new Int32Array(0)));
  }
  return bucket.ordering[name];
}

function metricValue(result: Record<string, unknown>, key: string | undefined): number {
  let v: unknown;
  if ('doc_count' in result && (key === undefined || key === 'doc_count')) v = result.doc_count;
  else if (key === undefined || key === 'value') v = result.value;
  else if (result.values && typeof result.values === 'object') {
    const values = result.values as Record<string, unknown>;
    v = values[key] ?? values[String(Number(key)).includes('.') ? String(Number(key)) : `${Number(key)}.0`];
  } else v = result[key];
  return typeof v === 'number' ? v : Number.NaN;
}

/** Sorts buckets by an order list (ties broken by the next element, then by key ascending). */
export function sortBuckets(ctx: RunContext, node: AggNode, buckets: Bucket[], order: OrderSpec[]): void {
  const needsKeyTiebreak = !order.some((o) => o.path === '_key');
  const cache = new Map<string, Map<Bucket, number>>();
  for (const o of order) {
    if (o.path === '_count' || o.path === '_key') continue;
    const values = new Map<Bucket, number>();
    for (const b of buckets) values.set(b, orderValue(ctx, node, b, o.path));
    cache.set(o.path, values);
  }
  buckets.sort((a, b) => {
    for (const o of order) {
      let c: number;
      if (o.path === '_count') c = a.docCount - b.docCount;
      else if (o.path === '_key') c = compareKeys(a.sortKey, b.sortKey);
      else {
        const values = cache.get(o.path)!;
        c = compareDoubles(values.get(a)!, values.get(b)!);
      }
      if (c !== 0) return o.asc ? c : -c;
    }
    return needsKeyTiebreak ? compareKeys(a.sortKey, b.sortKey) : 0;
  });
}

/** key_as_string of a date key: the aggregation's `format`, else the column's own format, else ISO. */
export function dateKeyFormatter(ref: FieldRef, format: string | undefined, zone: Zone): (millis: number) => string {
  if (format === undefined && ref.column?.formatDate && zone === UTC) {
    const column = ref.column;
    return (millis) => (Number.isFinite(millis) && Math.abs(millis) <= 8.64e15 ? column.formatDate!(millis) : String(millis));
  }
  let f: DateFormatter;
  try {
    f = dateFormatter(format);
  } catch (error) {
    throw shardIllegalArgument((error as Error).message);
  }
  return (millis) => f(millis, zone);
}

/** value_as_string / key_as_string for booleans, dates and formatted numbers; undefined when Elasticsearch prints none. */
export function valueFormatter(ref: FieldRef, format: string | undefined): ((v: number) => string) | undefined {
  if (ref.kind === 'date') return dateKeyFormatter(ref, format, UTC);
  if (ref.kind === 'boolean') return (v) => (v !== 0 ? 'true' : 'false');
  if (format !== undefined) return decimalFormatter(format);
  return undefined;
}

/** A small subset of Java's DecimalFormat: `0`/`#` digits, `.` fractions, `,` grouping, literal prefix and suffix. */
export function decimalFormatter(pattern: string): (v: number) => string {
  const m = /^([^#0,.]*)([#0,]*)(?:\.([#0]*))?(.*)$/.exec(pattern);
  if (!m) return (v) => String(v);
  const [, prefix, intPart, fracPart = '', suffix] = m;
  const minFrac = (fracPart.match(/0/g) ?? []).length;
  const maxFrac = fracPart.length;
  const minInt = (intPart!.match(/0/g) ?? []).length;
  const grouping = intPart!.includes(',') ? intPart!.length - intPart!.lastIndexOf(',') - 1 : 0;
  return (v) => {
    if (!Number.isFinite(v)) return String(v);
    let s = Math.abs(v).toFixed(maxFrac);
    let [int, frac = ''] = s.split('.');
    while (frac.length > minFrac && frac.endsWith('0')) frac = frac.slice(0, -1);
    if (int === '0' && minInt === 0 && (frac.length > 0 || maxFrac > 0)) int = '';
    int = int!.padStart(minInt, '0');
    if (grouping > 0) int = int.replace(new RegExp(`\\B(?=(\\d{${grouping}})+(?!\\d))`, 'g'), ',');
    s = frac ? `${int}.${frac}` : int || '0';
    return `${v < 0 ? '-' : ''}${prefix}${s}${suffix}`;
  };
}
