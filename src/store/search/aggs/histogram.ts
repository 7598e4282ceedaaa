/**
 * `histogram` and `date_histogram`. Each value is rounded to its bucket in one pass:
 * fixed intervals in UTC or a fixed offset are arithmetic; calendar units and DST zones
 * get a table of bucket starts between the smallest and largest value (luxon only at
 * offset changes), looked up in constant time whatever the order of the documents.
 * Bucket indexes map to ordinals through a dense table. With `min_doc_count: 0` (the
 * default) the empty buckets between the first and last key — widened by
 * `extended_bounds`, limited by `hard_bounds` — are filled in, as Elasticsearch's reduce
 * does.
 */
import type { Zone } from 'luxon';
import { type AggColumnLike, type Bucket, consumeBuckets, dateKeyFormatter, fieldOf, Grouping, grow, type Kind, numericMissing, type RunContext, sortBuckets, subResults, toNumber, valueFormatter } from './common.ts';
import { calendarRounding, fixedRounding, parseDateValue, precomputedRounding, type Rounding } from './dates.ts';
import { shardIllegalArgument } from './errors.ts';
import type { HistogramSpec, OrderSpec } from './options.ts';
import type { AggNode } from './parse.ts';
import { javaDouble } from './values.ts';

const DATE_HISTOGRAM_KINDS: ReadonlySet<Kind> = new Set(['date', 'long', 'double']);
const HISTOGRAM_KINDS: ReadonlySet<Kind> = new Set(['date', 'long', 'double', 'boolean']);

export function runHistogram(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const spec = node.spec as unknown as HistogramSpec;
  const isDate = node.type === 'date_histogram';
  const ref = fieldOf(ctx, node, isDate ? DATE_HISTOGRAM_KINDS : HISTOGRAM_KINDS);
  const format = spec.format;
  const zone = spec.zone as Zone;
  const parseDate = (v: unknown, roundUp = false) => parseDateValue(v, ctx.source.now, format, zone, roundUp);

  let rounding: Rounding;
  if (isDate) rounding = spec.calendar ? calendarRounding(spec.calendar, zone, spec.offset) : fixedRounding(spec.interval, zone, spec.offset);
  else {
    const { interval, offset } = spec;
    rounding = {
      fixedStep: interval,
      origin: offset,
      round: (v) => Math.floor((v - offset) / interval) * interval + offset,
      next: (key) => (Math.round((key - offset) / interval) + 1) * interval + offset,
    };
  }

  const readBound = (value: unknown, what: string): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (!isDate) {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) throw shardIllegalArgument(`[${what}] must be a number, got [${String(value)}]`);
      return n;
    }
    const t = parseDate(value);
    if (t === null) throw shardIllegalArgument(`failed to parse date field [${String(value)}] with format [${format ?? 'strict_date_optional_time||epoch_millis'}]`);
    return t;
  };
  const hardMin = readBound(spec.hardBounds?.min, 'hard_bounds.min');
  const hardMax = readBound(spec.hardBounds?.max, 'hard_bounds.max');
  const ebMin = readBound(spec.extendedBounds?.min, 'extended_bounds.min');
  const ebMax = readBound(spec.extendedBounds?.max, 'extended_bounds.max');
  if (isDate && ebMin !== undefined && ebMax !== undefined && ebMin > ebMax) {
    throw shardIllegalArgument(`[extended_bounds.min][${ebMin}] cannot be greater than [extended_bounds.max][${ebMax}] for histogram aggregation [${node.name}]`);
  }
  if (spec.hardBounds && spec.extendedBounds) checkInsideHardBounds(spec, isDate, rounding, [ebMin, ebMax], [hardMin, hardMax]);
  const inHard = (key: number) => (hardMin === undefined || key >= hardMin) && (hardMax === undefined || (isDate ? key < hardMax : key <= hardMax));

  const missing = numericMissing(ref, spec.missing, (v) => parseDate(v));
  const column = ref.column;
  if (!rounding.fixedStep && column) {
    const [min, max] = valueRange(column, positions, missing);
    if (min <= max) rounding = precomputedRounding(rounding, min, max) ?? rounding;
  }
  const ordOf = new KeyOrdinals();
  const keys: number[] = [];
  let counts: Float64Array<ArrayBuffer> = new Float64Array(64);
  const grouping = node.subs.length > 0 ? new Grouping(positions.length) : undefined;
  // Bucket index: key = origin + index × step for fixed steps, else the bucket's place in a table of starts.
  const step = rounding.fixedStep;
  const origin = rounding.origin;
  const keyTable = new Map<number, number>();
  const table = rounding.indexOf ? rounding : undefined;
  const hasHard = hardMin !== undefined || hardMax !== undefined;
  let lastIndex = Number.NaN;
  let lastOrd = -1;
  const ordinal = (value: number): number => {
    let index: number;
    let key: number;
    if (step !== undefined) {
      index = Math.floor((value - origin) / step);
      if (index === lastIndex) return lastOrd;
      key = index * step + origin;
    } else if (table && (index = table.indexOf!(value)) >= 0) {
      // A precomputed table of bucket starts: its index is the bucket index.
      if (index === lastIndex) return lastOrd;
      key = table.keyAt!(index);
    } else {
      // Keys outside a table (or without one) get negative indexes, in order of appearance.
      key = rounding.round(value);
      index = keyTable.get(key) ?? -1 - keyTable.size;
      if (index === -1 - keyTable.size) keyTable.set(key, index);
      if (index === lastIndex) return lastOrd;
    }
    if (hasHard && !inHard(key)) return -1;
    let o = ordOf.get(index);
    if (o < 0) {
      o = keys.length;
      ordOf.set(index, o);
      keys.push(key);
      if (o === counts.length) counts = grow(counts);
    }
    lastIndex = index;
    lastOrd = o;
    return o;
  };
  const seen: number[] = [];
  for (let i = 0; i < positions.length; i++) {
    const v = column ? column.get(positions[i]!) : undefined;
    if (v === undefined) {
      if (missing === undefined) continue;
      const o = ordinal(missing);
      if (o < 0) continue;
      if (grouping) grouping.add(i, o);
      else counts[o]!++;
    } else if (typeof v === 'object') {
      seen.length = 0;
      for (const x of v) {
        const n = toNumber(x);
        if (Number.isNaN(n)) continue;
        const o = ordinal(n);
        if (o < 0 || seen.includes(o)) continue;
        seen.push(o);
        if (grouping) grouping.add(i, o);
        else counts[o]!++;
      }
    } else {
      const n = typeof v === 'number' ? v : toNumber(v);
      if (Number.isNaN(n)) continue;
      const o = ordinal(n);
      if (o < 0) continue;
      if (grouping) grouping.add(i, o);
      else counts[o]!++;
    }
  }
  const docCounts = grouping ? grouping.counts(keys.length) : counts.subarray(0, keys.length);
  const subsets = grouping ? grouping.subsets(positions, docCounts) : undefined;
  let buckets: Bucket[] = [];
  for (let o = 0; o < keys.length; o++) buckets.push({ key: keys[o]!, sortKey: keys[o]!, docCount: docCounts[o]!, positions: subsets?.[o] });
  buckets.sort((a, b) => (a.sortKey as number) - (b.sortKey as number));

  if (spec.minDocCount === 0) buckets = fillEmpty(ctx, buckets, rounding, ebMin, ebMax, inHard, hardMin, hardMax, isDate);
  else buckets = buckets.filter((b) => b.docCount >= spec.minDocCount);
  consumeBuckets(ctx, buckets.length);

  const order = spec.order as OrderSpec[];
  if (!(order.length === 1 && order[0]!.path === '_key' && order[0]!.asc)) sortBuckets(ctx, node, buckets, order);

  const keyString = isDate ? dateKeyFormatter(ref, format, zone) : valueFormatter(ref, format);
  if (spec.keyed) {
    const out: Record<string, unknown> = {};
    for (const b of buckets) {
      const key = b.key as number;
      const name = keyString ? keyString(key) : javaDouble(key);
      out[name] = renderBucket(ctx, node, b, keyString);
    }
    return { buckets: out };
  }
  return { buckets: buckets.map((b) => renderBucket(ctx, node, b, keyString)) };
}

function renderBucket(ctx: RunContext, node: AggNode, b: Bucket, keyString: ((v: number) => string) | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (keyString) out.key_as_string = keyString(b.key as number);
  out.key = b.key;
  out.doc_count = b.docCount;
  return Object.assign(out, subResults(ctx, node, b));
}

function fillEmpty(
  ctx: RunContext,
  buckets: Bucket[],
  rounding: Rounding,
  ebMin: number | undefined,
  ebMax: number | undefined,
  inHard: (key: number) => boolean,
  hardMin: number | undefined,
  hardMax: number | undefined,
  isDate: boolean,
): Bucket[] {
  let first = buckets.length ? (buckets[0]!.key as number) : undefined;
  let last = buckets.length ? (buckets[buckets.length - 1]!.key as number) : undefined;
  if (ebMin !== undefined) {
    let k = rounding.round(ebMin);
    if (hardMin !== undefined && k < hardMin) k = rounding.round(hardMin) < hardMin ? rounding.next(rounding.round(hardMin)) : rounding.round(hardMin);
    if (first === undefined || k < first) first = k;
    if (last === undefined) last = k;
  }
  if (ebMax !== undefined) {
    let k = rounding.round(ebMax);
    if (hardMax !== undefined && !inHard(k)) k = rounding.round(isDate ? hardMax - 1 : hardMax);
    if (last === undefined || k > last) last = k;
    if (first === undefined) first = k;
  }
  if (first === undefined || last === undefined || first > last) return buckets;
  const out: Bucket[] = [];
  let i = 0;
  let key = first;
  let made = 0;
  const limit = ctx.maxBuckets - ctx.buckets;
  while (key <= last) {
    while (i < buckets.length && (buckets[i]!.key as number) < key) out.push(buckets[i++]!);
    if (i < buckets.length && buckets[i]!.key === key) out.push(buckets[i++]!);
    else out.push({ key, sortKey: key, docCount: 0, positions: new Int32Array(0) });
    if (++made > limit) consumeBuckets(ctx, made);
    const next = rounding.next(key);
    if (!(next > key)) break;
    key = next;
  }
  while (i < buckets.length) out.push(buckets[i++]!);
  return out;
}

/** The smallest and largest numeric value at `positions` (the missing value included). */
function valueRange(column: AggColumnLike, positions: Int32Array, missing: number | undefined): [number, number] {
  let min = missing ?? Number.POSITIVE_INFINITY;
  let max = missing ?? Number.NEGATIVE_INFINITY;
  for (let i = 0; i < positions.length; i++) {
    const v = column.get(positions[i]!);
    if (v === undefined) continue;
    if (typeof v === 'object') {
      for (const x of v) {
        const n = toNumber(x);
        if (n < min) min = n;
        if (n > max) max = n;
      }
    } else {
      const n = typeof v === 'number' ? v : toNumber(v);
      if (n < min) min = n;
      if (n > max) max = n;
    }
  }
  return [min, max];
}

/**
 * Bucket index (an integer) → ordinal: a dense table grown as indexes appear in any
 * order, or a Map when the indexes are too sparse for a table.
 */
class KeyOrdinals {
  #table: Int32Array | undefined;
  #origin = 0;
  #map: Map<number, number> | undefined;

  get(index: number): number {
    if (this.#map) return this.#map.get(index) ?? -1;
    const table = this.#table;
    if (!table) return -1;
    const i = index - this.#origin;
    return i >= 0 && i < table.length ? table[i]! - 1 : -1;
  }

  set(index: number, ord: number): void {
    if (this.#map) {
      this.#map.set(index, ord);
      return;
    }
    if (!this.#table) {
      this.#table = new Int32Array(1024);
      this.#origin = index - 512;
    }
    let i = index - this.#origin;
    if (i < 0 || i >= this.#table.length) {
      const lo = Math.min(this.#origin, index);
      const hi = Math.max(this.#origin + this.#table.length, index + 1);
      const size = Math.max(this.#table.length * 2, (hi - lo) * 2);
      if (size > 1 << 24) {
        // Too sparse for a table: move to a map.
        this.#map = new Map();
        for (let k = 0; k < this.#table.length; k++) if (this.#table[k]) this.#map.set(k + this.#origin, this.#table[k]! - 1);
        this.#table = undefined;
        this.#map.set(index, ord);
        return;
      }
      const grown = new Int32Array(size);
      const origin = lo - Math.floor((size - (hi - lo)) / 2);
      grown.set(this.#table, this.#origin - origin);
      this.#table = grown;
      this.#origin = origin;
      i = index - origin;
    }
    this.#table[i] = ord + 1;
  }
}

/**
 * Elasticsearch refuses extended_bounds reaching outside hard_bounds (compared after
 * rounding for dates), naming both as they were given.
 */
function checkInsideHardBounds(spec: HistogramSpec, isDate: boolean, rounding: Rounding, extended: (number | undefined)[], hard: (number | undefined)[]): void {
  const round = (v: number | undefined) => (v === undefined || !isDate ? v : rounding.round(v));
  const [eMin, eMax] = extended.map(round);
  const [hMin, hMax] = hard.map(round);
  const outside = (eMax !== undefined && hMax !== undefined && eMax > hMax) || (eMin !== undefined && hMin !== undefined && eMin < hMin);
  if (!outside) return;
  const show = (v: unknown, absent: string) => (v === undefined || v === null ? absent : typeof v === 'number' && !isDate ? javaDouble(v) : String(v));
  const h = spec.hardBounds!;
  const e = spec.extendedBounds!;
  const extendedText = isDate ? `${show(e.min, '')}--${show(e.max, '')}` : `${show(e.min, 'null')}--${show(e.max, 'null')}`;
  throw shardIllegalArgument(`Extended bounds have to be inside hard bounds, hard bounds: [${show(h.min, '')}--${show(h.max, '')}], extended bounds: [${extendedText}]`);
}
