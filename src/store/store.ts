/**
 * The embedded Elasticsearch-compatible store: an engine thread that owns the SQLite
 * databases (see engine/worker.ts) and an HTTP server that speaks Elasticsearch's REST
 * API. `Store.start` opens the data and listens; `stop` stops accepting requests, lets
 * in-flight ones finish (their writes commit), and closes the databases.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { LoglaneError } from '../errors/loglane-error.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { StoreConfig } from './config.ts';
import { type EngineClient, LocalEngineClient } from './engine/api.ts';
import { WorkerEngineClient } from './engine/client.ts';
import { Engine } from './engine/engine.ts';
import { buildServer } from './http/server.ts';
import { trackStore } from './metrics.ts';
import { StoreState } from './state.ts';

export interface StoreOptions {
  config: StoreConfig;
  /** The store's folder inside the data directory. */
  dir: string;
  logger: Logger;
  /** Run the engine in this thread instead of a worker (tests that want one thread). */
  inThread?: boolean;
  /** How often small writes are packed into compressed blocks when idle. */
  maintenanceIntervalMs?: number;
}

export class Store {
  readonly engine: EngineClient;
  readonly state: StoreState;
  readonly #app: FastifyInstance;
  readonly #logger: Logger;
  readonly #untrack: () => void;
  #port = 0;
  #stopped: Promise<void> | undefined;

  private constructor(engine: EngineClient, state: StoreState, app: FastifyInstance, logger: Logger) {
    this.engine = engine;
    this.state = state;
    this.#app = app;
    this.#logger = logger;
    this.#untrack = trackStore(engine);
  }

  static async start(options: StoreOptions): Promise<Store> {
    const { config, logger } = options;
    const engineOptions = { dir: options.dir, version: config.version, autoCreateIndex: config.auto_create_index };
    let engine: EngineClient;
    try {
      engine = options.inThread
        ? new LocalEngineClient(new Engine({ ...engineOptions, logger }))
        : await WorkerEngineClient.start({
            options: engineOptions,
            logLevel: (logger.level as 'info') ?? 'info',
            maintenanceIntervalMs: options.maintenanceIntervalMs ?? 5_000,
          });
    } catch (cause) {
      if (cause instanceof LoglaneError) throw cause;
      throw new LoglaneError('LOGLANE_ERR_STORE_STORAGE', `the store could not open ${options.dir}: ${(cause as Error).message}`, { retriable: false, cause, context: { dir: options.dir } });
    }
    const state = new StoreState(config, await engine.call('clusterUuid'));
    const app = buildServer({ engine, state, logger });
    const store = new Store(engine, state, app, logger);
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (cause) {
      await engine.close();
      store.#untrack();
      throw new LoglaneError(
        'LOGLANE_ERR_SERVER_LISTEN',
        `store cannot listen on ${config.host}:${config.port}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}; choose another store.port (0 picks a free one) or stop the process using it`,
        { retriable: false, cause, context: { host: config.host, port: config.port } },
      );
    }
    store.#port = (app.server.address() as AddressInfo).port;
    logger.info({ host: config.host, port: store.#port, version: config.version }, 'Elasticsearch-compatible store listening');
    return store;
  }

  get host(): string {
    return this.state.config.host;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.#port}`;
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#app.close();
      await this.engine.close();
      this.#untrack();
      this.#logger.info('store stopped');
    })();
    return this.#stopped;
  }
}
