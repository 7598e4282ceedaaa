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
import { elasticsearchPreparer } from '../outputs/elasticsearch/request-builder.ts';
import { kafkaPreparer } from '../outputs/kafka/output.ts';
import type { OutputEvent, PreparedItem, Preparer } from '../outputs/output.ts';
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
  /** Per output (in configuration order), per event. */
  prepared: PreparedItem[][];
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

/** A batch as it crosses to a worker thread: values in one transferable buffer, keys and headers as text (as the codecs read them). */
export interface WireBatch {
  values: ArrayBuffer;
  messages: { topic: string; partition: number; offset: string; key: string | null; timestamp: string; headers: [string, string | null][]; start: number; end: number }[];
}

const utf8 = (b: Uint8Array | string | null | undefined): string | null => (b === null || b === undefined ? null : typeof b === 'string' ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'));

export function toWire(messages: readonly { topic: string; partition: number; offset: bigint; key?: Buffer | null; value?: Buffer | null; timestamp: bigint; headers?: Map<string, Buffer> }[]): WireBatch {
  let total = 0;
  for (const m of messages) total += m.value?.length ?? 0;
  const values = Buffer.allocUnsafeSlow(total);
  let at = 0;
  const wire: WireBatch['messages'] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const start = at;
    if (m.value != null) {
      m.value.copy(values, at);
      at += m.value.length;
    }
    const headers: [string, string | null][] = [];
    if (m.headers !== undefined) for (const [name, value] of m.headers) headers.push([name, utf8(value)]);
    wire[i] = { topic: m.topic, partition: m.partition, offset: String(m.offset), key: utf8(m.key), timestamp: String(m.timestamp), headers, start, end: m.value == null ? -1 : at };
  }
  return { values: values.buffer as ArrayBuffer, messages: wire };
}

export function fromWire(batch: WireBatch): MessageLike[] {
  return batch.messages.map((m) => ({
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: m.key,
    timestamp: m.timestamp,
    headers: m.headers,
    value: m.end < 0 ? null : Buffer.from(batch.values, m.start, m.end - m.start),
  }));
}
