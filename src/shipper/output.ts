/**
 * The shipper's Kafka output: a bounded queue of events that inputs publish into,
 * batched (batch_max_events, linger_ms), produced with @platformatic/kafka (acks=all by
 * default), retried forever with capped jittered backoff while Kafka is unreachable.
 *
 * Acknowledgements are delivered in publish order (a batch's acks run only after every
 * earlier batch was acknowledged), so a file's registry offset only ever moves over
 * bytes whose every event Kafka has. While the queue holds `queue_max_events` events
 * not yet acknowledged, `publish` waits: file reading pauses, the HTTP input answers 429.
 *
 * Events over `max_message_bytes`, and events whose topic template yields no valid topic
 * name, are appended to the reject file (NDJSON with the reason) and counted.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type MessageToProduce, Producer } from '@platformatic/kafka';
import type { Logger } from '../telemetry/logger.ts';
import type { KafkaConfig } from './config.ts';
import type { ShipperEvent } from './event.ts';
import { shipperMetrics } from './metrics.ts';
import { ThreadProducer, type ThreadProducerOptions } from './producer-thread.ts';
import { type Router, validTopic } from './router.ts';

type Message = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

/** What the output needs of a producer (a test can give a scripted one). */
export interface ProducerLike {
  send(options: { messages: Message[]; acks: number; compression?: KafkaConfig['compression'] }): Promise<unknown>;
  close(force?: boolean): Promise<void>;
}

export interface ShipperOutputOptions {
  config: KafkaConfig;
  bootstrap: readonly string[];
  router: Router;
  rejectFile: string;
  logger: Logger;
  createProducer?: () => ProducerLike;
  random?: () => number;
}

interface Batch {
  messages: Message[];
  events: ShipperEvent[];
  done: boolean;
}

export type OutputState = 'ok' | 'full' | 'unavailable';

export class OutputStoppedError extends Error {
  constructor() {
    super('the shipper output is stopped');
    this.name = 'OutputStoppedError';
  }
}

const ACKS = { all: -1, '1': 1, '0': 0 } as const;

export function backoffMs(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(cap / 2 + (cap / 2) * random());
}

export class ShipperOutput {
  readonly #options: ShipperOutputOptions;
  readonly #config: KafkaConfig;
  #producer: ProducerLike;
  #pendingMessages: Message[] = [];
  #pendingEvents: ShipperEvent[] = [];
  #pendingBytes = 0;
  #linger: NodeJS.Timeout | undefined;
  readonly #batches: Batch[] = [];
  readonly #ready: Batch[] = [];
  #inFlight = 0;
  #queued = 0;
  #waiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  #unavailableSince: number | undefined;
  #stopped = false;
  readonly #abort = new AbortController();

  constructor(options: ShipperOutputOptions) {
    this.#options = options;
    this.#config = options.config;
    this.#producer = this.#newProducer();
    mkdirSync(path.dirname(options.rejectFile), { recursive: true });
  }

  #newProducer(): ProducerLike {
    if (this.#options.createProducer) return this.#options.createProducer();
    const options: ThreadProducerOptions = {
      clientId: this.#config.client_id,
      bootstrapBrokers: [...this.#options.bootstrap],
      acks: ACKS[this.#config.acks],
      compression: this.#config.compression,
      retries: 0,
      timeout: this.#config.request_timeout_ms,
      autocreateTopics: true,
      // Every batch the output has in flight can be on the wire at once (the client's default is 5 per connection).
      maxInflights: this.#config.max_in_flight_batches,
    };
    if (this.#config.producer_thread) return new ThreadProducer(options);
    return new Producer<Buffer, Buffer, Buffer, Buffer>(options) as unknown as ProducerLike;
  }

  /** Events accepted and not yet acknowledged. */
  get queued(): number {
    return this.#queued;
  }

  state(): OutputState {
    if (this.#unavailableSince !== undefined) return 'unavailable';
    return this.#queued >= this.#config.queue_max_events ? 'full' : 'ok';
  }

  /** Takes events, waiting while the queue is full. Rejects with OutputStoppedError after stop(). */
  async publish(events: ShipperEvent[]): Promise<void> {
    const max = this.#config.queue_max_events;
    let from = 0;
    // Taken in parts that fit the queue, so it never holds more than queue_max_events.
    while (from < events.length) {
      while (this.#queued >= max) {
        if (this.#stopped) throw new OutputStoppedError();
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
      }
      if (this.#stopped) throw new OutputStoppedError();
      const take = Math.min(events.length - from, max - this.#queued);
      this.#accept(from === 0 && take === events.length ? events : events.slice(from, from + take));
      from += take;
    }
  }

  /** Takes events only if the queue has room and Kafka answers (the HTTP input's 429/503). */
  offer(events: ShipperEvent[]): OutputState {
    const state = this.#stopped ? 'unavailable' : this.state();
    if (state === 'ok') this.#accept(events);
    return state;
  }

  #accept(events: ShipperEvent[]): void {
    const { router } = this.#options;
    const max = this.#config.max_message_bytes;
    this.#queued += events.length;
    shipperMetrics.queued.set(this.#queued);
    for (const event of events) {
      const { topic, key } = router(event.fields);
      const value = Buffer.from(JSON.stringify(event.fields));
      const keyBuffer = key === undefined ? undefined : Buffer.from(key);
      let reason: string | undefined;
      if (!validTopic(topic)) reason = `invalid topic name ${JSON.stringify(topic)}`;
      else if (value.length + (keyBuffer?.length ?? 0) > max) reason = `message of ${value.length + (keyBuffer?.length ?? 0)} bytes is over max_message_bytes (${max})`;
      if (reason !== undefined) {
        this.#reject(event, topic, reason, value);
        continue;
      }
      const size = value.length + (keyBuffer?.length ?? 0) + 70;
      if (this.#pendingBytes + size > this.#config.batch_max_bytes) this.#flush();
      this.#pendingMessages.push(keyBuffer === undefined ? { topic, value } : { topic, key: keyBuffer, value });
      this.#pendingEvents.push(event);
      this.#pendingBytes += size;
      if (this.#pendingMessages.length >= this.#config.batch_max_events) this.#flush();
    }
    if (this.#pendingMessages.length > 0 && this.#linger === undefined) {
      this.#linger = setTimeout(() => this.#flush(), this.#config.linger_ms);
    }
    this.#drainAcks();
  }

  #reject(event: ShipperEvent, topic: string, reason: string, value: Buffer): void {
    const code = reason.startsWith('invalid topic') ? 'invalid_topic' : 'too_large';
    shipperMetrics.eventsRejected.inc({ input: event.input, topic: validTopic(topic) ? topic : '(invalid)', reason: code });
    const line = `{"@timestamp":${JSON.stringify(new Date().toISOString())},"input":${JSON.stringify(event.input)},"topic":${JSON.stringify(topic)},"reason":${JSON.stringify(reason)},"event":${value.toString()}}\n`;
    try {
      appendFileSync(this.#options.rejectFile, line);
    } catch (error) {
      this.#options.logger.error({ code: 'LOGLANE_ERR_SHIPPER_REJECTED', err: error, reject_file: this.#options.rejectFile }, 'cannot write the reject file');
    }
    this.#options.logger.warn({ code: 'LOGLANE_ERR_SHIPPER_REJECTED', input: event.input, topic, reason, reject_file: this.#options.rejectFile }, 'event not sent to Kafka: written to the reject file');
    // Keeps acks in order: a rejected event is "done" after every earlier batch.
    this.#flush();
    this.#batches.push({ messages: [], events: [event], done: true });
  }

  #flush(): void {
    if (this.#linger !== undefined) {
      clearTimeout(this.#linger);
      this.#linger = undefined;
    }
    if (this.#pendingMessages.length === 0) return;
    const batch: Batch = { messages: this.#pendingMessages, events: this.#pendingEvents, done: false };
    this.#pendingMessages = [];
    this.#pendingEvents = [];
    this.#pendingBytes = 0;
    this.#batches.push(batch);
    if (this.#inFlight < this.#config.max_in_flight_batches) void this.#send(batch);
    else this.#ready.push(batch);
  }

  async #send(batch: Batch): Promise<void> {
    this.#inFlight++;
    const { config } = this;
    let producer = this.#producer;
    for (let attempt = 1; ; attempt++) {
      if (this.#abort.signal.aborted) break;
      try {
        producer = this.#producer;
        await this.#sendWithTimeout(producer, batch.messages);
        if (this.#unavailableSince !== undefined) {
          this.#options.logger.info({ down_ms: Date.now() - this.#unavailableSince }, 'Kafka acknowledges again: shipping resumes');
          this.#unavailableSince = undefined;
        }
        batch.done = true;
        break;
      } catch (error) {
        if (this.#abort.signal.aborted) break;
        if (this.#unavailableSince === undefined) {
          this.#unavailableSince = Date.now();
          this.#options.logger.warn({ code: 'LOGLANE_ERR_SHIPPER_KAFKA_UNAVAILABLE', err: error, bootstrap: this.#options.bootstrap }, 'Kafka does not acknowledge: inputs pause, the registry holds, retrying with backoff');
        }
        shipperMetrics.retries.inc();
        // A client that failed several times in a row is replaced (fresh connections and metadata).
        // (Only if no other batch replaced it already; the old one is closed once sends still on it had their time.)
        if (attempt % 3 === 0 && producer === this.#producer) {
          this.#producer = this.#newProducer();
          const old = producer;
          setTimeout(() => void old.close(true).catch(() => {}), config.request_timeout_ms * 2 + 1000).unref();
        }
        await this.#sleep(backoffMs(attempt, config.backoff_initial_ms, config.backoff_max_ms, this.#options.random ?? Math.random));
      }
    }
    this.#inFlight--;
    if (batch.done) {
      // Counted per batch: a labelled inc per event costs more than the rest of the bookkeeping.
      const bytes = new Map<string, number>();
      const sent = new Map<string, { input: string; topic: string; n: number }>();
      for (let i = 0; i < batch.messages.length; i++) {
        const { topic, value } = batch.messages[i]!;
        bytes.set(topic, (bytes.get(topic) ?? 0) + value!.length);
        const input = batch.events[i]!.input;
        const key = `${input}\u0000${topic}`;
        const entry = sent.get(key);
        if (entry === undefined) sent.set(key, { input, topic, n: 1 });
        else entry.n++;
      }
      for (const [topic, n] of bytes) shipperMetrics.bytesSent.inc({ topic }, n);
      for (const { input, topic, n } of sent.values()) shipperMetrics.eventsSent.inc({ input, topic }, n);
    }
    const next = this.#ready.shift();
    if (next !== undefined && !this.#abort.signal.aborted) void this.#send(next);
    this.#drainAcks();
  }

  /** A send that did not settle in time counts as failed (the client may be stuck on a dead connection). */
  async #sendWithTimeout(producer: ProducerLike, messages: Message[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = this.#config.request_timeout_ms * 2;
    try {
      await Promise.race([
        producer.send({ messages, acks: ACKS[this.#config.acks] }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no produce answer within ${limit} ms`)), limit);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  get config(): KafkaConfig {
    return this.#config;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#abort.signal.addEventListener('abort', done);
    });
  }

  #drainAcks(): void {
    let released = 0;
    while (this.#batches.length > 0 && this.#batches[0]!.done) {
      const batch = this.#batches.shift()!;
      for (const event of batch.events) event.ack?.();
      released += batch.events.length;
    }
    if (released === 0) return;
    this.#queued -= released;
    shipperMetrics.queued.set(this.#queued);
    if (this.#queued < this.#config.queue_max_events) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const wake of waiters) wake();
    }
    if (this.#queued === 0) {
      const idle = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const wake of idle) wake();
    }
  }

  /** Resolves when every accepted event was acknowledged (or after `timeoutMs`); true if drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#flush();
    if (this.#queued === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      new Promise<boolean>((resolve) => this.#idleWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return drained;
  }

  /** Sends what is pending (waiting up to `drainMs` for acks), then stops retrying and closes. */
  async stop(drainMs = 5_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.drain(this.#unavailableSince === undefined ? drainMs : 0);
    this.#abort.abort();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
    await this.#producer.close(true).catch(() => {});
  }
}
