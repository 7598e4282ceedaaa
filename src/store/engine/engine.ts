/**
 * The store engine: indices, their metadata and documents, on SQLite. Runs in one
 * thread (the engine worker, see worker.ts); every change goes through the group-commit
 * WriteQueue. This file holds index administration; documents are in documents.ts,
 * templates/pipelines/data streams in catalog-api.ts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../telemetry/logger.ts';
import { EsError, illegalArgument, indexNotFound, resourceAlreadyExists } from '../errors.ts';
import { Mapping } from '../mapping/mapping.ts';
import type { MappingDef } from '../mapping/types.ts';
import { Catalog } from './catalog.ts';
import { resolveDateMath } from './date-math.ts';
import type { AliasDef, IndexDb } from './index-db.ts';
import { type FtsExecutor, InlineFtsExecutor, ThreadFtsExecutor } from './fts-executor.ts';
import { Indices, validateIndexName } from './indices.ts';
import { isHidden, type ResolveOptions, resolveIndices } from './resolve.ts';
import { DEFAULT_SETTINGS, flattenSettings, nestSettings, type Settings, validateSettings, validateSettingsUpdate } from './settings.ts';
import { apply, resolveTemplates } from './templates.ts';
import { WriteQueue } from './write-queue.ts';

export interface EngineOptions {
  dir: string;
  logger: Logger;
  /** The Elasticsearch version the store reports (error type names follow it). */
  version: string;
  autoCreateIndex: boolean;
  /** Where the full-text index is written: its own thread (default) or the engine's. */
  fullTextThread?: boolean;
}

export interface CreateIndexBody {
  settings?: unknown;
  mappings?: unknown;
  aliases?: Record<string, AliasDef>;
}

export class Engine {
  readonly options: EngineOptions;
  readonly catalog: Catalog;
  readonly indices: Indices;
  readonly queue = new WriteQueue();
  readonly logger: Logger;
  readonly #fts: FtsExecutor;
  /** document_parsing_exception from Elasticsearch 8.8 on, mapper_parsing_exception before. */
  readonly documentErrorType: 'document_parsing_exception' | 'mapper_parsing_exception';

  constructor(options: EngineOptions) {
    this.options = options;
    this.logger = options.logger;
    mkdirSync(options.dir, { recursive: true });
    this.catalog = new Catalog(options.dir);
    this.#fts = options.fullTextThread === false ? new InlineFtsExecutor() : new ThreadFtsExecutor();
    try {
      this.indices = new Indices(path.join(options.dir, 'indices'), options.logger, this.#fts);
    } catch (error) {
      void this.#fts.shutdown();
      throw error;
    }
    const [major, minor] = options.version.split('.').map(Number) as [number, number];
    this.documentErrorType = major > 8 || (major === 8 && minor >= 8) ? 'document_parsing_exception' : 'mapper_parsing_exception';
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.indices.closeAll();
    await this.#fts.shutdown();
    this.catalog.close();
  }

  resolve(expression: string | undefined, options: ResolveOptions = {}): IndexDb[] {
    return resolveIndices(this.indices, this.catalog, expression, options);
  }

  /** One concrete index by name (not an alias or a pattern). */
  index(name: string): IndexDb {
    const index = this.indices.get(name);
    if (!index) throw indexNotFound(name);
    return index;
  }

  // ---- create / delete -------------------------------------------------------------

  createIndex(rawName: string, body: CreateIndexBody = {}): Promise<{ acknowledged: true; shards_acknowledged: true; index: string }> {
    return this.queue.exclusive(() => {
      const name = resolveDateMath(rawName);
      this.createIndexNow(name, body);
      return { acknowledged: true, shards_acknowledged: true, index: name };
    });
  }

  /** Creates an index with templates applied (call only from a queue task). */
  createIndexNow(name: string, body: CreateIndexBody, dataStream: string | null = null): IndexDb {
    validateIndexName(name);
    const existing = this.indices.get(name);
    if (existing) throw resourceAlreadyExists(name, existing.uuid);
    if (this.indices.aliases().has(name)) throw new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], already exists as alias`, { index: name, index_uuid: '_na_' });
    const resolved = resolveTemplates(this.catalog, name);
    if (resolved.dataStream && dataStream === null && this.catalog.get('data_stream', name) === undefined) {
      // Creating an index whose name a data stream template claims: Elasticsearch refuses.
      throw illegalArgument(`cannot create index with name [${name}], because it matches with template [${resolved.templateName}] that creates data streams only, use create data stream api instead`);
    }
    apply(resolved, { settings: body.settings, mappings: body.mappings as MappingDef | undefined, aliases: body.aliases });
    const settings: Settings = { ...DEFAULT_SETTINGS, ...resolved.settings };
    validateSettings(settings);
    if (dataStream) settings['index.hidden'] = 'true';
    const mapping = Mapping.parse(resolved.mappings);
    for (const alias of Object.keys(resolved.aliases)) {
      if (this.indices.has(alias)) throw new EsError(400, 'invalid_alias_name_exception', `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`);
    }
    return this.indices.create({ name, settings, mappings: mapping.toJSON(), aliases: dataStream ? {} : resolved.aliases, dataStream });
  }

  deleteIndex(expression: string, options: ResolveOptions): Promise<{ acknowledged: true }> {
    return this.queue.exclusive(() => {
      const targets = this.resolve(expression, { ...options, expandWildcards: options.expandWildcards ?? 'open,closed' });
      for (const part of expression.split(',')) {
        if (this.indices.aliases().has(part) && !this.indices.has(part)) {
          throw illegalArgument(`The provided expression [${part}] matches an alias, specify the corresponding concrete indices instead.`);
        }
      }
      for (const index of targets) {
        if (index.meta.dataStream) {
          const stream = this.catalog.get<{ indices: { index_name: string }[] }>('data_stream', index.meta.dataStream);
          if (stream && stream.indices[stream.indices.length - 1]?.index_name === index.name) {
            throw illegalArgument(`index [${index.name}] is the write index for data stream [${index.meta.dataStream}] and cannot be deleted`);
          }
        }
        this.indices.delete(index);
      }
      return { acknowledged: true };
    });
  }

  exists(expression: string, options: ResolveOptions): boolean {
    try {
      return this.resolve(expression, { ...options, allowNoIndices: false }).length > 0;
    } catch (error) {
      if (error instanceof EsError && error.status === 404) return false;
      throw error;
    }
  }

  // ---- get / mappings / settings ---------------------------------------------------

  getIndex(expression: string, options: ResolveOptions): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const index of this.resolve(expression, { allowNoIndices: expression.includes('*') || expression === '_all', ...options })) {
      out[index.name] = {
        aliases: index.meta.aliases,
        mappings: index.mapping.toJSON(),
        settings: { index: nestSettings(withoutPrefix(index.meta.settings)) },
        ...(index.meta.dataStream ? { data_stream: index.meta.dataStream } : {}),
      };
    }
    return out;
  }

  getMapping(expression: string | undefined, options: ResolveOptions): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const index of this.resolve(expression, options)) out[index.name] = { mappings: index.mapping.toJSON() };
    return out;
  }

  putMapping(expression: string, body: unknown, options: ResolveOptions): Promise<{ acknowledged: true }> {
    return this.queue.exclusive(async () => {
      const targets = this.resolve(expression, { ...options, allowNoIndices: false });
      // Validate against every index first: all or nothing.
      for (const index of targets) index.mapping.merge(body);
      const indexed: Promise<void>[] = [];
      for (const index of targets) {
        index.begin(false);
        try {
          index.updateMapping(body);
          indexed.push(index.commit());
        } catch (error) {
          index.rollback();
          throw error;
        }
      }
      // New text fields get their full-text tables in their own thread.
      await Promise.all(indexed);
      return { acknowledged: true };
    });
  }

  getSettings(expression: string | undefined, options: ResolveOptions & { includeDefaults?: boolean }): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const index of this.resolve(expression, options)) {
      out[index.name] = { settings: { index: nestSettings(withoutPrefix(index.meta.settings)) } };
    }
    return out;
  }

  putSettings(expression: string | undefined, body: unknown, options: ResolveOptions): Promise<{ acknowledged: true }> {
    return this.queue.exclusive(() => {
      const raw = body && typeof body === 'object' && 'settings' in body ? (body as { settings: unknown }).settings : body;
      const update = flattenSettings(raw);
      const targets = this.resolve(expression, options);
      for (const index of targets) validateSettingsUpdate(index.meta.settings, update);
      for (const index of targets) {
        const settings = { ...index.meta.settings };
        for (const [key, value] of Object.entries(update)) {
          if (value === 'null') delete settings[key];
          else settings[key] = value;
        }
        index.begin(false);
        index.updateMeta({ settings });
        index.commit();
      }
      return { acknowledged: true };
    });
  }

  /** Elasticsearch's refresh: here every acknowledged write is already searchable, so this waits for queued writes. */
  refresh(expression: string | undefined, options: ResolveOptions): Promise<{ _shards: { total: number; successful: number; failed: number } }> {
    const targets = this.resolve(expression, options);
    return this.queue.exclusive(() => ({ _shards: { total: targets.length, successful: targets.length, failed: 0 } }));
  }

  flush(expression: string | undefined, options: ResolveOptions): Promise<{ _shards: { total: number; successful: number; failed: number } }> {
    return this.queue.exclusive(async () => {
      const targets = this.resolve(expression, options);
      for (const index of targets) {
        index.packInlineSources(1);
        await index.checkpoint();
      }
      return { _shards: { total: targets.length, successful: targets.length, failed: 0 } };
    });
  }

  forceMerge(expression: string | undefined, options: ResolveOptions): Promise<{ _shards: { total: number; successful: number; failed: number } }> {
    return this.queue.exclusive(async () => {
      const targets = this.resolve(expression, options);
      for (const index of targets) {
        index.packInlineSources(1);
        await index.optimize();
      }
      return { _shards: { total: targets.length, successful: targets.length, failed: 0 } };
    });
  }

  openClose(expression: string, state: 'open' | 'close', options: ResolveOptions): Promise<Record<string, unknown>> {
    return this.queue.exclusive(() => {
      const targets = this.resolve(expression, { ...options, expandWildcards: options.expandWildcards ?? 'open,closed', allowNoIndices: false });
      for (const index of targets) {
        index.begin(false);
        index.updateMeta({ state });
        index.commit();
      }
      if (state === 'open') return { acknowledged: true, shards_acknowledged: true };
      return { acknowledged: true, shards_acknowledged: true, indices: Object.fromEntries(targets.map((t) => [t.name, { closed: true }])) };
    });
  }

  /** Packs sources of small batches into blocks; called when the store is idle. */
  maintenance(): Promise<number> {
    return this.queue.exclusive(() => {
      let packed = 0;
      for (const index of this.indices.all()) packed += index.packInlineSources();
      return packed;
    });
  }

  // ---- statistics ------------------------------------------------------------------

  indexStats(): IndexStat[] {
    return this.indices.all().map((index) => ({
      name: index.name,
      uuid: index.uuid,
      docs: index.docCount,
      sizeBytes: index.sizeBytes(),
      primaries: Number(index.meta.settings['index.number_of_shards'] ?? 1),
      replicas: Number(index.meta.settings['index.number_of_replicas'] ?? 0),
      state: index.meta.state,
      hidden: isHidden(index),
      creationDate: index.meta.creationDate,
      dataStream: index.meta.dataStream,
    }));
  }
}

export interface IndexStat {
  name: string;
  uuid: string;
  docs: number;
  sizeBytes: number;
  primaries: number;
  replicas: number;
  state: 'open' | 'close';
  hidden: boolean;
  creationDate: number;
  dataStream: string | null;
}

function withoutPrefix(settings: Settings): Settings {
  const out: Settings = {};
  for (const [key, value] of Object.entries(settings)) out[key.startsWith('index.') ? key.slice(6) : key] = value;
  return out;
}
