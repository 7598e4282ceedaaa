/**
 * Topics and their partition logs: creation (explicit and automatic), deletion, more
 * partitions, config changes, retention, and the append notifications that wake
 * long-polling fetches. The durable truth is the MetadataStore (written first) plus one
 * PartitionLog folder per partition; on start, partition folders of topics that are not
 * in the metadata (a crash between the two steps) are removed.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../telemetry/logger.ts';
import type { BrokerConfig } from './config.ts';
import type { LogConfig } from './log/log-config.ts';
import { PartitionLog } from './log/partition-log.ts';
import type { MetadataStore, TopicMetadata } from './metadata-store.ts';
import { KafkaError, KafkaProtocolError } from './protocol/error-codes.ts';
import { TOPIC_CONFIGS, validateTopicConfig } from './topic-configs.ts';

/** A leader epoch that never changes: this broker is the only replica of every partition. */
export const LEADER_EPOCH = 0;

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

export interface Topic {
  readonly meta: TopicMetadata;
  readonly partitions: readonly PartitionLog[];
}

export type AppendListener = (topic: string, partition: number) => void;

export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `topic name is longer than ${MAX_TOPIC_NAME_LENGTH} characters`;
  if (!LEGAL_TOPIC.test(name)) return `topic name "${name}" has characters other than ASCII letters, digits, '.', '_' and '-'`;
  return null;
}

export class TopicManager {
  readonly #logsDir: string;
  readonly #metadata: MetadataStore;
  readonly #logger: Logger;
  #broker: BrokerConfig;
  readonly #topics = new Map<string, Topic>();
  readonly #listeners = new Set<AppendListener>();

  private constructor(logsDir: string, metadata: MetadataStore, broker: BrokerConfig, logger: Logger) {
    this.#logsDir = logsDir;
    this.#metadata = metadata;
    this.#broker = broker;
    this.#logger = logger;
  }

  static async open(logsDir: string, metadata: MetadataStore, broker: BrokerConfig, logger: Logger): Promise<TopicManager> {
    const manager = new TopicManager(logsDir, metadata, broker, logger);
    manager.#reconcileFolders();
    for (const meta of metadata.topics()) await manager.#openTopic(meta);
    return manager;
  }

  get brokerConfig(): BrokerConfig {
    return this.#broker;
  }

  /** Dynamic broker config changed: topics without overrides follow the new defaults. */
  updateBrokerConfig(broker: BrokerConfig): void {
    this.#broker = broker;
    for (const topic of this.#topics.values()) this.#applyConfig(topic);
  }

  topics(): Topic[] {
    return [...this.#topics.values()];
  }

  topic(name: string): Topic | undefined {
    return this.#topics.get(name);
  }

  topicById(id: string): Topic | undefined {
    const meta = this.#metadata.topicById(id);
    return meta ? this.#topics.get(meta.name) : undefined;
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.#topics.get(topic)?.partitions[partition];
  }

  /** Effective configs of a topic: its overrides on top of the broker defaults. */
  topicConfigs(name: string): { name: string; value: string; override: boolean }[] {
    const meta = this.#topics.get(name)?.meta;
    return TOPIC_CONFIGS.map((def) => {
      const override = meta?.configs[def.name];
      return { name: def.name, value: override ?? def.fallback(this.#broker), override: override !== undefined };
    });
  }

  onAppend(listener: AppendListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notifyAppend(topic: string, partition: number): void {
    for (const listener of this.#listeners) listener(topic, partition);
  }

  /**
   * Creates a topic. Throws KafkaProtocolError with Kafka's codes: TOPIC_ALREADY_EXISTS,
   * INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG.
   */
  async createTopic(
    name: string,
    options: { partitions: number; replicationFactor: number; configs?: Record<string, string | null>; validateOnly?: boolean },
  ): Promise<Topic | null> {
    const problem = topicNameProblem(name);
    if (problem) throw new KafkaProtocolError(KafkaError.INVALID_TOPIC_EXCEPTION, problem);
    if (this.#topics.has(name)) throw new KafkaProtocolError(KafkaError.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    const partitions = options.partitions === -1 ? this.#broker.num_partitions : options.partitions;
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > 100_000) {
      throw new KafkaProtocolError(KafkaError.INVALID_PARTITIONS, `Number of partitions must be at least 1 (got ${options.partitions}).`);
    }
    if (options.replicationFactor !== -1 && options.replicationFactor !== 1) {
      throw new KafkaProtocolError(
        KafkaError.INVALID_REPLICATION_FACTOR,
        `Replication factor ${options.replicationFactor} is larger than the number of brokers: this is a single-node broker, use 1 (or -1 for the default).`,
      );
    }
    const configs: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.configs ?? {})) {
      const error = validateTopicConfig(key, value);
      if (error) throw new KafkaProtocolError(KafkaError.INVALID_CONFIG, `Invalid value ${JSON.stringify(value)} for configuration ${key}: ${error}`);
      if (value !== null) configs[key] = value;
    }
    if (options.validateOnly) return null;
    const meta = this.#metadata.putTopic({ name, partitions, configs });
    const topic = await this.#openTopic(meta);
    this.#logger.info({ topic: name, partitions, configs }, 'topic created');
    return topic;
  }

  /** Auto-creation on Metadata/Produce when allowed; returns the topic or undefined. */
  async autoCreate(name: string): Promise<Topic | undefined> {
    const existing = this.#topics.get(name);
    if (existing || !this.#broker.auto_create_topics || topicNameProblem(name)) return existing;
    try {
      return (await this.createTopic(name, { partitions: -1, replicationFactor: -1 })) ?? undefined;
    } catch (error) {
      if (error instanceof KafkaProtocolError && error.errorCode === KafkaError.TOPIC_ALREADY_EXISTS) return this.#topics.get(name);
      throw error;
    }
  }

  async deleteTopic(name: string): Promise<void> {
    const topic = this.#topics.get(name);
    if (!topic) throw new KafkaProtocolError(KafkaError.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    this.#metadata.deleteTopic(name);
    this.#topics.delete(name);
    for (const log of topic.partitions) await log.delete();
    this.#logger.info({ topic: name }, 'topic deleted');
  }

  async createPartitions(name: string, count: number, validateOnly: boolean): Promise<void> {
    const topic = this.#topics.get(name);
    if (!topic) throw new KafkaProtocolError(KafkaError.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    if (count <= topic.partitions.length) {
      throw new KafkaProtocolError(
        KafkaError.INVALID_PARTITIONS,
        `Topic currently has ${topic.partitions.length} partitions, which is higher than or equal to the requested ${count}.`,
      );
    }
    if (validateOnly) return;
    const meta = this.#metadata.putTopic({ ...topic.meta, partitions: count });
    await this.#openTopic(meta, topic);
  }

  /** Replaces (AlterConfigs) or edits (IncrementalAlterConfigs) a topic's overrides. */
  alterTopicConfigs(name: string, configs: Record<string, string>, validateOnly: boolean): void {
    const topic = this.#topics.get(name);
    if (!topic) throw new KafkaProtocolError(KafkaError.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    for (const [key, value] of Object.entries(configs)) {
      const error = validateTopicConfig(key, value);
      if (error) throw new KafkaProtocolError(KafkaError.INVALID_CONFIG, `Invalid value ${JSON.stringify(value)} for configuration ${key}: ${error}`);
    }
    if (validateOnly) return;
    const meta = this.#metadata.putTopic({ ...topic.meta, configs });
    const updated: Topic = { meta, partitions: topic.partitions };
    this.#topics.set(name, updated);
    this.#applyConfig(updated);
  }

  /** Deletes whole old segments by retention.ms / retention.bytes in every partition. */
  async applyRetention(now = Date.now()): Promise<number> {
    let deleted = 0;
    for (const topic of [...this.#topics.values()]) {
      for (const log of topic.partitions) {
        try {
          deleted += (await log.applyRetention(now)).deleted.length;
        } catch (error) {
          this.#logger.error({ err: error, topic: topic.meta.name }, 'retention failed');
        }
      }
    }
    return deleted;
  }

  async close(): Promise<void> {
    const logs = [...this.#topics.values()].flatMap((t) => t.partitions);
    this.#topics.clear();
    await Promise.all(logs.map((log) => log.close()));
  }

  logConfigFor(meta: TopicMetadata): Partial<LogConfig> {
    const value = (name: string) => meta.configs[name] ?? TOPIC_CONFIGS.find((d) => d.name === name)!.fallback(this.#broker);
    const bounded = (name: string) => Math.min(Number(value(name)), Number.MAX_SAFE_INTEGER);
    return {
      segmentBytes: bounded('segment.bytes'),
      segmentMs: bounded('segment.ms'),
      retentionMs: bounded('retention.ms'),
      retentionBytes: bounded('retention.bytes'),
      indexIntervalBytes: bounded('index.interval.bytes'),
      maxMessageBytes: bounded('max.message.bytes'),
      messageTimestampType: value('message.timestamp.type') === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
      flushMessages: bounded('flush.messages'),
      flushMs: bounded('flush.ms'),
    };
  }

  #applyConfig(topic: Topic): void {
    const config = this.logConfigFor(topic.meta);
    for (const log of topic.partitions) log.updateConfig(config);
  }

  async #openTopic(meta: TopicMetadata, existing?: Topic): Promise<Topic> {
    const config = this.logConfigFor(meta);
    const partitions: PartitionLog[] = existing ? [...existing.partitions] : [];
    for (let p = partitions.length; p < meta.partitions; p++) {
      partitions.push(
        await PartitionLog.open(path.join(this.#logsDir, `${meta.name}-${p}`), { config, logger: this.#logger.child({ topic: meta.name, partition: p }), leaderEpoch: LEADER_EPOCH }),
      );
    }
    const topic: Topic = { meta, partitions };
    this.#topics.set(meta.name, topic);
    return topic;
  }

  /**
   * Partition folders and metadata must agree. With a metadata file, folders of topics it
   * does not list are leftovers of a deletion interrupted by a crash, and are removed.
   * Without one (lost or deleted by hand) the folders are the only truth left: their
   * topics are re-registered with default configs instead of being thrown away.
   */
  #reconcileFolders(): void {
    let entries: string[];
    try {
      entries = readdirSync(this.#logsDir);
    } catch {
      return;
    }
    const found = new Map<string, number>();
    for (const entry of entries) {
      const dash = entry.lastIndexOf('-');
      const topic = entry.slice(0, dash);
      const partition = Number(entry.slice(dash + 1));
      if (dash <= 0 || !Number.isInteger(partition) || partition < 0 || topicNameProblem(topic)) continue;
      if (this.#metadata.fresh) {
        found.set(topic, Math.max(found.get(topic) ?? 0, partition + 1));
        continue;
      }
      const meta = this.#metadata.topic(topic);
      if (meta && partition < meta.partitions) continue;
      this.#logger.warn({ folder: entry }, 'removing a partition folder that belongs to no topic (left by a crash during topic deletion)');
      rmSync(path.join(this.#logsDir, entry), { recursive: true, force: true });
    }
    for (const [name, partitions] of found) {
      this.#logger.warn({ topic: name, partitions }, 'broker metadata was missing: re-registering a topic found on disk with default configs');
      this.#metadata.putTopic({ name, partitions, configs: {} });
    }
  }
}
