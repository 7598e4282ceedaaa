/**
 * The indexer as a component of `loglane up`: runs every configured pipeline (or the
 * default one) against `indexer.kafka.bootstrap_servers` and `indexer.elasticsearch.hosts`,
 * which default to the embedded broker and store of the same configuration. Pipelines
 * start in the background and keep retrying while the cluster is unreachable, so `up`
 * is never blocked by a Kafka or Elasticsearch that is not there yet; `ready()` turns
 * true once every pipeline consumes.
 */
import type { Config } from '../config/load.ts';
import type { Component, Endpoint } from '../runtime/component.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { PipelineConfig } from './config.ts';
import type { ElasticsearchClusterConfig } from './outputs/elasticsearch/config.ts';
import { type RunningPipeline, startPipeline } from './pipeline/pipeline.ts';

function connectHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
}

/**
 * Where the indexer connects: the configured clusters, else the embedded ones — at the
 * ports they really got when they were started in this process (`started`), else at
 * their configured ports (undefined when that is 0: chosen at start by another process).
 */
export function indexerEndpoints(
  config: Config,
  started: readonly Endpoint[] = [],
): { bootstrap: readonly string[] | undefined; hosts: readonly string[] | undefined } {
  const { indexer, broker, store } = config;
  const kafka = started.find((e) => e.name === 'kafka');
  const es = started.find((e) => e.name === 'elasticsearch');
  const brokerPort = broker.advertised_port ?? kafka?.port ?? broker.port;
  const storePort = es?.port ?? store.port;
  const bootstrap = indexer.kafka.bootstrap_servers ?? (brokerPort === 0 ? undefined : [`${connectHost(broker.advertised_host ?? broker.host)}:${brokerPort}`]);
  const hosts = indexer.elasticsearch.hosts ?? (storePort === 0 ? undefined : [`http://${connectHost(store.host)}:${storePort}`]);
  return { bootstrap, hosts };
}

export const indexerComponent: Component = {
  name: 'indexer',
  aliases: ['index'],
  enabled: (config) => config.indexer.enabled,
  async start({ config, logger, endpoints: started }) {
    const endpoints = indexerEndpoints(config, started);
    const bootstrap = endpoints.bootstrap === undefined ? undefined : [...endpoints.bootstrap];
    const hosts = endpoints.hosts === undefined ? undefined : [...endpoints.hosts];
    const running: RunningPipeline[] = [];
    let stopped = false;
    const abort = new AbortController();
    let starting: Promise<() => Promise<void>> = Promise.resolve(async () => {});
    if (bootstrap === undefined || hosts === undefined) {
      logger.warn(
        { broker_port: config.broker.port, store_port: config.store.port },
        'indexer not started: the embedded broker or store listens on a port chosen at start (0); set indexer.kafka.bootstrap_servers and indexer.elasticsearch.hosts',
      );
    } else {
      starting = startAll(config, bootstrap, hosts, logger, running, () => stopped, abort.signal);
    }
    const expected = bootstrap === undefined || hosts === undefined ? 0 : config.indexer.pipelines.length;
    return {
      name: 'indexer',
      endpoints: [],
      ready: () => running.length === expected,
      async stop() {
        stopped = true;
        abort.abort();
        const restarting = await starting;
        await restarting();
        await Promise.all(running.map((p) => p.stop()));
        running.length = 0;
      },
    };
  },
};

async function startAll(config: Config, bootstrap: string[], hosts: string[], logger: Logger, running: RunningPipeline[], isStopped: () => boolean, signal: AbortSignal): Promise<() => Promise<void>> {
  const cluster = { ...(structuredClone(config.indexer.elasticsearch) as ElasticsearchClusterConfig), hosts };
  // The frozen config, as the mutable types the pipeline code is written against.
  const pipelines = structuredClone(config.indexer.pipelines) as PipelineConfig[];
  const restarts = new Set<Promise<void>>();
  const startOne = async (pipeline: PipelineConfig): Promise<void> => {
    for (let attempt = 1; !isStopped(); attempt++) {
      try {
        const started = await startPipeline({ config: pipeline, bootstrap, clientId: config.indexer.kafka.client_id, cluster, logger, signal });
        if (isStopped()) {
          await started.stop();
          return;
        }
        running.push(started);
        // Never stopping: a pipeline whose consumer ends on its own is started again.
        void started.ended.then(() => {
          if (isStopped()) return;
          logger.error({ code: 'LOGLANE_ERR_INDEXER_START', pipeline: pipeline.name }, 'pipeline ended unexpectedly; restarting it');
          const restart = (async () => {
            running.splice(running.indexOf(started), 1);
            await started.stop();
            await startOne(pipeline);
          })();
          restarts.add(restart);
          void restart.finally(() => restarts.delete(restart));
        });
        return;
      } catch (error) {
        logger.warn({ code: 'LOGLANE_ERR_INDEXER_START', err: error, pipeline: pipeline.name, attempt }, 'pipeline could not start; retrying');
        const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
        for (let waited = 0; waited < delay && !isStopped(); waited += 100) await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  await Promise.all(pipelines.map(startOne));
  return async () => {
    while (restarts.size > 0) await Promise.all([...restarts]);
  };
}
