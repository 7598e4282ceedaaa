/**
 * One running pipeline: a consumer-group member that takes batches of messages, decodes
 * them (codec), runs the filters and writes the events to every output, then commits.
 *
 * Delivery: a batch is committed (offset after its last message, per partition) only
 * once every output acknowledged each of its events or the message was written to the
 * dead-letter topic; batches run one after the other, so commits follow partition order.
 * While an output retries (cluster down, 429s), the batch is not finished, the message
 * buffer fills and the consumer stream is paused: nothing more is fetched, memory stays
 * bounded by `2 × max_poll_records` messages. `stop` stops fetching, lets the current
 * batch finish (or aborts it if the outputs cannot answer within the shutdown budget: then
 * it is not committed and will be consumed again), commits, and leaves the group.
 */
import { Admin, Consumer, type Message, Producer, stringDeserializer, stringSerializer } from '@platformatic/kafka';
import type { Logger } from '../../telemetry/logger.ts';
import type { PipelineConfig } from '../config.ts';
import type { ElasticsearchClusterConfig } from '../outputs/elasticsearch/config.ts';
import { createElasticsearchOutput } from '../outputs/elasticsearch/output.ts';
import { createKafkaOutput } from '../outputs/kafka/output.ts';
import { type Output, type OutputResult, OutputStoppedError } from '../outputs/output.ts';
import { type DeadLetter, writeDeadLetters } from './dead-letters.ts';
import { indexerMetrics } from './metrics.ts';
import { createBatchPreparer, type PreparedBatchData, toWire } from './prepare.ts';
import { startPrepareWorkers } from './prepare-worker.ts';

type KafkaMessage = Message<Buffer, Buffer, string, Buffer>;


export interface PipelineOptions {
  config: PipelineConfig;
  bootstrap: string[];
  clientId: string;
  cluster: ElasticsearchClusterConfig & { hosts: string[] };
  logger: Logger;
  /** Gives up starting (the first consume is retried while topics are missing). */
  signal?: AbortSignal;
}

export interface RunningPipeline {
  readonly name: string;
  /** Resolves when the first batch of assignments is known (the member joined its group). */
  readonly joined: Promise<void>;
  /** Resolves if the pipeline ends without `stop` (the consumer stream closed, an unexpected error). */
  readonly ended: Promise<void>;
  stop(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions): Promise<RunningPipeline> {
  const { config, logger: parentLogger } = options;
  const logger = parentLogger.child({ pipeline: config.name });
  const name = config.name;
  // Built here even with workers: a bad codec or filter configuration fails the start.
  const localPreparer = createBatchPreparer(config);
  const workers = config.workers > 0 ? startPrepareWorkers(config, config.workers) : undefined;
  const topics = config.topics ?? (await matchTopics(options.bootstrap, new RegExp(config.topics_pattern!)));
  const producer = new Producer<Buffer, Buffer, string, Buffer>({
    clientId: `${options.clientId}-${name}`,
    bootstrapBrokers: options.bootstrap,
    serializers: { headerKey: stringSerializer as (s?: string) => Buffer },
    acks: -1,
    retries: 3,
    autocreateTopics: true,
  });
  let unavailableSince: number | undefined;
  const status = {
    onUnavailable: (reason: string) => {
      unavailableSince ??= Date.now();
      logger.warn({ code: 'LOGLANE_ERR_INDEXER_OUTPUT_UNAVAILABLE', reason }, 'output unavailable: pausing consumption and retrying until it answers');
    },
    onSetupError: (reason: string) => logger.error({ code: 'LOGLANE_ERR_INDEXER_OUTPUT_SETUP', reason }, 'output setup refused; writing goes on without it'),
    onRecovered: (downMs: number) => {
      unavailableSince = undefined;
      logger.info({ down_ms: downMs }, 'output available again: resuming consumption');
    },
  };
  const outputs: { label: string; output: Output }[] = config.outputs.map((o) =>
    'elasticsearch' in o
      ? { label: 'elasticsearch', output: createElasticsearchOutput({ pipeline: name, config: o.elasticsearch, cluster: options.cluster, ...status }) }
      : { label: `kafka:${o.kafka.topic}`, output: createKafkaOutput({ pipeline: name, config: o.kafka, producer, ...status }) },
  );
  const consumer = new Consumer<Buffer, Buffer, string, Buffer>({
    clientId: `${options.clientId}-${name}`,
    groupId: config.group_id,
    bootstrapBrokers: options.bootstrap,
    deserializers: { headerKey: stringDeserializer as (b?: string | Buffer) => string },
    sessionTimeout: config.session_timeout_ms,
    heartbeatInterval: Math.max(100, Math.floor(config.session_timeout_ms / 3)),
    rebalanceTimeout: Math.max(config.session_timeout_ms, 10_000),
    maxWaitTime: config.fetch_max_wait_ms,
    maxBytes: config.fetch_max_bytes,
    maxBytesPerPartition: config.fetch_max_bytes,
    autocommit: false,
    // Like Kafka consumers with allow.auto.create.topics: the embedded broker creates `logs` on first use.
    autocreateTopics: true,
  });
  let buffer: KafkaMessage[] = [];
  let resolveJoined!: () => void;
  const joined = new Promise<void>((resolve) => {
    resolveJoined = resolve;
  });
  consumer.on('consumer:group:join', (payload) => {
    resolveJoined();
    if (payload.assignments === undefined) return;
    // After a rebalance, buffered messages of partitions this member lost are not processed:
    // their new owner consumes them from the last commit.
    const owned = new Set(payload.assignments.flatMap((a) => a.partitions.map((p) => `${a.topic}\0${p}`)));
    const before = buffer.length;
    buffer = buffer.filter((m) => owned.has(`${m.topic}\0${m.partition}`));
    if (buffer.length !== before) logger.info({ dropped: before - buffer.length }, 'rebalance: buffered messages of revoked partitions left to their new owner');
  });
  const closeClients = async () => {
    await workers?.close();
    for (const { output } of outputs) await output.stop();
    await consumer.close(true).catch(() => {});
    await producer.close().catch(() => {});
  };
  const stream = await consumeWhenReady(() => consumer.consume({ topics, mode: 'committed', fallbackMode: config.auto_offset_reset, autocommit: false, maxWaitTime: config.fetch_max_wait_ms }), logger, options.signal).catch(async (error: unknown) => {
    await closeClients();
    throw error;
  });
  const labels = { pipeline: name };
  const abort = new AbortController();
  // A batch is collected for at most the shortest linger_ms of the elasticsearch outputs (50 ms without one).
  const lingers = config.outputs.flatMap((o) => ('elasticsearch' in o ? [o.elasticsearch.linger_ms] : []));
  const lingerMs = lingers.length === 0 ? 50 : Math.min(...lingers);
  const high = config.max_poll_records * 2;
  // Batches whose writes may be in flight at once: the next batch is decoded, filtered and
  // sent while the one before waits for its acknowledgement (commits stay in batch order);
  // with worker threads, one more per worker, so that a worker has its next batch queued
  // while the batch before it is being sent instead of waiting for the acknowledgement.
  const batchesInFlight = 2 + config.workers;

  let paused = false;
  let wake: (() => void) | undefined;
  let ended = false;
  const assigned = () => consumer.assignments?.reduce((n, a) => n + a.partitions.length, 0) ?? 0;
  stream.on('data', (message: KafkaMessage) => {
    buffer.push(message);
    // The client resumes the stream after a rebalance: pause again whenever the buffer is full.
    if (buffer.length >= high) {
      paused = true;
      stream.pause();
      indexerMetrics.pausedPartitions.set(labels, assigned());
    }
    wake?.();
  });
  stream.on('error', (error) => logger.error({ err: error }, 'consumer stream error'));
  stream.on('close', () => {
    ended = true;
    wake?.();
  });
  const waitForData = (ms: number | undefined) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      wake = () => {
        if (timer !== undefined) clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  // Consumer lag of the partitions this member committed, refreshed every 10 s.
  const committedOffsets = new Map<string, { topic: string; partition: number; offset: bigint }>();
  const lagTimer = setInterval(() => {
    if (committedOffsets.size === 0) return;
    consumer.listOffsets({ topics: [...new Set([...committedOffsets.values()].map((o) => o.topic))] }).then(
      (ends) => {
        for (const o of committedOffsets.values()) {
          const end = ends.get(o.topic)?.[o.partition];
          if (end !== undefined) indexerMetrics.lag.set({ pipeline: name, topic: o.topic, partition: String(o.partition) }, Math.max(0, Number(end - o.offset)));
        }
      },
      () => {},
    );
  }, 10_000);
  lagTimer.unref();

  let stopping = false;
  let previous: Promise<void> = Promise.resolve();
  const inFlight: Promise<void>[] = [];
  /** Waits for a batch to be finished: false if the outputs were stopped (nothing after it may commit). */
  const settle = async (finished: Promise<void>): Promise<boolean> => {
    try {
      await finished;
      return true;
    } catch (error) {
      if (error instanceof OutputStoppedError) return false;
      throw error;
    }
  };
  const loop = (async () => {
    while (!stopping && !ended) {
      if (buffer.length === 0) await waitForData(undefined);
      if (stopping || ended) break;
      if (buffer.length < config.max_poll_records && lingerMs > 0) {
        const until = Date.now() + lingerMs;
        while (buffer.length < config.max_poll_records && Date.now() < until && !stopping) await waitForData(until - Date.now());
      }
      const batch = buffer.slice(0, config.max_poll_records);
      buffer = buffer.slice(batch.length);
      if (paused && buffer.length < config.max_poll_records) {
        paused = false;
        stream.resume();
        indexerMetrics.pausedPartitions.set(labels, 0);
      }
      // The batch is decoded and filtered now and its writes start; it is finished (dead
      // letters written, offsets committed) after the batch before it, in order. While up to
      // batchesInFlight batches wait for their outputs, the next one is prepared.
      const prepared = prepareBatch(batch);
      const finished = previous.then(() => finishBatch(prepared));
      finished.catch(() => {});
      previous = finished;
      inFlight.push(finished);
      if (inFlight.length >= batchesInFlight && !(await settle(inFlight.shift()!))) break;
    }
    while (inFlight.length > 0) if (!(await settle(inFlight.shift()!))) break;
  })();
  loop.catch((error) => logger.error({ err: error }, 'pipeline stopped on an unexpected error'));
  const endedUnexpectedly = new Promise<void>((resolve) => {
    const settle = () => {
      if (!stopping) resolve();
    };
    loop.then(settle, settle);
  });

  interface PreparedBatch {
    batch: KafkaMessage[];
    data: Promise<PreparedBatchData>;
    /** Per output, per event; undefined when the batch has no event to write. */
    writes: Promise<OutputResult[][] | undefined>;
  }

  /** Starts a batch: decode and filter it (here, or in a worker thread), then its writes. */
  function prepareBatch(batch: KafkaMessage[]): PreparedBatch {
    let data: Promise<PreparedBatchData>;
    if (workers === undefined) {
      try {
        data = Promise.resolve(localPreparer(batch));
      } catch (error) {
        data = Promise.reject(error);
      }
    } else data = workers.prepare(toWire(batch));
    const writes = data.then((d) => {
      indexerMetrics.eventsIn.inc(labels, d.decoded);
      indexerMetrics.eventsFiltered.inc(labels, d.filteredOut);
      return d.owners.length === 0 ? undefined : Promise.all(outputs.map(({ output }, k) => output.send(d.prepared[k]!)));
    });
    writes.catch(() => {});
    return { batch, data, writes };
  }

  /** Waits for a prepared batch's writes, dead-letters what the outputs refused, commits. */
  async function finishBatch({ batch, data, writes }: PreparedBatch): Promise<void> {
    const { letters: failed, owners } = await data;
    const results = await writes;
    const letters: DeadLetter[] = [];
    const lettered = new Set<number>();
    for (const l of failed) {
      letters.push(letterOf(batch[l.index]!, l.stage, l.reason));
      lettered.add(l.index);
    }
    results?.forEach((perEvent, o) => {
      perEvent.forEach((r, i) => {
        if (r.ok) return;
        const index = owners[i]!;
        if (lettered.has(index)) return;
        lettered.add(index);
        letters.push({ ...letterOf(batch[index]!, 'output', r.reason), output: outputs[o]!.label });
      });
    });
    if (letters.length > 0) {
      await writeDeadLetters(producer, config.dead_letter_topic, name, letters, abort.signal);
      for (const l of letters) indexerMetrics.deadLettered.inc({ pipeline: name, stage: l.stage });
      logger.warn({ code: 'LOGLANE_ERR_INDEXER_DEAD_LETTER', count: letters.length, topic: config.dead_letter_topic, first_reason: letters[0]!.reason }, 'messages dead-lettered');
    }
    await commit(batch);
  }

  async function commit(batch: KafkaMessage[]): Promise<void> {
    const next = new Map<string, { topic: string; partition: number; offset: bigint; leaderEpoch: number }>();
    for (const m of batch) {
      const key = `${m.topic}\0${m.partition}`;
      const seen = next.get(key);
      if (seen === undefined || m.offset + 1n > seen.offset) next.set(key, { topic: m.topic, partition: m.partition, offset: m.offset + 1n, leaderEpoch: m.leaderEpoch });
    }
    if (next.size === 0) return;
    try {
      await consumer.commit({ offsets: [...next.values()] });
      indexerMetrics.committed.inc(labels);
      for (const o of next.values()) committedOffsets.set(`${o.topic}\0${o.partition}`, o);
    } catch (error) {
      // A rebalance took the partitions away: the new owner re-reads from the last commit,
      // and deterministic ids make the re-indexing idempotent.
      logger.warn({ code: 'LOGLANE_ERR_INDEXER_COMMIT', err: error }, 'offset commit failed (rebalance?); the messages will be consumed again by the partitions\' owner');
    }
  }

  function letterOf(message: KafkaMessage, stage: DeadLetter['stage'], reason: string): DeadLetter {
    return { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers, stage, reason };
  }

  logger.info({ topics, group: config.group_id, outputs: outputs.map((o) => o.output.name) }, 'pipeline started');
  return {
    name,
    joined,
    ended: endedUnexpectedly,
    async stop() {
      stopping = true;
      clearInterval(lagTimer);
      stream.pause();
      wake?.();
      // Let the current batch finish; if the outputs are down, give up on it after a moment
      // (it is not committed and will be consumed again).
      const finished = await Promise.race([loop.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref())]);
      if (!finished || unavailableSince !== undefined) {
        abort.abort();
        for (const { output } of outputs) await output.stop();
        await loop.catch(() => {});
      }
      await stream.close().catch(() => {});
      await closeClients();
      indexerMetrics.pausedPartitions.set(labels, 0);
      logger.info('pipeline stopped');
    },
  };
}

/** Retries the first consume while the topics do not exist yet or the cluster is unreachable. */
async function consumeWhenReady<T>(consume: () => Promise<T>, logger: Logger, signal: AbortSignal | undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await consume();
    } catch (error) {
      if (attempt >= 30 || signal?.aborted) throw error;
      if (attempt === 1) logger.warn({ err: error }, 'cannot consume yet (topic missing or cluster unreachable); retrying');
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * attempt)));
    }
  }
}

async function matchTopics(bootstrap: string[], pattern: RegExp): Promise<string[]> {
  const admin = new Admin({ clientId: 'loglane-indexer-topics', bootstrapBrokers: bootstrap });
  try {
    const topics = (await admin.listTopics()).filter((t) => pattern.test(t) && !t.startsWith('__'));
    if (topics.length === 0) throw new Error(`no topic matches topics_pattern ${pattern.source}`);
    return topics;
  } finally {
    await admin.close().catch(() => {});
  }
}
