/** Starts a broker and a store in-process and runs pipelines against them, for pipeline tests. */
import { Consumer, Producer, stringDeserializer, stringSerializer } from '@platformatic/kafka';
import { pipelineSchema } from '../../../src/indexer/config.ts';
import { type RunningPipeline, startPipeline } from '../../../src/indexer/pipeline/pipeline.ts';
import { Writable } from 'node:stream';
import { createLogger, type Logger, silentLogger } from '../../../src/telemetry/logger.ts';

type TestContext = { after: (fn: () => Promise<void>) => void };

export function testLogger() {
  const level = process.env.LOGLANE_TEST_LOG as 'debug' | 'info' | undefined;
  return level ? createLogger({ level, format: 'json' }) : silentLogger();
}

/** A logger that keeps its JSON lines in `lines` (parsed). */
export function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', format: 'json', stream }) };
}

export async function runPipeline(t: TestContext, bootstrap: string, storeUrl: string, raw: Record<string, unknown>, logger: Logger = testLogger()): Promise<RunningPipeline> {
  const config = pipelineSchema.parse({ fetch_max_wait_ms: 100, session_timeout_ms: 6000, ...raw });
  const pipeline = await startPipeline({ config, bootstrap: [bootstrap], clientId: 'test-indexer', cluster: { hosts: [storeUrl] }, logger });
  let stopped = false;
  t.after(async () => {
    if (!stopped) await pipeline.stop();
  });
  return {
    name: pipeline.name,
    joined: pipeline.joined,
    ended: pipeline.ended,
    async stop() {
      stopped = true;
      await pipeline.stop();
    },
  };
}

export async function produce(bootstrap: string, messages: { topic: string; value: string; key?: string }[]): Promise<void> {
  const producer = new Producer({ clientId: 'test-producer', bootstrapBrokers: [bootstrap], serializers: { key: stringSerializer, value: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer } });
  try {
    await producer.send({ messages, acks: -1 });
  } finally {
    await producer.close();
  }
}

/** Reads `count` messages of a topic from the beginning (headers as strings). */
export async function consumeAll(bootstrap: string, topic: string, count: number, timeoutMs = 20_000) {
  const consumer = new Consumer({ clientId: 'test-reader', groupId: `reader-${topic}-${Date.now()}`, bootstrapBrokers: [bootstrap], deserializers: { key: stringDeserializer, value: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer }, maxWaitTime: 100, autocommit: false });
  const out: { key: string | undefined; value: string; headers: Record<string, string> }[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
    const timer = setTimeout(() => void stream.close(), timeoutMs);
    for await (const m of stream) {
      out.push({ key: m.key as string | undefined, value: m.value as string, headers: Object.fromEntries(m.headers as Map<string, string>) });
      if (out.length >= count) break;
    }
    clearTimeout(timer);
  } finally {
    await consumer.close(true);
  }
  return out;
}

/** Polls until `check` returns a value that is not undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export async function count(storeUrl: string, index: string): Promise<number | undefined> {
  await fetch(`${storeUrl}/${index}/_refresh`, { method: 'POST' });
  const res = await fetch(`${storeUrl}/${index}/_count`);
  if (res.status !== 200) return undefined;
  return ((await res.json()) as { count: number }).count;
}
