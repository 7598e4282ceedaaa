/**
 * Search execution in the engine thread: per index, the compiled query runs as one SQL
 * statement over the read-only connection (`ORDER BY` the sort keys, `LIMIT from+size`),
 * the per-index tops are merged, totals are counted up to `track_total_hits`, and hits are
 * rendered (`_source` bytes left raw when not filtered). Aggregations read columns of
 * the matching documents through an AggSource (agg-source.ts) or, for the common
 * date_histogram + terms shape, a SQL GROUP BY (fast-aggs.ts).
 */
import type { Engine } from '../engine/engine.ts';
import type { IndexDb } from '../engine/index-db.ts';
import type { ResolveOptions } from '../engine/resolve.ts';
import { EsError, illegalArgument, parsingError } from '../errors.ts';
import type { Leaf } from '../mapping/mapping.ts';
import { DATE_TYPES, FLOAT_TYPES, INTEGER_TYPES, TEXT_TYPES } from '../mapping/types.ts';
import { filterSource } from '../api/source-filter.ts';
import { runAggregations, validateAggregations } from './aggs/index.ts';
import { IndexSource, SearchAggSource } from './agg-source.ts';
import { type Clause, SearchCompiler } from './compile.ts';
import { tryFastAggregations } from './fast-aggs.ts';
import { highlightHit } from './highlight.ts';
import { renderFields } from './fields.ts';
import { wrapShardError } from './shard-errors.ts';

export interface SearchRequest {
  query?: unknown;
  post_filter?: unknown;
  from?: number;
  size?: number;
  sort?: unknown;
  _source?: unknown;
  fields?: unknown;
  docvalue_fields?: unknown;
  stored_fields?: unknown;
  highlight?: unknown;
  track_total_hits?: unknown;
  track_scores?: boolean;
  search_after?: unknown[];
  aggs?: unknown;
  aggregations?: unknown;
  terminate_after?: number;
  timeout?: string;
  min_score?: number;
  version?: boolean;
  seq_no_primary_term?: boolean;
  explain?: boolean;
}

/** What scroll and point-in-time searches carry between pages. */
export interface Snapshot {
  /** Index names, in the order their `_shard_doc` numbers use. */
  indices: string[];
  /** Highest internal doc number per index when the snapshot was taken. */
  maxDoc: Record<string, number>;
}

export interface SearchOptions {
  resolve?: ResolveOptions;
  snapshot?: Snapshot;
  /** Append the implicit `_shard_doc` tiebreaker (point in time, scroll). */
  tiebreak?: boolean;
  /** Hide `_shard_doc` in the rendered sort values (scroll). */
  hideTiebreak?: boolean;
  /** Total already known (scroll pages after the first). */
  knownTotal?: { value: number; relation: 'eq' | 'gte' } | null;
  skipAggs?: boolean;
}

export interface SortKey {
  field: string;
  order: 'asc' | 'desc';
  missing: '_last' | '_first' | unknown;
  unmappedType?: string;
  format?: string;
}

export interface RenderedHit {
  _index: string;
  _id: string;
  _score: number | null;
  _version?: number;
  _seq_no?: number;
  _primary_term?: number;
  /** The raw `_source` bytes (the HTTP layer splices them). */
  _sourceBytes?: Uint8Array;
  _source?: unknown;
  fields?: Record<string, unknown[]>;
  highlight?: Record<string, string[]>;
  sort?: unknown[];
}

export interface SearchResult {
  took: number;
  timed_out: boolean;
  terminated_early?: boolean;
  _shards: { total: number; successful: number; skipped: number; failed: number };
  hits: { total?: { value: number; relation: 'eq' | 'gte' }; max_score: number | null; hits: RenderedHit[] };
  aggregations?: Record<string, unknown>;
  /** The sort values of the last hit including the tiebreaker (for scroll). */
  lastSort?: unknown[] | undefined;
}

interface Candidate {
  indexPos: number;
  doc: number;
  score: number | null;
  keys: unknown[];
}

const SHARD_DOC_SPAN = 2 ** 32;
export const DEFAULT_TRACK_TOTAL = 10_000;

/** Runs one search over the resolved indices. */
export function search(engine: Engine, expression: string | undefined, request: SearchRequest, options: SearchOptions = {}): SearchResult {
  const started = performance.now();
  const now = Date.now();
  const indices = options.snapshot
    ? options.snapshot.indices.map((name) => engine.index(name))
    : engine.resolve(expression, options.resolve ?? {}).filter((i) => i.meta.state !== 'close');
  const from = request.from ?? 0;
  const size = request.size ?? 10;
  if (from < 0) throw illegalArgument(`[from] parameter cannot be negative but was [${from}]`);
  if (size < 0) throw illegalArgument(`[size] parameter cannot be negative but was [${size}]`);
  const aggs = request.aggs ?? request.aggregations;
  if (aggs !== undefined) validateAggregations(aggs);
  const sort = parseSort(request.sort);
  if (options.tiebreak) sort.push({ field: '_shard_doc', order: 'asc', missing: '_last' });
  const scoring = sort.some((k) => k.field === '_score') || request.track_scores === true || request.min_score !== undefined;
  const trackTotal = parseTrackTotal(request.track_total_hits);
  const after = request.search_after;
  if (after !== undefined) {
    if (!Array.isArray(after)) throw parsingError('[search_after] must be an array');
    if (from > 0) throw illegalArgument('[from] parameter must be set to 0 when [search_after] is used');
    if (after.length !== sort.length) {
      throw illegalArgument(`search_after has ${after.length} value(s) but sort has ${sort.length}.`);
    }
  }

  const candidates: Candidate[] = [];
  let total = 0;
  let totalCapped = false;
  const sources: IndexSource[] = [];
  let terminatedEarly = false;
  indices.forEach((index, indexPos) => {
    try {
      const max = Number(index.meta.settings['index.max_result_window'] ?? 10_000);
      if (from + size > max && !options.tiebreak) {
        throw illegalArgument(
          `Result window is too large, from + size must be less than or equal to: [${max}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
        );
      }
      const compiler = new SearchCompiler(index, { now, db: index.reader() });
      const clause = request.query === undefined ? { w: '1', s: '1' } : compiler.compile(request.query);
      let where = clause.w;
      const snapshotMax = options.snapshot?.maxDoc[index.name];
      if (snapshotMax !== undefined) where = `(${where}) AND f.doc <= ${Math.trunc(snapshotMax)}`;
      if (request.min_score !== undefined) where = `(${where}) AND (${clause.s}) >= ${Number(request.min_score)}`;
      const aggWhere = where;
      if (request.post_filter !== undefined) where = `(${where}) AND (${compiler.compile(request.post_filter).w})`;
      sources.push(new IndexSource(index, indexPos, compiler, aggWhere, clause.bounds));
      // totals
      const countTotal = trackTotal !== false && !options.knownTotal;
      // Ranking by score reads every matching row anyway: that statement counts them too
      // (a window count) instead of a second pass over the matches.
      const totalWithHits =
        countTotal &&
        !(where === '1' && !compiler.usesDocs) &&
        size > 0 &&
        after === undefined &&
        sort[0]?.field === '_score' &&
        !(request.terminate_after !== undefined && request.terminate_after > 0);
      if (countTotal && !totalWithHits) {
        const limit = trackTotal === true ? null : trackTotal;
        if (where === '1' && !compiler.usesDocs) {
          total += index.docCount;
        } else {
          const parts = compiler.sqlFrom(where);
          const sql = `${parts.with}SELECT count(*) AS n FROM (SELECT 1 FROM ${parts.from} WHERE ${where}${limit !== null ? ` LIMIT ${limit + 1}` : ''})`;
          total += Number((index.reader().prepare(sql).get(compiler.bind(sql)) as { n: number }).n);
        }
        if (limit !== null && total > limit) totalCapped = true;
      }
      if (size === 0 && !options.tiebreak) return;
      const keys = sort.map((k) => sortExpression(index, compiler, k, clause, indexPos));
      let cond = where;
      if (after !== undefined) cond = `(${cond}) AND ${afterCondition(compiler, keys, sort, after, indexPos)}`;
      const select = ['f.doc AS doc', ...keys.map((k, i) => `${k.expr} AS k${i}`)];
      if (scoring) select.push(`(${clause.s}) AS _s`);
      if (totalWithHits) select.push('count(*) OVER () AS _total');
      const orderBy = keys.flatMap((k, i) => orderTerms(`k${i}`, k.expr, sort[i]!));
      let limit = from + size;
      if (request.terminate_after !== undefined && request.terminate_after > 0) limit = Math.min(limit, request.terminate_after);
      // A query that requires a full-text match starts from it (bm25 only for the rows that pass the rest).
      const parts2 = clause.driver ? compiler.drivenFrom(`${select.join(', ')} ${cond}`, clause.driver) : { ...compiler.sqlFrom(`${select.join(', ')} ${cond}`), rewrite: (text: string) => text };
      const sql = `${parts2.with}SELECT ${parts2.rewrite(select.join(', '))} FROM ${parts2.from} WHERE ${parts2.rewrite(cond)}${orderBy.length ? ` ORDER BY ${orderBy.join(', ')}` : ''} LIMIT ${limit}`;
      const rows = index.reader().prepare(sql).all(compiler.bind(sql)) as Record<string, unknown>[];
      if (totalWithHits) {
        total += rows.length > 0 ? Number(rows[0]!._total) : 0;
        if (trackTotal !== true && total > trackTotal) totalCapped = true;
      }
      for (const row of rows) {
        candidates.push({
          indexPos,
          doc: Number(row.doc),
          score: scoring ? Number(row._s) : null,
          keys: keys.map((k, i) => k.value(row[`k${i}`], Number(row.doc))),
        });
      }
    } catch (error) {
      throw wrapShardError(error, index);
    }
  });
  if (request.terminate_after !== undefined && request.terminate_after > 0 && total > request.terminate_after) {
    total = request.terminate_after;
    terminatedEarly = true;
  }
  candidates.sort((a, b) => compareCandidates(a, b, sort));
  const page = candidates.slice(options.tiebreak && after !== undefined ? 0 : from, (options.tiebreak && after !== undefined ? 0 : from) + size);

  const hits = page.map((c) => renderHit(indices[c.indexPos]!, c, request, sort, scoring, options, sources[c.indexPos]!.compiler));
  const maxScore = scoring ? (sort[0]?.field === '_score' ? (candidates[0]?.score ?? null) : page.reduce<number | null>((m, c) => (c.score !== null && (m === null || c.score > m) ? c.score : m), null)) : null;

  const result: SearchResult = {
    took: 0,
    timed_out: false,
    ...(terminatedEarly ? { terminated_early: true } : {}),
    _shards: { total: indices.length, successful: indices.length, skipped: 0, failed: 0 },
    hits: { max_score: hits.length === 0 && !scoring ? null : maxScore, hits },
  };
  if (options.knownTotal) result.hits = { total: options.knownTotal, ...result.hits };
  else if (trackTotal !== false) {
    const limit = trackTotal === true ? null : trackTotal;
    result.hits = { total: limit !== null && totalCapped ? { value: limit, relation: 'gte' } : { value: total, relation: 'eq' }, ...result.hits };
  }
  if (aggs !== undefined && !options.skipAggs) {
    try {
      result.aggregations = tryFastAggregations(aggs, sources, now, (index, a, b) => requestCompositeIndex(engine, index, a, b)) ?? generalAggregations(aggs, sources, now, indices, request);
    } catch (error) {
      throw wrapShardError(error, indices[0]);
    }
  }
  const last = page[page.length - 1];
  result.lastSort = last ? last.keys : undefined;
  result.took = Math.round(performance.now() - started);
  return result;
}

const pendingIndexes = new Set<string>();

/** Queues the creation of a composite index between write batches (once per index and pair). */
function requestCompositeIndex(engine: Engine, index: IndexDb, first: string, second: string): void {
  const key = `${index.uuid}/${first}/${second}`;
  if (pendingIndexes.has(key)) return;
  pendingIndexes.add(key);
  engine.queue
    .exclusive(() => {
      if (engine.indices.get(index.name) === index) index.ensureCompositeIndex(first, second);
    })
    .catch((error: unknown) => engine.logger.warn({ err: error, index: index.name }, 'creating a search index failed'))
    .finally(() => pendingIndexes.delete(key));
}

function generalAggregations(aggs: unknown, sources: IndexSource[], now: number, indices: IndexDb[], request: SearchRequest): Record<string, unknown> {
  const source = new SearchAggSource(sources, now, (s, doc, o) => renderHitFor(indices, s, doc, o, request));
  return runAggregations(aggs, source, source.allPositions());
}

function renderHitFor(indices: IndexDb[], source: IndexSource, doc: number, options: Record<string, unknown>, request: SearchRequest): RenderedHit {
  const index = indices[source.indexPos]!;
  const candidate: Candidate = { indexPos: source.indexPos, doc, score: null, keys: [] };
  return renderHit(index, candidate, { ...request, _source: options._source ?? request._source, fields: options.fields, docvalue_fields: options.docvalue_fields, highlight: undefined }, [], false, {}, source.compiler);
}

function renderHit(index: IndexDb, c: Candidate, request: SearchRequest, sort: SortKey[], scoring: boolean, options: SearchOptions, compiler: SearchCompiler): RenderedHit {
  const row = index.reader().prepare('SELECT id, version, seq_no AS seqNo FROM docs WHERE doc = ?').get(c.doc) as { id: string; version: number; seqNo: number } | undefined;
  const hit: RenderedHit = { _index: index.name, _id: row?.id ?? '', _score: scoring ? c.score : null };
  if (request.version) hit._version = row?.version ?? 1;
  if (request.seq_no_primary_term) {
    hit._seq_no = row?.seqNo ?? 0;
    hit._primary_term = 1;
  }
  const filter = parseSourceFilter(request._source);
  const needSource = filter !== false || request.highlight !== undefined || request.fields !== undefined || request.docvalue_fields !== undefined;
  const bytes = needSource ? index.committedSource(c.doc) : null;
  let parsed: unknown;
  const parse = () => {
    parsed ??= bytes ? JSON.parse(bytes.toString('utf8')) : {};
    return parsed;
  };
  if (filter !== false && bytes) {
    if (filter === null) hit._sourceBytes = bytes;
    else hit._source = filterSource(parse(), filter);
  }
  if (request.fields !== undefined || request.docvalue_fields !== undefined) {
    const fields = renderFields(index, parse(), request.fields, request.docvalue_fields);
    if (Object.keys(fields).length > 0) hit.fields = fields;
  }
  if (request.highlight !== undefined) {
    const highlight = highlightHit(index, parse(), request.highlight, compiler.highlightTerms);
    if (Object.keys(highlight).length > 0) hit.highlight = highlight;
  }
  if (sort.length > 0 && !(sort.length === 1 && sort[0]!.field === '_score' && !request.sort)) {
    const values = c.keys.map((v, i) => formatSortValue(v, sort[i]!, index));
    hit.sort = options.hideTiebreak ? values.slice(0, -1) : values;
  }
  return hit;
}

function formatSortValue(value: unknown, key: SortKey, index: IndexDb): unknown {
  if (key.field === '_score' || key.field === '_doc' || key.field === '_shard_doc' || value === null || value === undefined) return value ?? null;
  const leaf = index.mapping.leaf(key.field);
  if (leaf && DATE_TYPES.has(leaf.type) && key.format && typeof value === 'number') return new Date(value).toISOString();
  if (leaf?.type === 'boolean') return Number(value);
  return value;
}

/** `_source` request value → null (whole), false (none), or a filter object. */
function parseSourceFilter(value: unknown): null | false | { includes: string[]; excludes: string[] } {
  if (value === undefined || value === true) return null;
  if (value === false) return false;
  if (typeof value === 'string') return { includes: [value], excludes: [] };
  if (Array.isArray(value)) return { includes: value.map(String), excludes: [] };
  if (typeof value === 'object' && value !== null) {
    const o = value as { includes?: unknown; excludes?: unknown; include?: unknown; exclude?: unknown };
    const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
    return { includes: list(o.includes ?? o.include), excludes: list(o.excludes ?? o.exclude) };
  }
  throw parsingError(`[_source] of type [${typeof value}] is not supported`);
}

// ---- sorting ----------------------------------------------------------------------------

export function parseSort(value: unknown): SortKey[] {
  if (value === undefined || value === null) return [{ field: '_score', order: 'desc', missing: '_last' }];
  const list = Array.isArray(value) ? value : [value];
  const keys: SortKey[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      const [field, order] = item.includes(':') && !item.startsWith('_') ? (item.split(':') as [string, string]) : [item, undefined];
      keys.push(sortKey(field, order ? { order } : {}));
      continue;
    }
    if (typeof item !== 'object' || item === null) throw parsingError(`[sort] unexpected token in sort [${String(item)}]`);
    for (const [field, spec] of Object.entries(item)) {
      if (typeof spec === 'string') keys.push(sortKey(field, { order: spec }));
      else if (typeof spec === 'object' && spec !== null) keys.push(sortKey(field, spec as Record<string, unknown>));
      else throw parsingError(`[sort] unexpected value for [${field}]`);
    }
  }
  return keys;
}

function sortKey(field: string, spec: Record<string, unknown>): SortKey {
  const order = spec.order === undefined ? (field === '_score' ? 'desc' : 'asc') : String(spec.order).toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw illegalArgument(`No enum constant org.elasticsearch.search.sort.SortOrder.${String(spec.order).toUpperCase()}`);
  for (const key of Object.keys(spec)) {
    if (!['order', 'missing', 'unmapped_type', 'format', 'mode', 'numeric_type'].includes(key)) throw parsingError(`[field_sort] unknown field [${key}]`, 1, 1);
  }
  return {
    field,
    order,
    missing: spec.missing ?? '_last',
    ...(spec.unmapped_type !== undefined ? { unmappedType: String(spec.unmapped_type) } : {}),
    ...(spec.format !== undefined ? { format: String(spec.format) } : {}),
  };
}

interface KeyExpr {
  expr: string;
  value: (raw: unknown, doc: number) => unknown;
}

const hasIndexCache = new WeakMap<IndexDb, Map<string, { at: number; plain: boolean }>>();

/** Whether a column holds only scalars (then ORDER BY can use its index). Checked through the index, so only for indexed columns. */
function plainIndexedColumn(index: IndexDb, column: string): boolean {
  let cache = hasIndexCache.get(index);
  if (!cache) hasIndexCache.set(index, (cache = new Map()));
  const hit = cache.get(column);
  if (hit && Date.now() - hit.at < 1000) return hit.plain;
  const db = index.reader();
  const indexed = (db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(`fields_${column}`) as unknown) !== undefined;
  const plain = indexed && db.prepare(`SELECT 1 FROM fields WHERE ${column} >= x'' LIMIT 1`).get() === undefined;
  cache.set(column, { at: Date.now(), plain });
  return plain;
}

function sortExpression(index: IndexDb, compiler: SearchCompiler, key: SortKey, clause: Clause, indexPos: number): KeyExpr {
  if (key.field === '_score') return { expr: `(${clause.s})`, value: (raw) => Number(raw) };
  if (key.field === '_doc') return { expr: 'f.doc', value: (raw) => Number(raw) };
  if (key.field === '_shard_doc') return { expr: 'f.doc', value: (raw) => indexPos * SHARD_DOC_SPAN + Number(raw) };
  if (key.field === '_id') {
    compiler.usesDocs = true;
    return { expr: 'd.id', value: (raw) => raw };
  }
  const leaf = index.mapping.leaf(key.field);
  if (!leaf) {
    if (key.unmappedType) return { expr: 'NULL', value: () => null };
    throw new EsError(400, 'query_shard_exception', `No mapping found for [${key.field}] in order to sort on`, { index_uuid: index.uuid, index: index.name });
  }
  if (TEXT_TYPES.has(leaf.type)) {
    throw illegalArgument(
      `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${key.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
    );
  }
  const column = compiler.column(key.field);
  if (!column) return { expr: 'NULL', value: () => null };
  const decode = valueDecoder(leaf);
  const plain = plainIndexedColumn(index, column.slice(2));
  let expr = plain
    ? column
    : `(CASE WHEN ${column} > x'' THEN (SELECT ${key.order === 'asc' ? 'min' : 'max'}(value) FROM json_each(${column})) WHEN ${column} = x'' THEN NULL ELSE ${column} END)`;
  if (key.missing !== '_last' && key.missing !== '_first') {
    const missing = compiler.encode(leaf, key.missing);
    expr = `coalesce(${expr}, ${compiler.param(missing)})`;
  }
  return { expr, value: (raw) => (raw === null || raw === undefined ? null : decode(raw)) };
}

function valueDecoder(leaf: Leaf): (raw: unknown) => unknown {
  if (leaf.type in INTEGER_TYPES || FLOAT_TYPES.has(leaf.type) || DATE_TYPES.has(leaf.type)) return (raw) => Number(raw);
  if (leaf.type === 'boolean') return (raw) => Number(raw) === 1;
  return (raw) => String(raw);
}

function orderTerms(alias: string, _expr: string, key: SortKey): string[] {
  const dir = key.order === 'asc' ? 'ASC' : 'DESC';
  const missingFirst = key.missing === '_first';
  // SQLite sorts NULL lowest: ASC puts them first, DESC last.
  if (key.order === 'asc' && !missingFirst) return [`(${alias} IS NULL)`, `${alias} ${dir}`];
  if (key.order === 'desc' && missingFirst) return [`(${alias} IS NULL) DESC`, `${alias} ${dir}`];
  return [`${alias} ${dir}`];
}

function afterCondition(compiler: SearchCompiler, keys: KeyExpr[], sort: SortKey[], after: unknown[], indexPos: number): string {
  const ors: string[] = [];
  const equal: string[] = [];
  for (let i = 0; i < sort.length; i++) {
    const key = sort[i]!;
    let expr = keys[i]!.expr;
    let value = after[i];
    if (key.field === '_shard_doc') {
      const n = Number(value);
      const pos = Math.floor(n / SHARD_DOC_SPAN);
      const doc = n - pos * SHARD_DOC_SPAN;
      if (indexPos > pos) ors.push(`(${[...equal, '1'].join(' AND ')})`);
      else if (indexPos === pos) ors.push(`(${[...equal, `f.doc > ${doc}`].join(' AND ')})`);
      equal.push(indexPos === pos ? `f.doc = ${doc}` : '0');
      continue;
    }
    if (typeof value === 'boolean') value = value ? 1 : 0;
    if (key.field !== '_score' && key.field !== '_doc' && typeof value === 'string') {
      const leaf = compiler.index.mapping.leaf(key.field);
      if (leaf && DATE_TYPES.has(leaf.type)) value = compiler.date(leaf, value, undefined, undefined, false);
    }
    const missingFirst = key.missing === '_first';
    const op = key.order === 'asc' ? '>' : '<';
    let strictly: string;
    let same: string;
    if (value === null || value === undefined) {
      strictly = missingFirst ? `${expr} IS NOT NULL` : '0';
      same = `${expr} IS NULL`;
    } else {
      const p = compiler.param(value as string | number);
      strictly = missingFirst ? `${expr} ${op} ${p}` : `(${expr} ${op} ${p} OR ${expr} IS NULL)`;
      same = `${expr} = ${p}`;
    }
    expr = '';
    ors.push(`(${[...equal, strictly].join(' AND ')})`);
    equal.push(same);
  }
  return `(${ors.join(' OR ')})`;
}

function compareCandidates(a: Candidate, b: Candidate, sort: SortKey[]): number {
  for (let i = 0; i < sort.length; i++) {
    const key = sort[i]!;
    const x = a.keys[i];
    const y = b.keys[i];
    if (x === y) continue;
    const xMissing = x === null || x === undefined;
    const yMissing = y === null || y === undefined;
    if (xMissing || yMissing) {
      const first = key.missing === '_first';
      if (xMissing && yMissing) continue;
      return xMissing === first ? -1 : 1;
    }
    const cmp = (x as number | string) < (y as number | string) ? -1 : 1;
    return key.order === 'asc' ? cmp : -cmp;
  }
  return a.indexPos - b.indexPos || a.doc - b.doc;
}

function parseTrackTotal(value: unknown): number | true | false {
  if (value === undefined || value === null) return DEFAULT_TRACK_TOTAL;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  const n = Number(value);
  if (!Number.isInteger(n)) throw parsingError(`[track_total_hits] must be a boolean or an integer, found [${String(value)}]`);
  if (n < -1) throw illegalArgument(`[track_total_hits] parameter must be positive or equals to -1, got ${n}`);
  return n === -1 ? true : n;
}
