/**
 * Document writes: the items of `_bulk` and the single-document APIs (which are one-item
 * bulks). Per item: resolve the write index (alias, data stream, auto-create), check
 * versions, parse the document against the mapping (dynamic fields added), write. A
 * failing item gets its own error and never fails the others.
 */
import { EsError, documentParsing, illegalArgument, indexNotFound, toEsError } from '../errors.ts';
import { parseDocument } from '../mapping/document.ts';
import { autoId } from './ids.ts';
import type { DocRow, IndexDb } from './index-db.ts';
import type { Engine } from './engine.ts';
import { createDataStreamNow } from './data-streams.ts';
import { findIndexTemplate } from './templates.ts';
import type { DataStreamRecord } from './resolve.ts';
import type { BatchContext } from './write-queue.ts';
import { resolveDateMath } from './date-math.ts';

export type WriteOp = 'index' | 'create' | 'update' | 'delete';

export interface WriteItem {
  op: WriteOp;
  index?: string;
  id?: string;
  routing?: string;
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
  version?: number;
  versionType?: 'internal' | 'external' | 'external_gte' | 'force';
  requireAlias?: boolean;
  pipeline?: string;
  /** Byte range of the document (index/create) or the update body (update) in the request body. */
  start?: number;
  end?: number;
}

export interface WriteRequest {
  body: Uint8Array;
  items: WriteItem[];
  /** `refresh=true` answers `forced_refresh: true` per item. */
  forcedRefresh?: boolean;
}

export type ItemResult = Record<string, Record<string, unknown>>;

/**
 * One item's answer in compact form (arrays clone across the worker boundary much faster
 * than objects): `[status, index, id, version, result, seqNo, shardsTotal]` on success,
 * `[status, index, id, error]` on failure. `expandOutcome` builds Elasticsearch's item.
 */
export type Outcome = [number, string, string | null, number, string, number, number] | [number, string, string | null, Record<string, unknown>];

export function expandOutcome(op: WriteOp, outcome: Outcome, forcedRefresh = false): ItemResult {
  if (outcome.length === 4) return { [op]: { _index: outcome[1], _id: outcome[2], status: outcome[0], error: outcome[3] } };
  const [status, index, id, version, result, seqNo, total] = outcome;
  const noop = result === 'noop';
  const item: Record<string, unknown> = {
    _index: index,
    _id: id,
    _version: version,
    result,
    _shards: noop ? { total: 0, successful: 0, failed: 0 } : { total, successful: 1, failed: 0 },
    _seq_no: seqNo,
    _primary_term: 1,
  };
  if (forcedRefresh && !noop && status < 300) item.forced_refresh = true;
  item.status = status;
  return { [op]: item };
}

export interface WriteResponse {
  outcomes: Outcome[];
  errors: boolean;
  /** Per target index: documents written and items rejected, for metrics. */
  counts: Record<string, { indexed: number; failed: number }>;
}

/** Runs a bulk request through the group commit queue. */
export function write(engine: Engine, request: WriteRequest): Promise<WriteResponse> {
  return engine.queue.batch(request.items.length, (context) => applyRequest(engine, request, context));
}

async function applyRequest(engine: Engine, request: WriteRequest, context: BatchContext): Promise<WriteResponse> {
  const outcomes: Outcome[] = [];
  const counts: WriteResponse['counts'] = {};
  let errors = false;
  // Decoding slices of one Buffer view is much faster than a TextDecoder per document.
  const view = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  const decoder = { decode: (bytes: Uint8Array) => (bytes.buffer === view.buffer ? view.toString('utf8', bytes.byteOffset - view.byteOffset, bytes.byteOffset - view.byteOffset + bytes.byteLength) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) };
  // Where each (op, target) goes, resolved once per request: resolving walks every index's
  // aliases, and nothing but additions (auto-created indices) changes that during a request.
  const resolved = new Map<string, IndexDb>();
  for (const item of request.items) {
    await context.tick();
    let outcome: Outcome;
    let target = item.index ?? '';
    try {
      const key = `${item.op}\u0000${item.id === undefined}\u0000${item.requireAlias === true}\u0000${target}`;
      let index = resolved.get(key);
      if (!index) {
        index = writeIndex(engine, item);
        resolved.set(key, index);
      }
      target = index.name;
      context.touch(index);
      outcome = applyItem(engine, index, item, request, decoder);
    } catch (error) {
      const esError = toEsError(error);
      if (esError.status >= 500) throw error;
      outcome = [esError.status, target, item.id ?? null, esError.toItemError()];
    }
    const failed = outcome.length === 4;
    if (failed) errors = true;
    const count = (counts[target] ??= { indexed: 0, failed: 0 });
    if (failed) count.failed++;
    else if (item.op !== 'delete') count.indexed++;
    outcomes.push(outcome);
  }
  return { outcomes, errors, counts };
}

/** The concrete index an item writes to (creating it, or its data stream, if allowed). */
function writeIndex(engine: Engine, item: WriteItem): IndexDb {
  const name = resolveDateMath(item.index ?? '');
  if (!name) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;');
  const aliases = engine.indices.aliases();
  const aliased = aliases.get(name);
  if (item.requireAlias && !aliased) {
    throw new EsError(404, 'index_not_found_exception', `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`, {
      'resource.type': 'index_expression',
      'resource.id': name,
      index_uuid: '_na_',
      index: name,
    });
  }
  const direct = engine.indices.get(name);
  if (direct) return direct;
  if (aliased) {
    const writable = aliased.filter((i) => i.meta.aliases[name]?.is_write_index === true);
    if (writable.length === 1) return writable[0]!;
    if (aliased.length === 1 && aliased[0]!.meta.aliases[name]?.is_write_index !== false) return aliased[0]!;
    throw illegalArgument(
      `no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`,
    );
  }
  // An index request with an auto-generated id is a create, as in Elasticsearch (so `POST <stream>/_doc` works).
  const creates = item.op === 'create' || (item.op === 'index' && item.id === undefined);
  let stream = engine.catalog.get<DataStreamRecord>('data_stream', name);
  if (!stream && creates && engine.options.autoCreateIndex && findIndexTemplate(engine.catalog, name)?.[1].data_stream !== undefined) {
    stream = createDataStreamNow(engine, name);
  }
  if (stream) {
    if (!creates) throw illegalArgument('only write ops with an op_type of create are allowed in data streams');
    return engine.index(stream.indices[stream.indices.length - 1]!.index_name);
  }
  if (item.op === 'delete') throw indexNotFound(name);
  if (!engine.options.autoCreateIndex) {
    throw new EsError(404, 'index_not_found_exception', `no such index [${name}] and [action.auto_create_index] is [false]`, {
      'resource.type': 'index_expression',
      'resource.id': name,
      index_uuid: '_na_',
      index: name,
    });
  }
  return engine.createIndexNow(name, {});
}

function applyItem(engine: Engine, index: IndexDb, item: WriteItem, request: WriteRequest, decoder: { decode(bytes: Uint8Array): string }): Outcome {
  if (index.meta.state === 'close') throw new EsError(400, 'index_closed_exception', 'closed', { index_uuid: index.uuid, index: index.name });
  const blocked = index.meta.settings['index.blocks.write'] === 'true' || index.meta.settings['index.blocks.read_only'] === 'true';
  if (blocked) {
    throw new EsError(403, 'cluster_block_exception', `index [${index.name}] blocked by: [FORBIDDEN/8/index write (api)];`);
  }
  const shards = 1 + Number(index.meta.settings['index.number_of_replicas'] ?? 0);
  const bytes = item.start !== undefined ? request.body.subarray(item.start, item.end) : undefined;

  if (item.op === 'delete') {
    const id = item.id!;
    const existing = index.lookup(id);
    checkVersion(index, id, existing, item);
    const seqNo = index.nextSeqNo();
    if (!existing) return [404, index.name, id, 1, 'not_found', seqNo, shards];
    index.remove(existing.doc);
    return [200, index.name, id, existing.version + 1, 'deleted', seqNo, shards];
  }

  if (item.op === 'update') {
    const id = item.id!;
    const body = parseJsonObject(bytes, decoder, 'update request');
    const existing = index.lookup(id);
    checkVersion(index, id, existing, item);
    if (body.script !== undefined) throw illegalArgument('scripted updates are not supported by this store; send a partial document in [doc]');
    if (!existing) {
      const upsert = body.doc_as_upsert === true ? body.doc : body.upsert;
      if (upsert === undefined) {
        throw new EsError(404, 'document_missing_exception', `[${id}]: document missing`, { index_uuid: index.uuid, shard: '0', index: index.name });
      }
      const source = Buffer.from(JSON.stringify(upsert));
      return store(engine, index, id, 1, null, source, upsert as Record<string, unknown>, item, 'created', 201, shards);
    }
    if (body.doc === undefined || typeof body.doc !== 'object' || body.doc === null) {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: script or doc is missing;');
    }
    const current = JSON.parse(decoder.decode(index.source(existing.doc) ?? Buffer.from('{}'))) as Record<string, unknown>;
    const merged = structuredClone(current);
    const changed = deepMerge(merged, body.doc as Record<string, unknown>);
    if (!changed && body.detect_noop !== false) {
      return [200, index.name, id, existing.version, 'noop', existing.seqNo, 0];
    }
    return store(engine, index, id, existing.version + 1, existing, Buffer.from(JSON.stringify(merged)), merged, item, 'updated', 200, shards);
  }

  // index / create
  const source = parseJsonObject(bytes, decoder, 'document');
  // Auto-generated ids are unique by construction (time, sequence, random node): no lookup,
  // as Elasticsearch's append-only optimization.
  const id = item.id ?? autoId();
  if (Buffer.byteLength(id) > 512) throw new EsError(400, 'action_request_validation_exception', `Validation Failed: 1: id [${id}] is too long, must be no longer than 512 bytes but was: ${Buffer.byteLength(id)};`);
  const existing = item.id === undefined ? null : index.lookup(id);
  if (item.op === 'create' && existing) {
    throw new EsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, document already exists (current version [${existing.version}])`, {
      index_uuid: index.uuid,
      shard: '0',
      index: index.name,
    });
  }
  checkVersion(index, id, existing, item);
  const external = item.versionType === 'external' || item.versionType === 'external_gte';
  const version = external ? item.version! : existing ? existing.version + 1 : 1;
  return store(engine, index, id, version, existing, bytes!, source, item, existing ? 'updated' : 'created', existing ? 200 : 201, shards);
}

function store(
  engine: Engine,
  index: IndexDb,
  id: string,
  version: number,
  existing: DocRow | null,
  bytes: Uint8Array,
  source: Record<string, unknown>,
  item: WriteItem,
  result: string,
  status: number,
  shards: number,
): Outcome {
  const parsed = parseDocument(index.mapping, source, {
    id,
    errorType: engine.documentErrorType,
    totalFieldsLimit: Number(index.meta.settings['index.mapping.total_fields.limit'] ?? 1000),
  });
  if (index.meta.dataStream && !parsed.values.has('@timestamp')) {
    throw documentParsing(`data stream timestamp field [@timestamp] is missing`);
  }
  if (parsed.mappingUpdate) index.updateMapping({ properties: parsed.mappingUpdate });
  if (existing) index.remove(existing.doc);
  const seqNo = index.nextSeqNo();
  index.put(id, version, seqNo, item.routing ?? existing?.routing ?? null, bytes, parsed);
  return [status, index.name, id, version, result, seqNo, shards];
}

function checkVersion(index: IndexDb, id: string, existing: DocRow | null, item: WriteItem): void {
  const conflict = (reason: string) =>
    new EsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${reason}`, { index_uuid: index.uuid, shard: '0', index: index.name });
  if (item.ifSeqNo !== undefined || item.ifPrimaryTerm !== undefined) {
    if (!existing) throw conflict(`required seqNo [${item.ifSeqNo}], primary term [${item.ifPrimaryTerm ?? 1}] but no document was found`);
    if (existing.seqNo !== item.ifSeqNo || (item.ifPrimaryTerm ?? 1) !== 1) {
      throw conflict(`required seqNo [${item.ifSeqNo}], primary term [${item.ifPrimaryTerm ?? 1}]. current document has seqNo [${existing.seqNo}] and primary term [1]`);
    }
  }
  if (item.versionType === 'external' || item.versionType === 'external_gte') {
    if (item.version === undefined) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: an external version must be given;');
    if (existing) {
      const ok = item.versionType === 'external' ? item.version > existing.version : item.version >= existing.version;
      if (!ok) throw conflict(`current version [${existing.version}] is higher or equal to the one provided [${item.version}]`);
    }
  } else if (item.version !== undefined && item.op !== 'create') {
    throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead;');
  }
}

function parseJsonObject(bytes: Uint8Array | undefined, decoder: { decode(bytes: Uint8Array): string }, what: string): Record<string, unknown> {
  if (!bytes || bytes.length === 0) throw new EsError(400, 'action_request_validation_exception', `Validation Failed: 1: ${what === 'document' ? 'source' : 'script or doc'} is missing;`);
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw documentParsing('failed to parse', { type: 'json_parse_exception', reason: (error as Error).message });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw documentParsing('failed to parse', { type: 'not_x_content_exception', reason: 'Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes' });
  }
  return value as Record<string, unknown>;
}

/** Merges a partial document into a source the way `_update` with `doc` does; returns whether anything changed. */
export function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) {
      if (deepMerge(current, value)) changed = true;
    } else if (!jsonEqual(current, value)) {
      target[key] = structuredClone(value);
      changed = true;
    }
  }
  return changed;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
