/**
 * The CPU part of a batch, apart from the pipeline's I/O: decode every message (codec),
 * run the filters, and let every output prepare its items (bulk lines, Kafka messages).
 * The result is plain data, so it can be made in the pipeline's thread or in a worker
 * thread (prepare-worker.ts, `workers: N`), from the pipeline configuration alone.
 */
import { createCodec } from '../codecs/registry.ts';
import type { KafkaRecordInfo } from '../codecs/codec.ts';
import type { PipelineConfig } from '../config.ts';
import type { Event } from '../event.ts';
import { isPackedBulk, packedTransferList } from '../outputs/elasticsearch/packed-bulk.ts';
import { elasticsearchPreparer } from '../outputs/elasticsearch/request-builder.ts';
import { kafkaPreparer } from '../outputs/kafka/output.ts';
import type { OutputEvent, PreparedItems, Preparer } from '../outputs/output.ts';
import { compileFilters } from '../pipeline-filters.ts';

/** A consumed message as the codec needs it (a Kafka client message, or its copy from another thread). */
export interface MessageLike {
  topic: string;
  partition: number;
  offset: bigint | string;
  key?: Uint8Array | string | null;
  value?: Uint8Array | null;
  timestamp?: bigint | string | number;
  headers?: KafkaRecordInfo['headers'];
}

export interface BatchLetter {
  /** Index of the message in the batch. */
  index: number;
  stage: 'decode' | 'filter';
  reason: string;
}

export interface PreparedBatchData {
  /** Events the codec made. */
  decoded: number;
  /** Events the filters dropped. */
  filteredOut: number;
  /** Messages that failed to decode or filter (one letter per message). */
  letters: BatchLetter[];
  /** For each event sent to the outputs, the index of its message in the batch. */
  owners: number[];
  /** Per output (in configuration order): an item per event, or the batch's bulk lines in one buffer. */
  prepared: PreparedItems[];
}

export type BatchPreparer = (messages: readonly MessageLike[]) => PreparedBatchData;

export function createBatchPreparer(config: PipelineConfig): BatchPreparer {
  const codec = createCodec(config.codec);
  const filters = compileFilters(config.filters);
  const preparers: Preparer[] = config.outputs.map((o) => ('elasticsearch' in o ? elasticsearchPreparer(o.elasticsearch) : kafkaPreparer(o.kafka)));
  return (messages) => {
    const letters: BatchLetter[] = [];
    const outEvents: OutputEvent[] = [];
    const owners: number[] = [];
    let decoded = 0;
    let filteredOut = 0;
    for (let index = 0; index < messages.length; index++) {
      const message = messages[index]!;
      const record: KafkaRecordInfo = { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key ?? null, timestamp: message.timestamp ?? null, headers: message.headers ?? null, consumerGroup: config.group_id };
      const result = codec.decode(message.value ?? null, record);
      let lettered = false;
      if (result.failures.length > 0) {
        const f = result.failures[0]!;
        letters.push({ index, stage: 'decode', reason: `${f.codec || codec.name}: ${f.reason}` });
        lettered = true;
      }
      decoded += result.events.length;
      let sequence = 0;
      const offset = String(message.offset);
      for (const event of result.events) {
        let out: Event[];
        try {
          out = filters.run(event);
        } catch (error) {
          if (!lettered) letters.push({ index, stage: 'filter', reason: (error as Error).message });
          lettered = true;
          continue;
        }
        if (out.length === 0) filteredOut++;
        for (const e of out) {
          outEvents.push({ event: e, source: { topic: message.topic, partition: message.partition, offset, sequence: sequence++ } });
          owners.push(index);
        }
      }
    }
    return { decoded, filteredOut, letters, owners, prepared: outEvents.length === 0 ? preparers.map(() => []) : preparers.map((p) => p(outEvents)) };
  };
}

/**
 * A batch as it crosses to a worker thread: the values back to back in one buffer and the
 * per-message numbers in typed arrays, all transferred (not copied); keys and headers
 * (as text, as the codecs read them) only for the messages that have some. A list of
 * message objects cost ~1.5 µs per message to clone; this is a few copies of memory.
 */
export interface WireBatch {
  count: number;
  values: ArrayBuffer;
  /** Per message: start and end of its value in `values` (end −1: no value). */
  bounds: Int32Array;
  topics: string[];
  /** Per message: its topic's index in `topics`. */
  topicIndex: Uint16Array;
  partitions: Int32Array;
  offsets: BigInt64Array;
  timestamps: BigInt64Array;
  /** Messages with a key or headers: [index, key, headers]. */
  extras: [number, string | null, [string, string | null][]][];
}

const utf8 = (b: Uint8Array | string | null | undefined): string | null => (b === null || b === undefined ? null : typeof b === 'string' ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'));

export function toWire(messages: readonly { topic: string; partition: number; offset: bigint; key?: Buffer | null; value?: Buffer | null; timestamp: bigint; headers?: Map<string, Buffer> }[]): WireBatch {
  const count = messages.length;
  let total = 0;
  for (const m of messages) total += m.value?.length ?? 0;
  const values = Buffer.allocUnsafeSlow(total);
  const bounds = new Int32Array(count * 2);
  const topics: string[] = [];
  const topicIndex = new Uint16Array(count);
  const partitions = new Int32Array(count);
  const offsets = new BigInt64Array(count);
  const timestamps = new BigInt64Array(count);
  const extras: WireBatch['extras'] = [];
  let at = 0;
  let lastTopic: string | undefined;
  let lastTopicIndex = 0;
  for (let i = 0; i < count; i++) {
    const m = messages[i]!;
    bounds[2 * i] = at;
    if (m.value != null) {
      m.value.copy(values, at);
      at += m.value.length;
      bounds[2 * i + 1] = at;
    } else bounds[2 * i + 1] = -1;
    if (m.topic !== lastTopic) {
      lastTopic = m.topic;
      lastTopicIndex = topics.indexOf(m.topic);
      if (lastTopicIndex === -1) lastTopicIndex = topics.push(m.topic) - 1;
    }
    topicIndex[i] = lastTopicIndex;
    partitions[i] = m.partition;
    offsets[i] = m.offset;
    timestamps[i] = m.timestamp;
    const hasHeaders = m.headers !== undefined && m.headers.size > 0;
    if (m.key != null || hasHeaders) {
      const headers: [string, string | null][] = [];
      if (hasHeaders) for (const [name, value] of m.headers!) headers.push([name, utf8(value)]);
      extras.push([i, utf8(m.key), headers]);
    }
  }
  return { count, values: values.buffer as ArrayBuffer, bounds, topics, topicIndex, partitions, offsets, timestamps, extras };
}

/** The buffers of a WireBatch, to transfer with postMessage. */
export function wireTransferList(batch: WireBatch): ArrayBuffer[] {
  return [batch.values, batch.bounds.buffer, batch.topicIndex.buffer, batch.partitions.buffer, batch.offsets.buffer, batch.timestamps.buffer] as ArrayBuffer[];
}

export function fromWire(batch: WireBatch): MessageLike[] {
  const out = new Array<MessageLike>(batch.count);
  for (let i = 0; i < batch.count; i++) {
    const start = batch.bounds[2 * i]!;
    const end = batch.bounds[2 * i + 1]!;
    out[i] = {
      topic: batch.topics[batch.topicIndex[i]!]!,
      partition: batch.partitions[i]!,
      offset: batch.offsets[i]!,
      key: null,
      timestamp: batch.timestamps[i]!,
      headers: null,
      value: end < 0 ? null : Buffer.from(batch.values, start, end - start),
    };
  }
  for (const [i, key, headers] of batch.extras) {
    const m = out[i]!;
    m.key = key;
    m.headers = headers;
  }
  return out;
}

/** The buffers of prepared batch data, to transfer with postMessage. */
export function preparedTransferList(data: PreparedBatchData): ArrayBuffer[] {
  return data.prepared.flatMap((p) => (isPackedBulk(p) ? packedTransferList(p) : []));
}
