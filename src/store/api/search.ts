/**
 * Search endpoints: `_search` (body and URI search), scroll, point in time, `_msearch`,
 * `_field_caps`, `_mapping/field`. Requests are checked and normalized here; the engine
 * thread executes them (search/execute.ts). `_source`s come back as raw bytes and are
 * spliced into the response unparsed.
 */
import type { SearchRequest } from '../search/execute.ts';
import type { SearchResponse } from '../search/contexts.ts';
import { restoreSearchError } from '../search/shard-errors.ts';
import { EsError, illegalArgument, parsingError, toEsError } from '../errors.ts';
import { RawJson } from '../http/respond.ts';
import { type Ctx, RESOLVE_PARAMS, type Router, requireParam } from '../http/router.ts';
import { storeMetrics } from '../metrics.ts';

const SEARCH_PARAMS = [
  ...RESOLVE_PARAMS,
  'q',
  'df',
  'default_operator',
  'analyzer',
  'analyze_wildcard',
  'lenient',
  'sort',
  'size',
  'from',
  '_source',
  '_source_includes',
  '_source_excludes',
  'stored_fields',
  'docvalue_fields',
  'track_total_hits',
  'track_scores',
  'scroll',
  'search_type',
  'terminate_after',
  'version',
  'seq_no_primary_term',
  'request_cache',
  'rest_total_hits_as_int',
  'typed_keys',
  'batched_reduce_size',
  'pre_filter_shard_size',
  'max_concurrent_shard_requests',
  'ccs_minimize_roundtrips',
  'allow_partial_search_results',
  'preference',
  'routing',
  'explain',
  'stats',
  'suggest_field',
  'include_named_queries_score',
  'force_synthetic_source',
];

const BODY_KEYS = new Set([
  'query',
  'from',
  'size',
  'sort',
  '_source',
  'fields',
  'docvalue_fields',
  'stored_fields',
  'highlight',
  'track_total_hits',
  'track_scores',
  'search_after',
  'aggs',
  'aggregations',
  'terminate_after',
  'timeout',
  'min_score',
  'post_filter',
  'version',
  'seq_no_primary_term',
  'explain',
  'pit',
  'stats',
  'profile',
  'runtime_mappings',
  'indices_boost',
]);
const UNSUPPORTED_KEYS = new Set(['script_fields', 'collapse', 'rescore', 'suggest', 'knn', 'slice', 'ext', 'rank', 'retriever']);

export function registerSearchRoutes(router: Router): void {
  router.add(['GET', 'POST'], ['/_search', '/:index/_search'], SEARCH_PARAMS, searchHandler);
  router.add(['GET', 'POST'], ['/_search/scroll', '/_search/scroll/:scroll_id'], ['scroll', 'scroll_id', 'rest_total_hits_as_int'], scrollHandler);
  router.add('DELETE', ['/_search/scroll', '/_search/scroll/:scroll_id'], [], clearScrollHandler);
  router.add('POST', '/:index/_pit', [...RESOLVE_PARAMS, 'keep_alive', 'preference', 'routing', 'allow_partial_search_results'], openPit);
  router.add('DELETE', '/_pit', [], closePit);
  router.add(['GET', 'POST'], ['/_msearch', '/:index/_msearch'], ['max_concurrent_searches', 'max_concurrent_shard_requests', 'pre_filter_shard_size', 'rest_total_hits_as_int', 'typed_keys', 'search_type', 'ccs_minimize_roundtrips', ...RESOLVE_PARAMS], msearch);
  router.add(['GET', 'POST'], ['/_field_caps', '/:index/_field_caps'], [...RESOLVE_PARAMS, 'fields', 'include_unmapped', 'filters', 'types', 'include_empty_fields'], fieldCaps);
  router.add('GET', ['/_mapping/field/:fields', '/:index/_mapping/field/:fields'], [...RESOLVE_PARAMS, 'include_defaults', 'local'], fieldMapping);
}

/** A body key's position as Elasticsearch reports it (1-based line and column of the key). */
function keyPosition(text: string, key: string): { line: number; col: number } {
  const at = text.indexOf(`"${key}"`);
  if (at < 0) return { line: 1, col: 1 };
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, col: at - before.lastIndexOf('\n') + key.length + 2 };
}

/** Checks a search body and applies the URI parameters over it. */
export function buildRequest(body: Record<string, unknown> | undefined, query: Record<string, string>, rawText = ''): SearchRequest {
  const request: Record<string, unknown> = { ...(body ?? {}) };
  for (const key of Object.keys(request)) {
    if (BODY_KEYS.has(key)) continue;
    if (UNSUPPORTED_KEYS.has(key)) throw illegalArgument(`[${key}] is not supported by this store`);
    const { line, col } = keyPosition(rawText, key);
    const value = request[key];
    const token = typeof value === 'object' && value !== null ? (Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT') : typeof value === 'number' ? 'VALUE_NUMBER' : typeof value === 'boolean' ? 'VALUE_BOOLEAN' : 'VALUE_STRING';
    throw parsingError(`Unknown key for a ${token} in [${key}].`, line, col);
  }
  for (const key of ['from', 'size', 'terminate_after']) {
    const v = request[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v))) {
      if (typeof v === 'string' && /^-?\d+$/.test(v)) request[key] = Number(v);
      else throw parsingError(`[${key}] failed to parse field [${key}]`, 1, 1);
    }
  }
  if (request.query !== undefined && (typeof request.query !== 'object' || request.query === null || Array.isArray(request.query))) {
    throw parsingError('[query] query malformed, must start with start_object');
  }
  const int = (name: string): number | undefined => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw illegalArgument(`Failed to parse int parameter [${name}] with value [${v}]`);
    return Number(v);
  };
  if (query.q !== undefined) {
    const qs: Record<string, unknown> = { query: query.q };
    if (query.df !== undefined) qs.default_field = query.df;
    if (query.default_operator !== undefined) qs.default_operator = query.default_operator;
    if (query.analyze_wildcard !== undefined) qs.analyze_wildcard = query.analyze_wildcard === 'true';
    if (query.lenient !== undefined) qs.lenient = query.lenient === 'true';
    request.query = { query_string: qs };
  }
  const size = int('size');
  if (size !== undefined) request.size = size;
  const from = int('from');
  if (from !== undefined) request.from = from;
  const terminate = int('terminate_after');
  if (terminate !== undefined) request.terminate_after = terminate;
  if (query.sort !== undefined) request.sort = query.sort.split(',').filter(Boolean);
  if (query._source !== undefined) request._source = query._source === 'true' ? true : query._source === 'false' ? false : query._source.split(',');
  if (query._source_includes !== undefined || query._source_excludes !== undefined) {
    request._source = { includes: query._source_includes?.split(',') ?? [], excludes: query._source_excludes?.split(',') ?? [] };
  }
  if (query.track_total_hits !== undefined) request.track_total_hits = query.track_total_hits;
  if (query.track_scores !== undefined) request.track_scores = query.track_scores === 'true';
  if (query.version !== undefined) request.version = query.version === 'true';
  if (query.seq_no_primary_term !== undefined) request.seq_no_primary_term = query.seq_no_primary_term === 'true';
  if (query.docvalue_fields !== undefined) request.docvalue_fields = query.docvalue_fields.split(',');
  if (query.rest_total_hits_as_int === 'true' && request.track_total_hits === undefined) request.track_total_hits = true;
  return request as SearchRequest;
}

/** Shapes the engine's answer as Elasticsearch renders it. */
export function renderResponse(result: SearchResponse, query: Record<string, string>, aggsRequest?: unknown): Record<string, unknown> {
  const hits = result.hits.hits.map((h) => {
    const { _sourceBytes, ...rest } = h;
    const out: Record<string, unknown> = { _index: rest._index, _id: rest._id };
    if (rest._version !== undefined) out._version = rest._version;
    if (rest._seq_no !== undefined) {
      out._seq_no = rest._seq_no;
      out._primary_term = rest._primary_term;
    }
    out._score = rest._score;
    if (_sourceBytes) out._source = new RawJson(_sourceBytes);
    else if (rest._source !== undefined) out._source = rest._source;
    if (rest.fields) out.fields = rest.fields;
    if (rest.highlight) out.highlight = rest.highlight;
    if (rest.sort) out.sort = rest.sort;
    return out;
  });
  const out: Record<string, unknown> = {};
  if (result._scroll_id !== undefined) out._scroll_id = result._scroll_id;
  if (result.pit_id !== undefined) out.pit_id = result.pit_id;
  out.took = result.took;
  out.timed_out = result.timed_out;
  if (result.terminated_early) out.terminated_early = true;
  out._shards = result._shards;
  const total = result.hits.total;
  const hitsOut: Record<string, unknown> = {};
  if (total) hitsOut.total = query.rest_total_hits_as_int === 'true' ? total.value : total;
  hitsOut.max_score = result.hits.max_score;
  hitsOut.hits = hits;
  out.hits = hitsOut;
  if (result.aggregations !== undefined) out.aggregations = query.typed_keys === 'true' && aggsRequest ? typedKeys(aggsRequest, result.aggregations) : result.aggregations;
  return out;
}

/** `typed_keys`: aggregation names prefixed with their type (`date_histogram#per_hour`), as Kibana reads them. */
function typedKeys(request: unknown, response: Record<string, unknown>): Record<string, unknown> {
  if (typeof request !== 'object' || request === null) return response;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(response)) {
    const def = (request as Record<string, Record<string, unknown>>)[name];
    if (!def || typeof def !== 'object') {
      out[name] = value;
      continue;
    }
    const type = typedName(Object.keys(def).find((k) => k !== 'aggs' && k !== 'aggregations' && k !== 'meta'), value);
    const subs = def.aggs ?? def.aggregations;
    out[type ? `${type}#${name}` : name] = subs === undefined ? value : typedBuckets(subs, value);
  }
  return out;
}

/** Elasticsearch's internal names: `sterms`/`lterms`/`dterms` by key type, `tdigest_percentiles`. */
function typedName(type: string | undefined, value: unknown): string | undefined {
  if (type === 'percentiles') return 'tdigest_percentiles';
  if (type !== 'terms') return type;
  const buckets = (value as { buckets?: { key?: unknown }[] } | null)?.buckets;
  const key = Array.isArray(buckets) ? buckets[0]?.key : undefined;
  return typeof key === 'number' ? (Number.isInteger(key) ? 'lterms' : 'dterms') : 'sterms';
}

function typedBuckets(subs: unknown, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const agg = value as Record<string, unknown>;
  const { buckets } = agg;
  const sub = (bucket: unknown) => {
    if (typeof bucket !== 'object' || bucket === null) return bucket;
    const names = Object.keys(subs as object);
    const own: Record<string, unknown> = {};
    const inner: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(bucket)) (names.includes(k) ? inner : own)[k] = v;
    return { ...own, ...typedKeys(subs, inner) };
  };
  if (Array.isArray(buckets)) return { ...agg, buckets: buckets.map(sub) };
  if (typeof buckets === 'object' && buckets !== null) return { ...agg, buckets: Object.fromEntries(Object.entries(buckets).map(([k, b]) => [k, sub(b)])) };
  return sub(agg);
}

async function runSearch(ctx: Ctx, index: string | undefined, request: SearchRequest, scroll: string | undefined): Promise<Record<string, unknown>> {
  const started = performance.now();
  try {
    const result = await ctx.engine.call('search', index, request, ctx.resolveOptions(), scroll);
    return renderResponse(result, ctx.query, request.aggs ?? request.aggregations);
  } catch (error) {
    throw restoreSearchError(error);
  } finally {
    storeMetrics.querySeconds.observe({ api: 'search' }, (performance.now() - started) / 1000);
  }
}

async function searchHandler(ctx: Ctx) {
  const body = ctx.jsonObject(false);
  const request = buildRequest(body, ctx.query, ctx.body?.toString('utf8') ?? '');
  return { body: await runSearch(ctx, ctx.params.index, request, ctx.query.scroll), raw: true };
}

function scrollIdFrom(ctx: Ctx): { id: string | string[] | undefined; scroll: string | undefined } {
  const body = ctx.body && ctx.body.length > 0 ? parseLoose(ctx.body.toString('utf8')) : undefined;
  if (typeof body === 'string') return { id: body, scroll: ctx.query.scroll };
  const o = (body ?? {}) as { scroll_id?: string | string[]; scroll?: string };
  return { id: o.scroll_id ?? ctx.params.scroll_id ?? ctx.query.scroll_id, scroll: o.scroll ?? ctx.query.scroll };
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.trim();
  }
}

async function scrollHandler(ctx: Ctx) {
  const { id, scroll } = scrollIdFrom(ctx);
  if (id === undefined || id === '') throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: scrollId is missing;');
  try {
    const result = await ctx.engine.call('scroll', Array.isArray(id) ? id[0]! : id, scroll);
    return { body: renderResponse(result, ctx.query), raw: true };
  } catch (error) {
    throw restoreSearchError(error);
  }
}

async function clearScrollHandler(ctx: Ctx) {
  const { id } = scrollIdFrom(ctx);
  if (id === undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no scroll ids specified;');
  const ids = Array.isArray(id) ? id : String(id).split(',');
  const result = await ctx.engine.call('clearScroll', ids.includes('_all') ? '_all' : ids);
  return { status: result.num_freed === 0 && !ids.includes('_all') ? 404 : 200, body: result };
}

async function openPit(ctx: Ctx) {
  return { body: await ctx.engine.call('openPit', requireParam(ctx, 'index'), ctx.query.keep_alive, ctx.resolveOptions()) };
}

async function closePit(ctx: Ctx) {
  const body = ctx.jsonObject(true)!;
  if (typeof body.id !== 'string') throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: point in time id is missing;');
  const result = await ctx.engine.call('closePit', body.id);
  return { status: result.num_freed === 0 ? 404 : 200, body: result };
}

async function msearch(ctx: Ctx) {
  const started = performance.now();
  const text = ctx.body?.toString('utf8') ?? '';
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  const responses: unknown[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    let header: Record<string, unknown>;
    let body: Record<string, unknown>;
    try {
      header = lines[i]!.trim() === '' ? {} : (JSON.parse(lines[i]!) as Record<string, unknown>);
    } catch (error) {
      throw parsingError(`Failed to parse header line ${i + 1}: ${(error as Error).message}`, i + 1, 1);
    }
    if (i + 1 >= lines.length) throw illegalArgument('The msearch request must be terminated by a newline [\\n]');
    try {
      body = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
    } catch (error) {
      throw parsingError(`Failed to parse search body on line ${i + 2}: ${(error as Error).message}`, i + 2, 1);
    }
    const indexValue = header.index ?? ctx.params.index;
    const index = Array.isArray(indexValue) ? indexValue.join(',') : indexValue === undefined ? undefined : String(indexValue);
    const started1 = performance.now();
    try {
      const query: Record<string, string> = { ...ctx.query };
      for (const key of ['ignore_unavailable', 'allow_no_indices', 'expand_wildcards']) if (header[key] !== undefined) query[key] = String(header[key]);
      const request = buildRequest(body, {}, lines[i + 1]);
      const options = ctx.resolveOptions();
      if (header.ignore_unavailable !== undefined) options.ignoreUnavailable = String(header.ignore_unavailable) === 'true';
      if (header.allow_no_indices !== undefined) options.allowNoIndices = String(header.allow_no_indices) === 'true';
      if (header.expand_wildcards !== undefined) options.expandWildcards = String(header.expand_wildcards);
      const result = await ctx.engine.call('search', index, request, options, undefined);
      responses.push({ ...renderResponse(result, ctx.query, request.aggs ?? request.aggregations), status: 200 });
    } catch (error) {
      const es = toEsError(restoreSearchError(error));
      responses.push({ error: es.toErrorObject(), status: es.status });
    }
    storeMetrics.querySeconds.observe({ api: 'msearch' }, (performance.now() - started1) / 1000);
  }
  return { body: { took: Math.round(performance.now() - started), responses }, raw: true };
}

async function fieldCaps(ctx: Ctx) {
  const body = ctx.jsonObject(false);
  const fields = ctx.query.fields?.split(',') ?? (Array.isArray(body?.fields) ? (body.fields as string[]) : undefined);
  if (!fields || fields.length === 0) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: specified fields can\'t be null or empty;');
  return { body: await ctx.engine.call('fieldCaps', ctx.params.index, fields, ctx.resolveOptions()) };
}

async function fieldMapping(ctx: Ctx) {
  return { body: await ctx.engine.call('fieldMapping', ctx.params.index, requireParam(ctx, 'fields').split(','), ctx.resolveOptions()) };
}
