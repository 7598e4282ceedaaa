/**
 * Every operation the HTTP layer may ask of the engine, by name. The engine runs in its
 * own worker thread (worker.ts); the HTTP layer calls these through an EngineClient
 * (client.ts), so arguments and results are plain data (structured-clonable).
 */
import { deleteAlias, getAliases, putAlias, updateAliases } from './aliases.ts';
import { deleteStored, deleteTemplates, getStored, getTemplates, putStored, putTemplate } from './catalog-api.ts';
import { createDataStream, deleteDataStreams, getDataStreams, rolloverDataStream } from './data-streams.ts';
import { write } from './documents.ts';
import type { CreateIndexBody, Engine } from './engine.ts';
import { clearScrollOp, closePitOp, openPitOp, scrollOp, searchOp } from '../search/contexts.ts';
import { fieldCapsOp, fieldMappingOp } from '../search/field-info.ts';
import { count, deleteByQuery, getDocument, mget, updateByQuery } from './reads.ts';
import type { ResolveOptions } from './resolve.ts';

export const ENGINE_API = {
  clusterUuid: (engine: Engine) => engine.catalog.clusterUuid,
  // indices
  createIndex: (engine: Engine, name: string, body: CreateIndexBody) => engine.createIndex(name, body),
  deleteIndex: (engine: Engine, expression: string, options: ResolveOptions) => engine.deleteIndex(expression, options),
  exists: (engine: Engine, expression: string, options: ResolveOptions) => engine.exists(expression, options),
  getIndex: (engine: Engine, expression: string, options: ResolveOptions) => engine.getIndex(expression, options),
  resolveNames: (engine: Engine, expression: string | undefined, options: ResolveOptions) => engine.resolve(expression, options).map((i) => i.name),
  getMapping: (engine: Engine, expression: string | undefined, options: ResolveOptions) => engine.getMapping(expression, options),
  putMapping: (engine: Engine, expression: string, body: unknown, options: ResolveOptions) => engine.putMapping(expression, body, options),
  getSettings: (engine: Engine, expression: string | undefined, options: ResolveOptions) => engine.getSettings(expression, options),
  putSettings: (engine: Engine, expression: string | undefined, body: unknown, options: ResolveOptions) => engine.putSettings(expression, body, options),
  refresh: (engine: Engine, expression: string | undefined, options: ResolveOptions) => engine.refresh(expression, options),
  flush: (engine: Engine, expression: string | undefined, options: ResolveOptions) => engine.flush(expression, options),
  forceMerge: (engine: Engine, expression: string | undefined, options: ResolveOptions) => engine.forceMerge(expression, options),
  openClose: (engine: Engine, expression: string, state: 'open' | 'close', options: ResolveOptions) => engine.openClose(expression, state, options),
  indexStats: (engine: Engine) => engine.indexStats(),
  maintenance: (engine: Engine) => engine.maintenance(),
  queueStats: (engine: Engine) => ({ ...engine.queue.stats, pending: engine.queue.pending }),
  // aliases
  updateAliases: (engine: Engine, body: unknown) => updateAliases(engine, body),
  putAlias: (engine: Engine, index: string, alias: string, body: unknown) => putAlias(engine, index, alias, body),
  deleteAlias: (engine: Engine, index: string, alias: string) => deleteAlias(engine, index, alias),
  getAliases: (engine: Engine, index: string | undefined, alias: string | undefined) => getAliases(engine, index, alias),
  // templates, pipelines, ILM, data streams
  putTemplate,
  getTemplates,
  deleteTemplates,
  putStored,
  getStored,
  deleteStored,
  createDataStream,
  getDataStreams,
  deleteDataStreams,
  rolloverDataStream,
  // documents
  write,
  getDocument,
  mget,
  count,
  deleteByQuery,
  updateByQuery,
  // search
  search: searchOp,
  scroll: scrollOp,
  clearScroll: clearScrollOp,
  openPit: openPitOp,
  closePit: closePitOp,
  fieldCaps: fieldCapsOp,
  fieldMapping: fieldMappingOp,
} as const;

export type EngineApi = typeof ENGINE_API;
export type EngineMethod = keyof EngineApi;
type Rest<F> = F extends (engine: Engine, ...args: infer A) => unknown ? A : never;
export type EngineArgs<M extends EngineMethod> = Rest<EngineApi[M]>;
export type EngineResult<M extends EngineMethod> = Awaited<ReturnType<EngineApi[M]>>;

/** How the HTTP layer talks to the engine, in this thread (tests) or in the worker. */
export interface EngineClient {
  call<M extends EngineMethod>(method: M, ...args: EngineArgs<M>): Promise<EngineResult<M>>;
  close(): Promise<void>;
}

/** Runs the engine in this thread. */
export class LocalEngineClient implements EngineClient {
  readonly engine: Engine;
  constructor(engine: Engine) {
    this.engine = engine;
  }

  async call<M extends EngineMethod>(method: M, ...args: EngineArgs<M>): Promise<EngineResult<M>> {
    const fn = ENGINE_API[method] as (engine: Engine, ...rest: unknown[]) => unknown;
    return (await fn(this.engine, ...args)) as EngineResult<M>;
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
