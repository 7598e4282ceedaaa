/**
 * A Kafka producer that runs in its own worker thread (`kafka.producer_thread`): the
 * client library's record-batch encoding (per-record varints, buffer concatenation, the
 * CRC) was about 40 % of the shipper's CPU, on the same thread that reads, splits and
 * encodes the events. With it on a second thread the two halves run side by side.
 *
 * A batch crosses as one transferred buffer (every key and value, back to back) plus
 * one Int32Array of (topic index, key start, key length or -1, value start, value length)
 * per message and the batch's topic names; the worker builds the messages as views of
 * that buffer. Each send resolves or rejects with the worker's answer; if the thread dies,
 * every pending and later send rejects, and the output's retry loop replaces the producer.
 * This file is both the main-thread proxy and the worker's code.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type MessageToProduce, Producer, type ProducerOptions } from '@platformatic/kafka';
import type { ProducerLike } from './output.ts';

type Message = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

/** What the worker's Producer is built from (structured-clonable). */
export type ThreadProducerOptions = Pick<ProducerOptions<Buffer, Buffer, Buffer, Buffer>, 'clientId' | 'bootstrapBrokers' | 'acks' | 'compression' | 'retries' | 'timeout' | 'autocreateTopics' | 'maxInflights'>;

interface SendRequest {
  type: 'send';
  id: number;
  acks: number;
  topics: string[];
  refs: Int32Array;
  data: Uint8Array;
}

interface CloseRequest {
  type: 'close';
  id: number;
  force: boolean;
}

type Reply = { id: number; ok: true } | { id: number; ok: false; error: string };

const FIELDS = 5;

/**
 * Young generation of the producer thread (V8 sizes the semi-spaces from it): the client
 * builds several small buffers and objects per record that die with the request; larger
 * semi-spaces mean fewer scavenges (the indexer's prepare workers do the same).
 */
const YOUNG_GENERATION_MB = 96;

/** Packs messages into (topics, refs, data); exported for the tests. */
export function packMessages(messages: readonly Message[]): { topics: string[]; refs: Int32Array; data: Uint8Array } {
  let size = 0;
  for (const m of messages) size += (m.key?.length ?? 0) + (m.value?.length ?? 0);
  const data = new Uint8Array(size);
  const refs = new Int32Array(messages.length * FIELDS);
  const topics: string[] = [];
  let lastTopic: string | undefined;
  let lastIndex = -1;
  let at = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.topic !== lastTopic) {
      lastTopic = m.topic;
      lastIndex = topics.indexOf(m.topic);
      if (lastIndex === -1) lastIndex = topics.push(m.topic) - 1;
    }
    const r = i * FIELDS;
    refs[r] = lastIndex;
    if (m.key === undefined) {
      refs[r + 1] = 0;
      refs[r + 2] = -1;
    } else {
      data.set(m.key, at);
      refs[r + 1] = at;
      refs[r + 2] = m.key.length;
      at += m.key.length;
    }
    const value = m.value ?? EMPTY;
    data.set(value, at);
    refs[r + 3] = at;
    refs[r + 4] = value.length;
    at += value.length;
  }
  return { topics, refs, data };
}

/** The messages of a packed batch, as views of its buffer. */
export function unpackMessages(topics: readonly string[], refs: Int32Array, data: Uint8Array): Message[] {
  const messages: Message[] = new Array(refs.length / FIELDS);
  const view = (start: number, length: number) => Buffer.from(data.buffer, data.byteOffset + start, length);
  for (let i = 0; i < messages.length; i++) {
    const r = i * FIELDS;
    const topic = topics[refs[r]!]!;
    const value = view(refs[r + 3]!, refs[r + 4]!);
    messages[i] = refs[r + 2]! < 0 ? { topic, value } : { topic, key: view(refs[r + 1]!, refs[r + 2]!), value };
  }
  return messages;
}

const EMPTY = Buffer.alloc(0);

export class ThreadProducer implements ProducerLike {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #dead: Error | undefined;

  constructor(options: ThreadProducerOptions) {
    this.#worker = new Worker(new URL(import.meta.url), { workerData: { loglaneProducer: true, options }, name: 'loglane-shipper-producer', resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.#worker.on('message', (reply: Reply) => {
      const p = this.#pending.get(reply.id);
      if (p === undefined) return;
      this.#pending.delete(reply.id);
      if (reply.ok) p.resolve();
      else p.reject(new Error(reply.error));
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the producer thread exited with code ${code}`)));
    // Sends in flight are the output's to wait for; the thread alone keeps nothing alive.
    this.#worker.unref();
  }

  #fail(error: Error): void {
    this.#dead ??= error;
    for (const p of this.#pending.values()) p.reject(this.#dead);
    this.#pending.clear();
  }

  #request(build: (id: number) => [SendRequest | CloseRequest, ArrayBuffer[]]): Promise<void> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const [request, transfer] = build(id);
      this.#worker.postMessage(request, transfer);
    });
  }

  send(options: { messages: Message[]; acks: number }): Promise<unknown> {
    return this.#request((id) => {
      const { topics, refs, data } = packMessages(options.messages);
      return [{ type: 'send', id, acks: options.acks, topics, refs, data }, [refs.buffer as ArrayBuffer, data.buffer as ArrayBuffer]];
    });
  }

  async close(force = false): Promise<void> {
    try {
      if (this.#dead === undefined) await this.#request((id) => [{ type: 'close', id, force }, []]);
    } catch {
      // Closing is best effort: the thread goes either way.
    } finally {
      await this.#worker.terminate();
    }
  }
}

if (!isMainThread && (workerData as { loglaneProducer?: boolean } | null)?.loglaneProducer === true) {
  const producer = new Producer<Buffer, Buffer, Buffer, Buffer>((workerData as { options: ThreadProducerOptions }).options);
  const port = parentPort!;
  const answer = (id: number, error?: unknown) => port.postMessage((error === undefined ? { id, ok: true } : { id, ok: false, error: error instanceof Error ? error.message : String(error) }) satisfies Reply);
  port.on('message', (request: SendRequest | CloseRequest) => {
    if (request.type === 'close') {
      producer.close(request.force).then(
        () => answer(request.id),
        (error: unknown) => answer(request.id, error),
      );
      return;
    }
    let messages: Message[];
    try {
      messages = unpackMessages(request.topics, request.refs, request.data);
    } catch (error) {
      answer(request.id, error);
      return;
    }
    producer.send({ messages, acks: request.acks }).then(
      () => answer(request.id),
      (error: unknown) => answer(request.id, error),
    );
  });
}
