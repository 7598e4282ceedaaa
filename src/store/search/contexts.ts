/**
 * Engine operations of search that keep state between requests: scroll contexts and
 * points in time. Both are snapshots by internal doc number (documents written later
 * have higher numbers and stay invisible; a document deleted later disappears — a
 * difference from Elasticsearch's segment snapshots) and page with the implicit
 * `_shard_doc` tiebreaker. They live in the engine thread's memory until their
 * keep-alive passes.
 */
import { randomBytes } from 'node:crypto';
import type { Engine } from '../engine/engine.ts';
import type { ResolveOptions } from '../engine/resolve.ts';
import { EsError, illegalArgument } from '../errors.ts';
import { search, type SearchRequest, type SearchResult, type Snapshot } from './execute.ts';

interface ScrollState {
  request: SearchRequest;
  snapshot: Snapshot;
  total: { value: number; relation: 'eq' | 'gte' } | null;
  lastSort: unknown[] | undefined;
  expiresAt: number;
  done: boolean;
}

interface PitState {
  snapshot: Snapshot;
  expiresAt: number;
}

interface Contexts {
  scrolls: Map<string, ScrollState>;
  pits: Map<string, PitState>;
}

const MAX_KEEP_ALIVE_MS = 24 * 3_600_000;
const MAX_OPEN_SCROLLS = 500;
const byEngine = new WeakMap<Engine, Contexts>();

function contexts(engine: Engine): Contexts {
  let c = byEngine.get(engine);
  if (!c) byEngine.set(engine, (c = { scrolls: new Map(), pits: new Map() }));
  const now = Date.now();
  for (const [id, s] of c.scrolls) if (s.expiresAt < now) c.scrolls.delete(id);
  for (const [id, p] of c.pits) if (p.expiresAt < now) c.pits.delete(id);
  return c;
}

/** `1m`, `30s`, `2h`, `500ms` → milliseconds (Elasticsearch's time values). */
export function parseKeepAlive(value: unknown, name = 'keep_alive'): number {
  const m = /^(\d+)(nanos|micros|ms|s|m|h|d)$/.exec(String(value ?? ''));
  if (!m) throw new EsError(400, 'parse_exception', `failed to parse setting [${name}] with value [${String(value)}] as a time value: unit is missing or unrecognized`);
  const unit: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const ms = Number(m[1]) * unit[m[2]!]!;
  if (ms > MAX_KEEP_ALIVE_MS) {
    throw illegalArgument(`Keep alive for request (${String(value)}) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.`);
  }
  return ms;
}

function takeSnapshot(engine: Engine, expression: string | undefined, options: ResolveOptions): Snapshot {
  const indices = engine.resolve(expression, options).filter((i) => i.meta.state !== 'close');
  const maxDoc: Record<string, number> = {};
  for (const index of indices) maxDoc[index.name] = Number((index.reader().prepare('SELECT coalesce(max(doc), 0) AS m FROM docs').get() as { m: number }).m);
  return { indices: indices.map((i) => i.name), maxDoc };
}

function newId(kind: 'scroll' | 'pit'): string {
  return Buffer.from(`${kind}:${randomBytes(15).toString('hex')}`).toString('base64url');
}

function missingContext(id: string): EsError {
  return new EsError(404, 'search_phase_execution_exception', 'all shards failed', { phase: 'query', grouped: true, failed_shards: [] }, { type: 'search_context_missing_exception', reason: `No search context found for id [${id}]` });
}

export type SearchResponse = Omit<SearchResult, 'lastSort'> & { _scroll_id?: string; pit_id?: string };

/** `_search` (with `scroll=`, or a `pit` in the body). */
export function searchOp(engine: Engine, expression: string | undefined, request: SearchRequest & { pit?: { id?: string; keep_alive?: string } }, options: ResolveOptions, scroll?: string): SearchResponse {
  const c = contexts(engine);
  if (request.pit !== undefined) {
    const { pit, ...rest } = request;
    if (expression !== undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;');
    if (scroll !== undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: using [point in time] is not allowed in a scroll context;');
    const id = String(pit?.id ?? '');
    const state = c.pits.get(id);
    if (!state) throw missingContext(id);
    if (pit?.keep_alive !== undefined) state.expiresAt = Date.now() + parseKeepAlive(pit.keep_alive);
    const { lastSort: _, ...result } = search(engine, undefined, rest, { snapshot: state.snapshot, tiebreak: true });
    return { pit_id: id, ...result };
  }
  if (scroll === undefined) {
    const { lastSort: _, ...result } = search(engine, expression, request, { resolve: options });
    return result;
  }
  const keepAlive = parseKeepAlive(scroll, 'scroll');
  if (request.search_after !== undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: using [search_after] is not allowed in a scroll context;');
  if (c.scrolls.size >= MAX_OPEN_SCROLLS) {
    throw new EsError(
      429,
      'exception',
      `Trying to create too many scroll contexts. Must be less than or equal to: [${MAX_OPEN_SCROLLS}]. This limit can be set by changing the [search.max_open_scroll_context] setting.`,
    );
  }
  const snapshot = takeSnapshot(engine, expression, options);
  const { lastSort, ...result } = search(engine, undefined, request, { snapshot, tiebreak: true, hideTiebreak: true });
  const id = newId('scroll');
  c.scrolls.set(id, { request: { ...request, from: 0, aggs: undefined, aggregations: undefined }, snapshot, total: result.hits.total ?? null, lastSort, expiresAt: Date.now() + keepAlive, done: result.hits.hits.length === 0 });
  return { _scroll_id: id, ...result };
}

/** `POST /_search/scroll`: the next page. */
export function scrollOp(engine: Engine, id: string, scroll: string | undefined): SearchResponse {
  const c = contexts(engine);
  const state = c.scrolls.get(id);
  if (!state) throw missingContext(id);
  if (scroll !== undefined) state.expiresAt = Date.now() + parseKeepAlive(scroll, 'scroll');
  const request: SearchRequest = { ...state.request };
  if (state.lastSort !== undefined) request.search_after = state.lastSort;
  if (state.done) request.size = 0;
  const { lastSort, ...result } = search(engine, undefined, request, { snapshot: state.snapshot, tiebreak: true, hideTiebreak: true, knownTotal: state.total ?? { value: 0, relation: 'eq' } });
  if (state.total === null) delete result.hits.total;
  if (lastSort !== undefined) state.lastSort = lastSort;
  if (result.hits.hits.length === 0) {
    state.done = true;
    result.hits.max_score = null;
  }
  return { _scroll_id: id, ...result };
}

export function clearScrollOp(engine: Engine, ids: string[] | '_all'): { succeeded: true; num_freed: number } {
  const c = contexts(engine);
  if (ids === '_all') {
    const n = c.scrolls.size;
    c.scrolls.clear();
    return { succeeded: true, num_freed: n };
  }
  let freed = 0;
  for (const id of ids) if (c.scrolls.delete(id)) freed++;
  return { succeeded: true, num_freed: freed };
}

export function openPitOp(engine: Engine, expression: string, keepAlive: string | undefined, options: ResolveOptions): { id: string; _shards: Record<string, number> } {
  if (keepAlive === undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: [keep_alive] is not specified;');
  const ms = parseKeepAlive(keepAlive);
  const snapshot = takeSnapshot(engine, expression, options);
  const id = newId('pit');
  contexts(engine).pits.set(id, { snapshot, expiresAt: Date.now() + ms });
  const n = snapshot.indices.length;
  return { id, _shards: { total: n, successful: n, skipped: 0, failed: 0 } };
}

export function closePitOp(engine: Engine, id: string): { succeeded: boolean; num_freed: number } {
  const freed = contexts(engine).pits.delete(id);
  return { succeeded: true, num_freed: freed ? 1 : 0 };
}
