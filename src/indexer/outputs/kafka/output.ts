/**
 * The kafka output: produces the events for which `if` holds (all when absent) to a
 * topic (template), as JSON, with acks=all; the key is a template or the source
 * message's key. Failed sends are retried forever with capped jittered backoff, like
 * the elasticsearch output, until the output is stopped.
 */
import type { Producer } from '@platformatic/kafka';
import { compileCondition } from '../../conditions/condition.ts';
import { compileTemplate } from '../../sprintf.ts';
import { indexerMetrics } from '../../pipeline/metrics.ts';
import { backoffMs } from '../elasticsearch/retry.ts';
import { isPackedBulk } from '../elasticsearch/packed-bulk.ts';
import { type KafkaItem, type Output, type OutputResult, type OutputStatus, type PreparedItem, type Preparer, sleep } from '../output.ts';
import type { KafkaOutputConfig } from './config.ts';

export interface KafkaOutputOptions extends OutputStatus {
  pipeline: string;
  config: KafkaOutputConfig;
  /** Shared with the pipeline's dead letters; the pipeline closes it. */
  producer: Producer<Buffer, Buffer, string, Buffer>;
}

/** The kafka output's Preparer: the message of each selected event (null: not selected), or why it cannot be sent. */
export function kafkaPreparer(config: KafkaOutputConfig): Preparer {
  const condition = config.if === undefined ? undefined : compileCondition(config.if);
  const topic = compileTemplate(config.topic);
  const key = config.key === undefined ? undefined : compileTemplate(config.key);
  return (events) =>
    events.map(({ event }): PreparedItem => {
      if (condition !== undefined && !condition(event)) return null;
      const name = topic.render(event);
      if (name.includes('%{') || !/^[A-Za-z0-9._-]{1,249}$/.test(name)) return `invalid topic name ${JSON.stringify(name)} from the template ${JSON.stringify(config.topic)}`;
      const keyText = key === undefined ? (event.get('[@metadata][kafka][key]') as string | null | undefined) : key.render(event);
      return { topic: name, value: JSON.stringify(event.toDocument()), key: keyText ?? null };
    });
}

export function createKafkaOutput(options: KafkaOutputOptions): Output {
  const { config, producer, pipeline } = options;
  const prepare = kafkaPreparer(config);
  const abort = new AbortController();
  const labels = { pipeline, output: 'kafka' };
  return {
    name: `kafka(${config.topic})`,
    write(events) {
      return this.send(prepare(events));
    },
    async send(items) {
      if (isPackedBulk(items)) throw new TypeError('the kafka output was given bulk lines of an elasticsearch output');
      const prepared: readonly PreparedItem[] = items;
      const results: OutputResult[] = prepared.map(() => ({ ok: true }));
      const messages = [];
      for (let i = 0; i < prepared.length; i++) {
        const item = prepared[i];
        if (item === null || item === undefined) continue;
        if (typeof item === 'string') {
          results[i] = { ok: false, reason: item };
          continue;
        }
        const { topic, value, key } = item as KafkaItem;
        messages.push({ topic, value: Buffer.from(value), ...(key == null ? {} : { key: Buffer.from(key) }) });
      }
      if (messages.length === 0) return results;
      let failedSince: number | undefined;
      for (let attempt = 1; ; attempt++) {
        if (abort.signal.aborted) await sleep(0, abort.signal);
        try {
          const started = Date.now();
          await producer.send({ messages, acks: -1 });
          if (attempt > 1) options.onRecovered?.(Date.now() - (failedSince ?? started));
          indexerMetrics.eventsOut.inc(labels, messages.length);
          return results;
        } catch (error) {
          failedSince ??= Date.now();
          if (attempt === 1) options.onUnavailable?.(`kafka produce to ${config.topic} failed: ${(error as Error).message}`);
          indexerMetrics.retries.inc(labels, messages.length);
          await sleep(backoffMs(attempt, 100, 30_000), abort.signal);
        }
      }
    },
    async stop() {
      abort.abort();
    },
  };
}
