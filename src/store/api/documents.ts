/**
 * Single-document APIs (index, create, update, delete, get, exists, `_source`), `_mget`,
 * `_count` and the by-query writes. Writes are one-item bulks through executeWrite, so
 * they share its durability, backpressure and metrics.
 */
import type { WriteItem } from '../engine/documents.ts';
import type { GetResult } from '../engine/reads.ts';
import { EsError, illegalArgument } from '../errors.ts';
import { RawJson } from '../http/respond.ts';
import { type Ctx, RESOLVE_PARAMS, type Router, requireParam } from '../http/router.ts';
import { storeMetrics } from '../metrics.ts';
import { executeWrite, PIPELINE_WARNING } from './bulk.ts';
import { refreshParam } from './bulk-parse.ts';
import { restoreSearchError } from '../search/shard-errors.ts';
import { filterSource, sourceFilterFromQuery } from './source-filter.ts';

const WRITE_PARAMS = ['refresh', 'routing', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'op_type', 'pipeline', 'wait_for_active_shards', 'require_alias', 'require_data_stream', 'include_source_on_error'];
const UPDATE_PARAMS = ['refresh', 'routing', 'retry_on_conflict', 'if_seq_no', 'if_primary_term', 'lang', 'require_alias', '_source', '_source_includes', '_source_excludes', 'wait_for_active_shards', 'include_source_on_error'];
const GET_PARAMS = ['_source', '_source_includes', '_source_excludes', 'stored_fields', 'routing', 'preference', 'realtime', 'refresh', 'version', 'version_type', 'force_synthetic_source'];
const COUNT_PARAMS = [...RESOLVE_PARAMS, 'q', 'analyzer', 'analyze_wildcard', 'default_operator', 'df', 'lenient', 'min_score', 'preference', 'routing', 'terminate_after'];
const BY_QUERY_PARAMS = [
  ...COUNT_PARAMS,
  'conflicts',
  'refresh',
  'wait_for_completion',
  'scroll_size',
  'scroll',
  'max_docs',
  'slices',
  'requests_per_second',
  'wait_for_active_shards',
  'search_type',
  'search_timeout',
  'from',
  'size',
  'sort',
  'stats',
  'version',
  'request_cache',
  'pipeline',
];

export function registerDocumentRoutes(router: Router): void {
  router.add('POST', '/:index/_doc', WRITE_PARAMS, (ctx) => writeOne(ctx, ctx.query.op_type === 'create' ? 'create' : 'index'));
  router.add(['PUT', 'POST'], '/:index/_doc/:id', WRITE_PARAMS, (ctx) => writeOne(ctx, ctx.query.op_type === 'create' ? 'create' : 'index'));
  router.add(['PUT', 'POST'], '/:index/_create/:id', WRITE_PARAMS, (ctx) => writeOne(ctx, 'create'));
  router.add('POST', '/:index/_update/:id', UPDATE_PARAMS, (ctx) => writeOne(ctx, 'update'));
  router.add('DELETE', '/:index/_doc/:id', WRITE_PARAMS, (ctx) => writeOne(ctx, 'delete'));
  router.add('GET', '/:index/_doc/:id', GET_PARAMS, getDoc);
  router.add('GET', '/:index/_source/:id', GET_PARAMS, getSource);
  router.add(['GET', 'POST'], ['/_mget', '/:index/_mget'], GET_PARAMS, mget);
  router.add(['GET', 'POST'], ['/_count', '/:index/_count'], COUNT_PARAMS, count);
  router.add('POST', '/:index/_delete_by_query', BY_QUERY_PARAMS, deleteByQuery);
  router.add('POST', '/:index/_update_by_query', BY_QUERY_PARAMS, updateByQuery);
}

async function writeOne(ctx: Ctx, op: WriteItem['op']) {
  const index = requireParam(ctx, 'index');
  const item: WriteItem = { op, index };
  if (ctx.params.id !== undefined) item.id = ctx.params.id;
  if (ctx.query.routing !== undefined) item.routing = ctx.query.routing;
  if (ctx.query.if_seq_no !== undefined) item.ifSeqNo = ctx.number('if_seq_no')!;
  if (ctx.query.if_primary_term !== undefined) item.ifPrimaryTerm = ctx.number('if_primary_term')!;
  if (ctx.query.version !== undefined) item.version = ctx.number('version')!;
  if (ctx.query.version_type !== undefined) item.versionType = ctx.query.version_type as WriteItem['versionType'];
  if (ctx.query.pipeline !== undefined) item.pipeline = ctx.query.pipeline;
  if (ctx.query.require_alias !== undefined) item.requireAlias = ctx.flag('require_alias');
  if (ctx.query.op_type !== undefined && !['create', 'index'].includes(ctx.query.op_type)) {
    throw illegalArgument(`opType must be 'create' or 'index', found: [${ctx.query.op_type}]`);
  }
  const body = ctx.body ?? Buffer.alloc(0);
  if (op !== 'delete') {
    // Validates that the body is a JSON object before it is queued.
    ctx.jsonObject(true);
    item.start = 0;
    item.end = body.length;
  }
  const refresh = refreshParam(ctx.query.refresh);
  const response = await executeWrite(ctx, body, [item], [Math.max(body.length, 1)], refresh === 'true');
  const result = Object.values(response.items[0]!)[0]!;
  const { status, error, ...rest } = result as { status: number; error?: { type: string; reason: string } & Record<string, unknown> };
  if (error) {
    const { type, reason, caused_by, ...extra } = error;
    throw new EsError(status, type, reason, extra, caused_by as never);
  }
  return { status, body: rest, ...(item.pipeline ? { headers: { Warning: PIPELINE_WARNING } } : {}) };
}

async function getDoc(ctx: Ctx) {
  const started = performance.now();
  const result = await ctx.engine.call('getDocument', requireParam(ctx, 'index'), requireParam(ctx, 'id'));
  storeMetrics.querySeconds.observe({ api: 'get' }, (performance.now() - started) / 1000);
  return { status: result.found ? 200 : 404, body: renderGet(result, sourceFilterFromQuery(ctx.query)), raw: true };
}

async function getSource(ctx: Ctx) {
  const result = await ctx.engine.call('getDocument', requireParam(ctx, 'index'), requireParam(ctx, 'id'));
  if (!result.found || !result.source) {
    throw new EsError(404, 'resource_not_found_exception', `Document not found [${result._index}]/[${result._id}]`);
  }
  const filter = sourceFilterFromQuery(ctx.query);
  return { body: filter ? filterSource(new RawJson(result.source).parse(), filter) : new RawJson(result.source), raw: true };
}

export function renderGet(result: GetResult, filter: ReturnType<typeof sourceFilterFromQuery>): Record<string, unknown> {
  const { source, ...meta } = result;
  if (!result.found) return { _index: meta._index, _id: meta._id, found: false };
  const out: Record<string, unknown> = { _index: meta._index, _id: meta._id, _version: meta._version, _seq_no: meta._seq_no, _primary_term: meta._primary_term };
  if (meta._routing) out._routing = meta._routing;
  out.found = true;
  if (source && filter !== false) out._source = filter ? filterSource(new RawJson(source).parse(), filter) : new RawJson(source);
  return out;
}

async function mget(ctx: Ctx) {
  const started = performance.now();
  const body = ctx.jsonObject(true)!;
  const defaultIndex = ctx.params.index;
  let specs: { _index?: string; _id: string; _source?: unknown }[];
  if (Array.isArray(body.docs)) {
    specs = (body.docs as Record<string, unknown>[]).map((d) => {
      if (d._id === undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: id is missing for doc 0;');
      return { ...(d._index ?? defaultIndex ? { _index: String(d._index ?? defaultIndex) } : {}), _id: String(d._id), _source: d._source };
    });
  } else if (Array.isArray(body.ids)) {
    if (!defaultIndex) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing for doc 0;');
    specs = (body.ids as unknown[]).map((id) => ({ _index: defaultIndex, _id: String(id) }));
  } else throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no documents to get;');
  const results = await ctx.engine.call(
    'mget',
    specs.map((s) => ({ ...(s._index ? { index: s._index } : {}), id: s._id })),
  );
  const queryFilter = sourceFilterFromQuery(ctx.query);
  storeMetrics.querySeconds.observe({ api: 'mget' }, (performance.now() - started) / 1000);
  return {
    raw: true,
    body: {
      docs: results.map((r, i) => {
        if ('error' in r) return r;
        const own = specs[i]!._source;
        const filter = own === undefined ? queryFilter : own === false ? false : own === true ? null : (own as never);
        return renderGet(r, filter);
      }),
    },
  };
}

async function count(ctx: Ctx) {
  const started = performance.now();
  const body = ctx.jsonObject(false);
  let query = body?.query;
  if (body) {
    for (const key of Object.keys(body)) if (key !== 'query') throw new EsError(400, 'parsing_exception', `request does not support [${key}]`, { line: 1, col: 2 });
  }
  if (ctx.query.q !== undefined) query = queryFromQ(ctx.query.q, ctx.query.df, ctx.query);
  let result: { count: number; shards: number };
  try {
    result = await ctx.engine.call('count', ctx.params.index, query, ctx.resolveOptions());
  } catch (error) {
    throw restoreSearchError(error);
  }
  storeMetrics.querySeconds.observe({ api: 'count' }, (performance.now() - started) / 1000);
  return { body: { count: result.count, _shards: { total: result.shards, successful: result.shards, skipped: 0, failed: 0 } } };
}

/** `q=` URI queries are Lucene query strings (with df, default_operator, analyze_wildcard, lenient). */
function queryFromQ(q: string, df: string | undefined, params: Record<string, string> = {}): unknown {
  const qs: Record<string, unknown> = { query: q };
  if (df !== undefined) qs.default_field = df;
  if (params.default_operator !== undefined) qs.default_operator = params.default_operator;
  if (params.analyze_wildcard !== undefined) qs.analyze_wildcard = params.analyze_wildcard === 'true';
  if (params.lenient !== undefined) qs.lenient = params.lenient === 'true';
  return { query_string: qs };
}

async function deleteByQuery(ctx: Ctx) {
  const body = ctx.jsonObject(false) ?? {};
  const query = ctx.query.q !== undefined ? queryFromQ(ctx.query.q, ctx.query.df) : body.query;
  if (query === undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: query is missing;');
  return { body: await ctx.engine.call('deleteByQuery', requireParam(ctx, 'index'), query, ctx.resolveOptions()) };
}

async function updateByQuery(ctx: Ctx) {
  const body = (ctx.jsonObject(false) ?? {}) as { query?: unknown; script?: unknown };
  if (ctx.query.q !== undefined) body.query = queryFromQ(ctx.query.q, ctx.query.df);
  return { body: await ctx.engine.call('updateByQuery', requireParam(ctx, 'index'), body, ctx.resolveOptions()) };
}
