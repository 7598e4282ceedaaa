/**
 * Reading documents (GET, mget, count) from committed data, and the by-query writes
 * (`_delete_by_query`, `_update_by_query`) that select with a query and then write
 * through the group commit queue.
 */
import { EsError, indexNotFound, toEsError } from '../errors.ts';
import { parseDocument } from '../mapping/document.ts';
import type { Engine } from './engine.ts';
import { wrapShardError } from '../search/shard-errors.ts';
import { type CompiledQuery, compileQuery } from './query.ts';
import type { ResolveOptions } from './resolve.ts';

export interface GetResult {
  _index: string;
  _id: string;
  found: boolean;
  _version?: number;
  _seq_no?: number;
  _primary_term?: number;
  _routing?: string;
  /** Raw `_source` bytes (the HTTP layer splices them into the response). */
  source?: Uint8Array;
}

/** GET by id. `target` may be an alias that points to one index. */
export function getDocument(engine: Engine, target: string, id: string): GetResult {
  const indices = engine.resolve(target, { allowNoIndices: false });
  if (indices.length !== 1) {
    throw new EsError(400, 'illegal_argument_exception', `alias [${target}] has more than one index associated with it [${indices.map((i) => i.name).join(', ')}], can't execute a single index op`);
  }
  const index = indices[0]!;
  const row = index.get(id);
  if (!row) return { _index: index.name, _id: id, found: false };
  return {
    _index: index.name,
    _id: id,
    _version: row.version,
    _seq_no: row.seqNo,
    _primary_term: 1,
    ...(row.routing ? { _routing: row.routing } : {}),
    found: true,
    ...(row.source ? { source: row.source } : {}),
  };
}

export interface MgetSpec {
  index?: string;
  id: string;
}

export type MgetResult = GetResult | { _index: string; _id: string; error: Record<string, unknown> };

export function mget(engine: Engine, docs: MgetSpec[]): MgetResult[] {
  return docs.map((spec) => {
    try {
      if (!spec.index) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing for doc 0;');
      return getDocument(engine, spec.index, spec.id);
    } catch (error) {
      const esError = toEsError(error);
      return { _index: spec.index ?? '', _id: spec.id, error: esError.toErrorObject() };
    }
  });
}

export function count(engine: Engine, expression: string | undefined, query: unknown, options: ResolveOptions): { count: number; shards: number } {
  const indices = engine.resolve(expression, options);
  let total = 0;
  for (const index of indices) {
    if (index.meta.state === 'close') continue;
    try {
      const compiled = compileQuery(index, query);
      if (compiled.matchAll) {
        total += index.docCount;
        continue;
      }
      const row = index.query(`SELECT count(*) AS n FROM ${compiled.from} WHERE ${compiled.where}`, compiled.params)[0];
      total += Number(row?.n ?? 0);
    } catch (error) {
      throw wrapShardError(error, index);
    }
  }
  return { count: total, shards: indices.length };
}

export interface ByQueryResult {
  took: number;
  timed_out: false;
  total: number;
  deleted?: number;
  updated?: number;
  batches: number;
  version_conflicts: 0;
  noops: 0;
  retries: { bulk: 0; search: 0 };
  throttled_millis: 0;
  requests_per_second: -1;
  throttled_until_millis: 0;
  failures: unknown[];
}

function byQueryResult(started: number, total: number): ByQueryResult {
  return {
    took: Date.now() - started,
    timed_out: false,
    total,
    batches: total > 0 ? 1 : 0,
    version_conflicts: 0,
    noops: 0,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1,
    throttled_until_millis: 0,
    failures: [],
  };
}

/** Deletes every document the query matches, in one group-commit task per call. */
export function deleteByQuery(engine: Engine, expression: string, query: unknown, options: ResolveOptions): Promise<ByQueryResult> {
  const started = Date.now();
  const indices = engine.resolve(expression, { ...options, allowNoIndices: options.allowNoIndices ?? false });
  if (query === undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: query is missing;');
  // Compile first so a bad query fails before anything is queued.
  for (const index of indices) compileQuery(index, query);
  return engine.queue.batch(1, async (context) => {
    let deleted = 0;
    for (const index of indices) {
      context.touch(index);
      // Matches are read from the committed data (Elasticsearch's by-query APIs also work
      // on the last refreshed view); one an earlier task of this batch removed is skipped.
      const compiled: CompiledQuery = compileQuery(index, query);
      const rows = index.query(`SELECT f.doc AS doc FROM ${compiled.from} WHERE ${compiled.where}`, compiled.params);
      for (const row of rows) {
        if (!index.isLive(Number(row.doc))) continue;
        index.remove(Number(row.doc));
        index.nextSeqNo();
        deleted++;
        await context.tick();
      }
    }
    return { ...byQueryResult(started, deleted), deleted };
  });
}

/** Re-indexes every document the query matches with the current mapping (no scripts). */
export function updateByQuery(engine: Engine, expression: string, body: { query?: unknown; script?: unknown }, options: ResolveOptions): Promise<ByQueryResult> {
  const started = Date.now();
  if (body.script !== undefined) throw new EsError(400, 'illegal_argument_exception', 'scripts are not supported by this store; _update_by_query without a script re-indexes the matching documents');
  const indices = engine.resolve(expression, { ...options, allowNoIndices: options.allowNoIndices ?? false });
  for (const index of indices) compileQuery(index, body.query);
  return engine.queue.batch(1, async (context) => {
    let updated = 0;
    for (const index of indices) {
      context.touch(index);
      const compiled = compileQuery(index, body.query);
      const rows = index.query(
        `SELECT d.doc AS doc, d.id AS id, d.version AS version, d.routing AS routing FROM fields f JOIN docs d ON d.doc = f.doc WHERE ${compiled.where}`,
        compiled.params,
      );
      for (const row of rows) {
        if (!index.isLive(Number(row.doc))) continue;
        const bytes = index.source(Number(row.doc));
        if (!bytes) continue;
        const source = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
        const parsed = parseDocument(index.mapping, source, {
          id: String(row.id),
          errorType: engine.documentErrorType,
          totalFieldsLimit: Number(index.meta.settings['index.mapping.total_fields.limit'] ?? 1000),
        });
        if (parsed.mappingUpdate) index.updateMapping({ properties: parsed.mappingUpdate });
        const copy = Buffer.from(bytes);
        index.remove(Number(row.doc));
        index.put(String(row.id), Number(row.version) + 1, index.nextSeqNo(), (row.routing as string | null) ?? null, copy, parsed);
        updated++;
        await context.tick();
      }
    }
    return { ...byQueryResult(started, updated), updated };
  });
}

export function requireIndex(engine: Engine, name: string): void {
  if (!engine.indices.has(name)) throw indexNotFound(name);
}
