/**
 * The common log-dashboard aggregation answered by SQL: one `date_histogram` (UTC, fixed
 * or minute/hour/day calendar interval, optional `min_doc_count`, `extended_bounds`,
 * `format`) with at most one `terms` sub-aggregation on a keyword field (`size` only).
 * SQL over the `fields` table replaces loading the columns into the general aggregation
 * path, in one of three plans per index:
 *
 *  - cells: with the (keyword, time) index, one index range count per (bucket, value);
 *  - buckets: a bucket at a time over the time index, grouping that bucket's rows;
 *  - group-by: one `GROUP BY bucket, term` (conditions with a full-text match, whose
 *    sub-select would run again for every bucket, and very many buckets).
 *
 * Anything else — or data it cannot read this way (several values in a document) —
 * returns undefined and the general path runs; a test checks both give the same response.
 */
import type { IndexDb } from '../engine/index-db.ts';
import { DATE_TYPES, KEYWORD_TYPES } from '../mapping/types.ts';
import type { IndexSource } from './agg-source.ts';
import { dateFormatter, parseDateValue, parseTimeValue, UTC } from './aggs/dates.ts';

const CALENDAR: Record<string, number> = { '1m': 60_000, minute: 60_000, '1h': 3_600_000, hour: 3_600_000, '1d': 86_400_000, day: 86_400_000 };
const HISTOGRAM_KEYS = new Set(['field', 'fixed_interval', 'calendar_interval', 'min_doc_count', 'extended_bounds', 'format']);
const MAX_BUCKETS = 65_536;

/** Set to false to force the general path (tests compare both). */
export const fastAggsOptions = { enabled: true, compositeIndexMinDocs: 100_000 };
/** Which plan the last fast answer used (tests check that the one they mean ran). */
export const fastAggsStats = { lastPlan: '' as '' | 'cells' | 'buckets' | 'group-by' };
/** Most distinct keyword values, and (bucket, value) cells, the cell plan takes on. */
const CELL_VALUES_MAX = 64;
const CELLS_MAX = 20_000;

interface Shape {
  name: string;
  field: string;
  interval: number;
  minDocCount: number;
  bounds: { min?: unknown; max?: unknown } | undefined;
  format: string | undefined;
  terms: { name: string; field: string; size: number } | undefined;
}

function shapeOf(aggs: unknown): Shape | undefined {
  if (typeof aggs !== 'object' || aggs === null) return undefined;
  const entries = Object.entries(aggs);
  if (entries.length !== 1) return undefined;
  const [name, def] = entries[0]! as [string, Record<string, unknown>];
  if (typeof def !== 'object' || def === null) return undefined;
  const keys = Object.keys(def).filter((k) => k !== 'aggs' && k !== 'aggregations');
  if (keys.length !== 1 || keys[0] !== 'date_histogram') return undefined;
  const h = def.date_histogram as Record<string, unknown>;
  if (typeof h !== 'object' || h === null || !Object.keys(h).every((k) => HISTOGRAM_KEYS.has(k)) || typeof h.field !== 'string') return undefined;
  let interval: number | undefined;
  if (h.fixed_interval !== undefined && h.calendar_interval === undefined) interval = parseTimeValue(String(h.fixed_interval)) ?? undefined;
  else if (h.calendar_interval !== undefined && h.fixed_interval === undefined) interval = CALENDAR[String(h.calendar_interval)];
  if (!interval || interval <= 0 || !Number.isInteger(interval)) return undefined;
  const minDocCount = h.min_doc_count === undefined ? 0 : Number(h.min_doc_count);
  if (!Number.isInteger(minDocCount) || minDocCount < 0) return undefined;
  const bounds = h.extended_bounds as { min?: unknown; max?: unknown } | undefined;
  if (bounds !== undefined && (typeof bounds !== 'object' || bounds === null || !Object.keys(bounds).every((k) => k === 'min' || k === 'max'))) return undefined;
  if (h.format !== undefined && typeof h.format !== 'string') return undefined;
  const shape: Shape = { name, field: h.field, interval, minDocCount, bounds, format: h.format as string | undefined, terms: undefined };
  const subs = (def.aggs ?? def.aggregations) as Record<string, unknown> | undefined;
  if (subs !== undefined) {
    if (def.aggs !== undefined && def.aggregations !== undefined) return undefined;
    const subEntries = Object.entries(subs ?? {});
    if (subEntries.length !== 1) return undefined;
    const [subName, subDef] = subEntries[0]! as [string, Record<string, unknown>];
    if (typeof subDef !== 'object' || subDef === null || Object.keys(subDef).length !== 1 || typeof subDef.terms !== 'object' || subDef.terms === null) return undefined;
    const t = subDef.terms as Record<string, unknown>;
    if (!Object.keys(t).every((k) => k === 'field' || k === 'size') || typeof t.field !== 'string') return undefined;
    const size = t.size === undefined ? 10 : Number(t.size);
    if (!Number.isInteger(size) || size < 1) return undefined;
    shape.terms = { name: subName, field: t.field, size };
  }
  return shape;
}

export type IndexRequest = (index: IndexDb, first: string, second: string) => void;

export function tryFastAggregations(aggs: unknown, sources: IndexSource[], now: number, requestIndex?: IndexRequest): Record<string, unknown> | undefined {
  if (!fastAggsOptions.enabled) return undefined;
  const shape = shapeOf(aggs);
  if (!shape) return undefined;
  const format = shape.format ?? (sources[0]?.index.mapping.leaf(shape.field)?.def.format as string | undefined);
  const counts = new Map<number, number>();
  const terms = new Map<number, Map<string, number>>();
  for (const source of sources) {
    const leaf = source.index.mapping.leaf(shape.field);
    const ts = source.compiler.column(shape.field);
    if (!leaf || !ts || !DATE_TYPES.has(leaf.type)) return undefined;
    let term: string | null = null;
    if (shape.terms) {
      const termLeaf = source.index.mapping.leaf(shape.terms.field);
      term = source.compiler.column(shape.terms.field);
      if (!termLeaf || !term || !KEYWORD_TYPES.has(termLeaf.type)) return undefined;
    }
    // A dashboard that groups a time histogram by a keyword asks again and again: index the
    // pair, keyword first (built once, between write batches), so that every (bucket,
    // value) cell is one range of that index to count (see cellCounts).
    const byTerm = term !== null && source.index.hasCompositeIndex(term.slice(2), ts.slice(2));
    if (term && requestIndex && !byTerm && source.index.docCount >= fastAggsOptions.compositeIndexMinDocs) {
      requestIndex(source.index, term.slice(2), ts.slice(2));
    }
    const i = shape.interval;
    const where = `(${source.where}) AND ${ts} IS NOT NULL`;
    const odd = `max(typeof(${ts}) = 'blob'${term ? ` OR typeof(${term}) = 'blob'` : ''}) AS odd`;
    const rows: { k: number; n: number; odd: number; t?: string | null }[] = [];
    const rangeParts = source.compiler.sqlFrom(where);
    const params = source.compiler.bind(`${rangeParts.with} ${where}`);
    const groupBy = () => {
      const key = `(${ts} - ((${ts} % ${i}) + ${i}) % ${i})`;
      const select = [`${key} AS k`, 'count(*) AS n', odd];
      if (term) select.push(`${term} AS t`);
      const sql = `${rangeParts.with}SELECT ${select.join(', ')} FROM ${rangeParts.from} WHERE ${where} GROUP BY k${term ? ', t' : ''}`;
      rows.push(...(source.index.reader().prepare(sql).all(params) as { k: number; n: number; odd: number; t?: string | null }[]));
      fastAggsStats.lastPlan = 'group-by';
    };
    // A condition with a full-text match (an uncorrelated sub-select) would run that match
    // again for every statement: such searches take the single GROUP BY, and skip the
    // statements that find the time range and BLOB timestamps (its `odd` column sees
    // those) when the whole index spans few enough buckets.
    const perRange = !/\bFROM fts_\d+\b/.test(where);
    if (!perRange && spanFits(source, ts, i)) groupBy();
    else {
      // min and max in two statements: each is then one seek at an end of the time index (both
      // in one would read it all). The bounds of a time range in the query, repeated as plain
      // conjuncts (they hold for scalar timestamps, the only ones read here), let SQLite seek
      // to them instead of walking the index from its end until the condition holds.
      // (A numeric upper bound also keeps out the BLOBs, which sort above every number, and
      // SQLite seeks only one upper bound: then it replaces `< x''`.)
      const tsBounds = source.bounds.filter((b) => b.column === ts);
      const scalarOnly = tsBounds.some((b) => b.op === '<' || b.op === '<=') ? '' : ` AND ${ts} < x''`;
      const bounds = tsBounds.map((b) => ` AND ${ts} ${b.op} ${b.param}`).join('') + scalarOnly;
      const extreme = (fn: 'min' | 'max') => {
        const sql = `${rangeParts.with}SELECT ${fn}(${ts}) AS v FROM ${rangeParts.from} WHERE ${where}${bounds}`;
        return (source.index.reader().prepare(sql).get(source.compiler.bind(sql)) as { v: number | null }).v;
      };
      const range = { lo: extreme('min'), hi: extreme('max') };
      if (range.lo === null || range.hi === null) {
        // no scalar timestamps: only documents with several (or none)
        const check = `${rangeParts.with}SELECT 1 FROM ${rangeParts.from} WHERE ${where} LIMIT 1`;
        if (source.index.reader().prepare(check).get(source.compiler.bind(check))) return undefined;
        continue;
      }
      const first = range.lo - (((range.lo % i) + i) % i);
      const bucketsInRange = Math.floor((range.hi - first) / i) + 1;
      if (bucketsInRange > MAX_BUCKETS) return undefined;
      // documents whose timestamp holds several values are in no bucket range: make sure there are none
      const blobs = `${rangeParts.with}SELECT 1 FROM ${rangeParts.from} WHERE ${where} AND ${ts} >= x'' LIMIT 1`;
      const noBlobs = () => !source.index.reader().prepare(blobs).get(source.compiler.bind(blobs));
      const cells = perRange && byTerm && term ? cellCounts(source, ts, term, where, params, first, range.hi, i) : undefined;
      if (cells) {
        if (!noBlobs()) return undefined;
        fastAggsStats.lastPlan = 'cells';
        rows.push(...cells);
      } else if (perRange && bucketsInRange <= 5000) {
        // One GROUP BY over many rows sorts them all; a bucket at a time reads the time index
        // range by range and groups only the few values of each bucket (2-3x faster).
        const bucketWhere = `${where} AND ${ts} >= :lo AND ${ts} < :hi`;
        const parts = source.compiler.sqlFrom(bucketWhere);
        const sql = `${parts.with}SELECT count(*) AS n, ${odd}${term ? `, ${term} AS t` : ''} FROM ${parts.from} WHERE ${bucketWhere}${term ? ' GROUP BY t' : ''}`;
        const statement = source.index.reader().prepare(sql);
        for (let k = first; k <= range.hi; k += i) {
          for (const row of statement.all({ ...params, lo: k, hi: k + i }) as { n: number; odd: number; t?: string | null }[]) rows.push({ ...row, k });
        }
        if (!noBlobs()) return undefined;
        fastAggsStats.lastPlan = 'buckets';
      } else groupBy();
    }
    for (const row of rows) {
      if (row.odd) return undefined;
      if (row.n === 0) continue;
      const k = Number(row.k);
      counts.set(k, (counts.get(k) ?? 0) + Number(row.n));
      if (term && row.t !== null && row.t !== undefined) {
        let m = terms.get(k);
        if (!m) terms.set(k, (m = new Map()));
        m.set(String(row.t), (m.get(String(row.t)) ?? 0) + Number(row.n));
      }
    }
  }
  let keys = [...counts.keys()].sort((a, b) => a - b);
  const floor = (t: number) => t - (((t % shape.interval) + shape.interval) % shape.interval);
  if (shape.minDocCount === 0) {
    let lo = keys[0];
    let hi = keys[keys.length - 1];
    if (shape.bounds) {
      const min = shape.bounds.min === undefined ? undefined : parseDateValue(shape.bounds.min, now, format, UTC, false);
      const max = shape.bounds.max === undefined ? undefined : parseDateValue(shape.bounds.max, now, format, UTC, true);
      if (min === null || max === null) return undefined;
      if (min !== undefined && max !== undefined && min > max) return undefined;
      if (min !== undefined) lo = lo === undefined ? floor(min) : Math.min(lo, floor(min));
      if (max !== undefined) hi = hi === undefined ? floor(max) : Math.max(hi, floor(max));
    }
    if (lo !== undefined && hi !== undefined) {
      if ((hi - lo) / shape.interval + 1 > MAX_BUCKETS) return undefined;
      keys = [];
      for (let k = lo; k <= hi; k += shape.interval) keys.push(k);
    }
  } else keys = keys.filter((k) => (counts.get(k) ?? 0) >= shape.minDocCount);
  let bucketCount = keys.length;
  const formatKey = dateFormatter(format);
  const buckets = keys.map((k) => {
    const bucket: Record<string, unknown> = { key_as_string: formatKey(k, UTC), key: k, doc_count: counts.get(k) ?? 0 };
    if (shape.terms) {
      const m = [...(terms.get(k) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const shown = m.slice(0, shape.terms.size);
      bucketCount += shown.length;
      const sum = m.reduce((s, [, n]) => s + n, 0);
      const shownSum = shown.reduce((s, [, n]) => s + n, 0);
      bucket[shape.terms.name] = { doc_count_error_upper_bound: 0, sum_other_doc_count: sum - shownSum, buckets: shown.map(([key, n]) => ({ key, doc_count: n })) };
    }
    return bucket;
  });
  if (bucketCount > MAX_BUCKETS) return undefined;
  return { [shape.name]: { buckets } };
}

/** Whether the scalar timestamps of the whole index fall into at most MAX_BUCKETS buckets (two seeks). */
function spanFits(source: IndexSource, ts: string, interval: number): boolean {
  const column = ts.slice(2);
  const db = source.index.reader();
  const lo = (db.prepare(`SELECT min(${column}) AS v FROM fields WHERE ${column} < x''`).get() as { v: number | null }).v;
  const hi = (db.prepare(`SELECT max(${column}) AS v FROM fields WHERE ${column} < x''`).get() as { v: number | null }).v;
  if (lo === null || hi === null) return true;
  return Math.floor(hi / interval) - Math.floor(lo / interval) + 1 <= MAX_BUCKETS;
}

/**
 * Counts of every (time bucket, keyword value) cell, each counted as one range of the
 * (keyword, time) index: `count(*) WHERE term = v AND ts >= lo AND ts < hi` steps through
 * exactly the index entries of that cell, without reading the table (when the condition
 * mentions only these two columns) and without the sort a GROUP BY needs. The distinct
 * values come from the same index, one seek each. Undefined when the column holds
 * several values in a document or too many distinct values (the other plans run).
 */
function cellCounts(source: IndexSource, ts: string, term: string, where: string, params: Record<string, unknown>, first: number, last: number, interval: number): { k: number; n: number; odd: number; t: string | null }[] | undefined {
  const db = source.index.reader();
  const column = term.slice(2);
  const next = db.prepare(`SELECT min(${column}) AS v FROM fields WHERE ${column} > :after`);
  const values: string[] = [];
  let row = db.prepare(`SELECT min(${column}) AS v FROM fields`).get() as { v: unknown };
  while (row.v !== null) {
    if (typeof row.v !== 'string' || values.length >= CELL_VALUES_MAX) return undefined;
    values.push(row.v);
    row = next.get({ after: row.v }) as { v: unknown };
  }
  const buckets = Math.floor((last - first) / interval) + 1;
  if (buckets * (values.length + 1) > CELLS_MAX) return undefined;
  const cell = (match: string) => {
    const cellWhere = `${match} AND ${ts} >= :lo AND ${ts} < :hi AND (${where})`;
    const parts = source.compiler.sqlFrom(cellWhere);
    return db.prepare(`${parts.with}SELECT count(*) AS n FROM ${parts.from} WHERE ${cellWhere}`);
  };
  const byValue = cell(`${term} = :v`);
  const missing = cell(`${term} IS NULL`);
  const rows: { k: number; n: number; odd: number; t: string | null }[] = [];
  for (let k = first; k <= last; k += interval) {
    const bounds = { ...params, lo: k, hi: k + interval };
    for (const v of values) {
      const n = Number((byValue.get({ ...bounds, v }) as { n: number }).n);
      if (n > 0) rows.push({ k, n, odd: 0, t: v });
    }
    const n = Number((missing.get(bounds) as { n: number }).n);
    if (n > 0) rows.push({ k, n, odd: 0, t: null });
  }
  return rows;
}
