/**
 * The embedded Kafka-compatible broker: one node, leader of every partition, durable on
 * local disk. `Broker.start` opens the data, listens, and serves requests until `stop`,
 * which stops accepting connections, answers parked long polls, lets in-flight requests
 * finish (bounded), and closes every log cleanly.
 */
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { LoglaneError } from '../errors/loglane-error.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { BrokerConfig } from './config.ts';
import { Connection } from './connection.ts';
import { FetchWaiters } from './fetch-waiters.ts';
import { GroupCoordinator } from './groups/group-coordinator.ts';
import type { BrokerContext } from './handlers/handler.ts';
import { HANDLERS } from './handlers/index.ts';
import { MetadataStore } from './metadata-store.ts';
import { brokerMetrics, trackBroker } from './metrics.ts';
import { ProducerIdAllocator } from './producer-ids.ts';
import { createRouter } from './router.ts';
import { effectiveBrokerConfig } from './topic-configs.ts';
import { TopicManager } from './topic-manager.ts';

export interface BrokerOptions {
  config: BrokerConfig;
  /** The broker's folder inside the data directory. */
  dir: string;
  logger: Logger;
}

const MAX_IN_FLIGHT_PER_CONNECTION = 64;
const DRAIN_TIMEOUT_MS = 5_000;

export class Broker {
  readonly topics: TopicManager;
  readonly groups: GroupCoordinator;
  readonly context: BrokerContext;
  readonly #options: BrokerOptions;
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  readonly #fetchWaiters = new FetchWaiters();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #advertised = { host: '', port: 0 };
  #config: BrokerConfig;
  #port = 0;
  #stopping = false;
  #untrack: () => void = () => {};
  #stopped: Promise<void> | undefined;

  static async start(options: BrokerOptions): Promise<Broker> {
    const metadata = MetadataStore.open(options.dir);
    const config = effectiveBrokerConfig(options.config, metadata.brokerConfigs());
    const topics = await TopicManager.open(path.join(options.dir, 'logs'), metadata, config, options.logger);
    const groups = await GroupCoordinator.open({
      dataDir: path.join(options.dir, 'groups'),
      config: {
        initialRebalanceDelayMs: config.group_initial_rebalance_delay_ms,
        minSessionTimeoutMs: config.group_min_session_timeout_ms,
        maxSessionTimeoutMs: config.group_max_session_timeout_ms,
        offsetsRetentionMs: config.offsets_retention_ms,
      },
      logger: options.logger.child({ subsystem: 'groups' }),
    });
    const broker = new Broker(options, metadata, topics, groups, config);
    try {
      await broker.#listen();
    } catch (error) {
      await groups.close();
      await topics.close();
      throw error;
    }
    broker.#startTimers();
    broker.#untrack = trackBroker({ topics, groups });
    options.logger.info({ host: broker.host, port: broker.port, advertised: broker.#advertised, topics: topics.topics().length }, 'Kafka broker listening');
    return broker;
  }

  private constructor(options: BrokerOptions, metadata: MetadataStore, topics: TopicManager, groups: GroupCoordinator, config: BrokerConfig) {
    this.#options = options;
    this.groups = groups;
    this.#config = config;
    this.topics = topics;
    topics.onAppend((topic, partition) => this.#fetchWaiters.notify(topic, partition));
    this.context = {
      nodeId: config.node_id,
      clusterId: metadata.clusterId,
      advertised: this.#advertised,
      topics,
      fetchWaiters: this.#fetchWaiters,
      groups,
      producerIds: new ProducerIdAllocator(metadata),
      logger: options.logger,
      config: () => this.#config,
      brokerConfigOverrides: () => metadata.brokerConfigs(),
      alterBrokerConfigs: (overrides) => {
        metadata.setBrokerConfigs(overrides);
        this.#config = effectiveBrokerConfig(options.config, overrides);
        topics.updateBrokerConfig(this.#config);
      },
      isStopping: () => this.#stopping,
    };
    const router = createRouter(HANDLERS, this.context, options.logger);
    // Accepted paused, so that a connection can read into buffers of its own (socket-reads.ts).
    this.#server = createServer({ pauseOnConnect: true }, (socket: Socket) => {
      if (this.#stopping) {
        socket.destroy();
        return;
      }
      const connection = new Connection(socket, router, {
        maxFrameBytes: this.#config.socket_request_max_bytes,
        maxInFlight: MAX_IN_FLIGHT_PER_CONNECTION,
        logger: options.logger,
      });
      this.#connections.add(connection);
      brokerMetrics.connections.inc();
      void connection.closed.then(() => {
        this.#connections.delete(connection);
        brokerMetrics.connections.dec();
      });
    });
  }

  get host(): string {
    return this.#options.config.host;
  }

  get port(): number {
    return this.#port;
  }

  get advertised(): { readonly host: string; readonly port: number } {
    return this.#advertised;
  }

  /** Close listeners registered on open connections (long polls waiting); for leak checks. */
  closeListenerCount(): number {
    let n = 0;
    for (const connection of this.#connections) n += connection.closeListenerCount;
    return n;
  }

  /** Stops accepting, drains in-flight requests (bounded), and closes every log. */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #listen(): Promise<void> {
    const { host, port, advertised_host, advertised_port } = this.#options.config;
    await new Promise<void>((resolve, reject) => {
      const onError = (cause: NodeJS.ErrnoException) =>
        reject(
          new LoglaneError(
            'LOGLANE_ERR_SERVER_LISTEN',
            `Kafka broker cannot listen on ${host}:${port}: ${cause.code ?? cause.message}; set broker.port to a free port (0 picks one) or stop the process using it`,
            { retriable: false, cause, context: { host, port } },
          ),
        );
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    this.#port = (this.#server.address() as { port: number }).port;
    const wildcard = host === '0.0.0.0' || host === '::';
    this.#advertised.host = advertised_host ?? (wildcard ? '127.0.0.1' : host);
    this.#advertised.port = advertised_port ?? this.#port;
  }

  #startTimers(): void {
    const every = (ms: number, task: () => unknown) => {
      const timer = setInterval(() => {
        Promise.resolve()
          .then(task)
          .catch((error: unknown) => this.#options.logger.error({ err: error }, 'broker background task failed'));
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#config.retention_check_interval_ms, async () => {
      const deleted = await this.topics.applyRetention();
      if (deleted > 0) this.#options.logger.info({ segments: deleted }, 'retention deleted old segments');
    });
    if (this.#config.acks_one_durability === 'interval') {
      every(this.#config.flush_interval_ms, () =>
        Promise.all(this.topics.topics().flatMap((t) => t.partitions.filter((log) => log.flushedOffset < log.logEndOffset).map((log) => log.flush()))),
      );
    }
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    const serverClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#fetchWaiters.wakeAll();
    const connections = [...this.#connections];
    for (const connection of connections) connection.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(connections.map((c) => c.closed)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    for (const connection of connections) connection.destroy();
    await serverClosed;
    this.#untrack();
    await this.groups.close();
    await this.topics.close();
    this.#options.logger.info('Kafka broker stopped');
  }
}
