/**
 * `loglane dlq replay`: reads dead letters (dead-letters.ts: the original message value,
 * key and headers plus `loglane.dlq.*` headers) from a dead-letter topic and runs them
 * again through their pipeline — codec, filters and the pipeline's elasticsearch
 * outputs — or re-publishes the original messages to a topic.
 *
 * Why through the pipeline's own code rather than a raw `_bulk` of the stored value: a
 * dead letter holds the *original message*, not the document; the document is what the
 * codec and filters make of it. Running the same batch preparation (prepare.ts: codec,
 * filters, request builder) and the output's send gives
 * the same document and the same deterministic id (`<source topic>-<partition>-<offset>`,
 * rebuilt from the `loglane.dlq.source.*` headers), so a replay — or a replay repeated —
 * overwrites instead of duplicating, and bulk retries/backoff/error decisions are the
 * output's. Dead letters are never removed from their topic: one still failing stays
 * where it is, reported with its new reason and its dead-letter offset, and can be
 * replayed again after the next fix.
 */
import { Consumer, type Message, Producer, stringDeserializer, stringSerializer } from '@platformatic/kafka';
import { LoglaneError } from '../../errors/loglane-error.ts';
import type { Logger } from '../../telemetry/logger.ts';
import type { PipelineConfig } from '../config.ts';
import type { ElasticsearchClusterConfig } from '../outputs/elasticsearch/config.ts';
import { createElasticsearchOutput } from '../outputs/elasticsearch/output.ts';
import { isPackedBulk, packedText } from '../outputs/elasticsearch/packed-bulk.ts';
import { type Output, OutputStoppedError } from '../outputs/output.ts';
import { DLQ_HEADER } from './dead-letters.ts';
import { createBatchPreparer } from './prepare.ts';

type KafkaMessage = Message<Buffer, Buffer, string, Buffer>;

export type DeadLetterStage = 'decode' | 'filter' | 'output';

export interface ReplayOptions {
  bootstrap: string[];
  /** The dead-letter topic to read. */
  topic: string;
  /** Configured pipelines; a letter runs through the one its `loglane.dlq.pipeline` header names, or `pipeline`. */
  pipelines: readonly PipelineConfig[];
  pipeline?: string;
  cluster: ElasticsearchClusterConfig & { hosts: string[] };
  /** Dead-letter partitions to read (default: all). */
  partitions?: readonly number[];
  /** First dead-letter offset to read, per partition (default: the earliest). */
  fromOffset?: bigint;
  /** Offset to stop before, per partition (default: the end offset when the replay starts). */
  toOffset?: bigint;
  /** Only letters of this stage. */
  stage?: DeadLetterStage;
  /** Decode, filter and build the requests, but write nothing. */
  dryRun?: boolean;
  /** Index into this index instead of the output's `index` template (e.g. a fixed copy of the index). */
  toIndex?: string;
  /** Re-publish the original messages instead of indexing them: to this topic, or `true` for each letter's source topic. */
  republish?: string | true;
  /** Gives up (rejects) if Elasticsearch or Kafka has not acknowledged everything within this time. */
  timeoutMs?: number;
  logger: Logger;
}

export interface ReplayFailure {
  dlq_partition: number;
  dlq_offset: string;
  source: string;
  reason: string;
}

export interface ReplayReport {
  topic: string;
  dry_run: boolean;
  /** Dead letters read in the range. */
  read: number;
  /** Read, but not of the selected stage. */
  skipped: number;
  /** Letters whose every event was acknowledged (or, in a dry run, would be sent). */
  indexed: number;
  /** Events sent (or that would be sent) to Elasticsearch; a message may decode into several, or none (drop). */
  events: number;
  /** Letters re-published to a topic. */
  republished: number;
  /** Letters still failing: they stay in the dead-letter topic at their offsets. */
  still_failing: number;
  /** Indices written (or that would be written). */
  indices: string[];
  failures: ReplayFailure[];
}

interface Letter {
  message: KafkaMessage;
  source: { topic: string; partition: number; offset: string };
  pipeline: string | undefined;
  stage: string | undefined;
  headers: Map<string, Buffer>;
}

export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayReport> {
  const { logger } = options;
  const report: ReplayReport = { topic: options.topic, dry_run: options.dryRun === true, read: 0, skipped: 0, indexed: 0, events: 0, republished: 0, still_failing: 0, indices: [], failures: [] };
  if (options.toIndex !== undefined && options.republish !== undefined) throw usage('--to-index and --republish exclude each other');
  if (options.pipeline !== undefined && !options.pipelines.some((p) => p.name === options.pipeline)) {
    throw usage(`no pipeline named "${options.pipeline}" in the configuration (configured: ${options.pipelines.map((p) => p.name).join(', ') || 'none'})`);
  }
  const letters = await readDeadLetters(options);
  report.read = letters.length;
  const selected = letters.filter((l) => options.stage === undefined || l.stage === options.stage);
  report.skipped = letters.length - selected.length;
  const fail = (letter: Letter, reason: string) => {
    report.still_failing++;
    report.failures.push({ dlq_partition: letter.message.partition, dlq_offset: String(letter.message.offset), source: `${letter.source.topic}/${letter.source.partition}/${letter.source.offset}`, reason });
  };
  if (selected.length === 0) return report;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 60_000);

  if (options.republish !== undefined) {
    const target = options.republish;
    const valid = selected.filter((l) => {
      if (target === true && l.source.topic === '') fail(l, 'not a loglane dead letter (no loglane.dlq.source.topic header)');
      return !(target === true && l.source.topic === '');
    });
    if (!options.dryRun && valid.length > 0) {
      const producer = new Producer<Buffer, Buffer, string, Buffer>({ clientId: 'loglane-dlq-replay', bootstrapBrokers: options.bootstrap, serializers: { headerKey: stringSerializer as (s?: string) => Buffer }, acks: -1, retries: 3, autocreateTopics: true });
      try {
        const sending = producer.send({
          acks: -1,
          messages: valid.map((l) => ({ topic: target === true ? l.source.topic : target, value: l.message.value ?? Buffer.alloc(0), headers: l.headers, ...(l.message.key == null ? {} : { key: l.message.key }) })),
        });
        await Promise.race([sending, abortedPromise(deadline)]);
      } finally {
        await producer.close().catch(() => {});
      }
    }
    report.republished = valid.length;
    return report;
  }

  // Per pipeline: its codec, filters and elasticsearch outputs (prepare.ts, as the pipeline runs them).
  const byPipeline = new Map<PipelineConfig, Letter[]>();
  for (const letter of selected) {
    if (letter.source.topic === '') {
      fail(letter, 'not a loglane dead letter (no loglane.dlq.source.topic header)');
      continue;
    }
    const name = options.pipeline ?? letter.pipeline;
    const config = options.pipelines.find((p) => p.name === name);
    if (config === undefined) {
      fail(letter, name === undefined ? 'not a loglane dead letter (no loglane.dlq.pipeline header); pass --pipeline' : `pipeline "${name}" is not in the configuration; pass --pipeline`);
      continue;
    }
    const group = byPipeline.get(config);
    if (group === undefined) byPipeline.set(config, [letter]);
    else group.push(letter);
  }
  const outputs: Output[] = [];
  const indices = new Set<string>();
  try {
    for (const [pipeline, group] of byPipeline) {
      const esOutputs = pipeline.outputs.flatMap((o) => ('elasticsearch' in o ? [{ elasticsearch: options.toIndex === undefined ? o.elasticsearch : { ...o.elasticsearch, index: options.toIndex } }] : []));
      if (esOutputs.length === 0) throw usage(`pipeline "${pipeline.name}" has no elasticsearch output to replay into; use --republish`);
      const config: PipelineConfig = { ...pipeline, outputs: esOutputs };
      const data = createBatchPreparer(config)(
        group.map((l) => ({ topic: l.source.topic, partition: l.source.partition, offset: l.source.offset, key: l.message.key ?? null, value: l.message.value ?? null, timestamp: l.message.timestamp, headers: l.headers })),
      );
      const verdicts = new Array<string | undefined>(group.length);
      for (const l of data.letters) verdicts[l.index] ??= `${l.stage}: ${l.reason}`;
      const events = new Array<number>(group.length).fill(0);
      for (const owner of data.owners) events[owner]!++;
      for (const items of data.prepared) {
        if (!isPackedBulk(items)) continue;
        const refused = new Set<number>();
        for (const [i, reason] of items.refused) {
          refused.add(i);
          if (reason !== null) verdicts[data.owners[i]!] ??= reason;
        }
        for (let i = 0; i < items.count; i++) if (!refused.has(i)) indices.add(indexOf(packedText(items, i)));
      }
      if (!options.dryRun && data.owners.length > 0) {
        const sending = esOutputs.map((o) => createElasticsearchOutput({ pipeline: `${pipeline.name}-replay`, config: o.elasticsearch, cluster: options.cluster }));
        outputs.push(...sending);
        const writing = Promise.all(sending.map((o, k) => o.send(data.prepared[k]!)));
        let results: Awaited<typeof writing>;
        try {
          results = await Promise.race([writing, abortedPromise(deadline)]);
        } catch (error) {
          for (const o of sending) await o.stop();
          if (error instanceof OutputStoppedError || deadline.aborted) {
            throw new LoglaneError('LOGLANE_ERR_DLQ_REPLAY', `Elasticsearch (${options.cluster.hosts.join(', ')}) did not acknowledge the replayed events within ${options.timeoutMs ?? 60_000} ms; nothing was lost: the dead letters are still in ${options.topic}`, { retriable: true });
          }
          throw error;
        }
        for (const perEvent of results) {
          perEvent.forEach((r, i) => {
            if (!r.ok) verdicts[data.owners[i]!] ??= r.reason;
          });
        }
      }
      group.forEach((letter, i) => {
        report.events += events[i]!;
        if (verdicts[i] === undefined) report.indexed++;
        else fail(letter, verdicts[i]);
      });
    }
  } finally {
    for (const o of outputs) await o.stop();
  }
  report.indices = [...indices].sort();
  logger.info({ topic: options.topic, read: report.read, indexed: report.indexed, still_failing: report.still_failing, dry_run: report.dry_run }, 'dead-letter replay done');
  return report;
}

/** Reads the dead letters of the selected range: from `fromOffset` (or the earliest) to `toOffset` (or the end at start). */
async function readDeadLetters(options: ReplayOptions): Promise<Letter[]> {
  const consumer = new Consumer<Buffer, Buffer, string, Buffer>({
    clientId: 'loglane-dlq-replay',
    groupId: `loglane-dlq-replay-${process.pid}-${Date.now()}`,
    bootstrapBrokers: options.bootstrap,
    deserializers: { headerKey: stringDeserializer as (b?: string | Buffer) => string },
    autocommit: false,
    maxWaitTime: 200,
  });
  try {
    const topic = options.topic;
    const metadata = await consumer.metadata({ topics: [topic] }).catch((error: unknown) => {
      throw new LoglaneError('LOGLANE_ERR_DLQ_REPLAY', `cannot read dead-letter topic ${topic}: ${(error as Error).message}`, { retriable: true, cause: error });
    });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    if (count === 0) throw new LoglaneError('LOGLANE_ERR_DLQ_REPLAY', `dead-letter topic ${topic} does not exist`, { retriable: false });
    const partitions = options.partitions ?? Array.from({ length: count }, (_, i) => i);
    const missing = partitions.find((p) => p < 0 || p >= count);
    if (missing !== undefined) throw usage(`dead-letter topic ${topic} has no partition ${missing} (it has ${count})`);
    const [earliest, latest] = await Promise.all([consumer.listOffsets({ topics: [topic], timestamp: -2n }), consumer.listOffsets({ topics: [topic] })]);
    const ranges = new Map<number, { from: bigint; to: bigint }>();
    for (const p of partitions) {
      const first = earliest.get(topic)?.[p] ?? 0n;
      const end = latest.get(topic)?.[p] ?? 0n;
      const from = options.fromOffset === undefined || options.fromOffset < first ? first : options.fromOffset;
      const to = options.toOffset === undefined || options.toOffset > end ? end : options.toOffset;
      if (from < to) ranges.set(p, { from, to });
    }
    if (ranges.size === 0) return [];
    const stream = await consumer.consume({
      topics: [topic],
      mode: 'manual',
      offsets: Array.from({ length: count }, (_, p) => ({ topic, partition: p, offset: ranges.get(p)?.from ?? latest.get(topic)?.[p] ?? 0n })),
      autocommit: false,
      maxWaitTime: 200,
    });
    const letters: Letter[] = [];
    const done = new Set<number>();
    const timer = setTimeout(() => stream.destroy(new LoglaneError('LOGLANE_ERR_DLQ_REPLAY', `reading ${topic} did not reach the end of the selected range within ${options.timeoutMs ?? 60_000} ms`, { retriable: true })), options.timeoutMs ?? 60_000);
    try {
      for await (const message of stream as AsyncIterable<KafkaMessage>) {
        const range = ranges.get(message.partition);
        if (range !== undefined && message.offset >= range.from && message.offset < range.to) letters.push(toLetter(message));
        if (range === undefined || message.offset + 1n >= range.to) done.add(message.partition);
        if ([...ranges.keys()].every((p) => done.has(p))) break;
      }
    } finally {
      clearTimeout(timer);
      await stream.close().catch(() => {});
    }
    return letters;
  } finally {
    await consumer.close(true).catch(() => {});
  }
}

function toLetter(message: KafkaMessage): Letter {
  const headers = new Map<string, Buffer>();
  const dlq = new Map<string, string>();
  for (const [name, value] of message.headers ?? []) {
    if (name.startsWith(DLQ_HEADER)) dlq.set(name.slice(DLQ_HEADER.length), value.toString('utf8'));
    else headers.set(name, value);
  }
  const partition = Number(dlq.get('source.partition') ?? Number.NaN);
  return {
    message,
    source: { topic: dlq.get('source.topic') ?? '', partition: Number.isInteger(partition) ? partition : 0, offset: dlq.get('source.offset') ?? String(message.offset) },
    pipeline: dlq.get('pipeline'),
    stage: dlq.get('stage'),
    headers,
  };
}

function indexOf(actionLine: string): string {
  const meta = Object.values(JSON.parse(actionLine.slice(0, actionLine.indexOf('\n'))) as Record<string, { _index: string }>)[0];
  return meta?._index ?? '';
}

function abortedPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new OutputStoppedError());
    signal.addEventListener('abort', () => reject(new OutputStoppedError()), { once: true });
  });
}

function usage(message: string): LoglaneError {
  return new LoglaneError('LOGLANE_ERR_CLI_USAGE', message, { retriable: false });
}
