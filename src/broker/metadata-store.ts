/**
 * The broker's durable metadata: cluster id, topics (id, partition count, config
 * overrides) and dynamic broker configs. One small JSON file, replaced atomically
 * (write a temporary file, fsync, rename, fsync the folder) on every change, so a crash
 * leaves either the old or the new state, never a mix.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { LoglaneError } from '../errors/loglane-error.ts';

export interface TopicMetadata {
  readonly name: string;
  /** Topic id as a UUID string (Metadata v10+, Fetch v13+). */
  readonly id: string;
  readonly partitions: number;
  /** Config overrides set by CreateTopics/AlterConfigs (Kafka names → string values). */
  readonly configs: Readonly<Record<string, string>>;
}

interface MetadataFile {
  version: 1;
  cluster_id: string;
  topics: TopicMetadata[];
  broker_configs: Record<string, string>;
  /** Producer ids below this were handed out (or reserved) already. */
  next_producer_id_block?: number;
}

const FILE = 'metadata.json';

export class MetadataStore {
  readonly dir: string;
  readonly clusterId: string;
  /** True when no metadata file existed and this one was just created. */
  readonly fresh: boolean;
  #topics = new Map<string, TopicMetadata>();
  #brokerConfigs: Record<string, string>;
  #nextProducerIdBlock: number;

  private constructor(dir: string, state: MetadataFile, fresh: boolean) {
    this.dir = dir;
    this.fresh = fresh;
    this.clusterId = state.cluster_id;
    for (const topic of state.topics) this.#topics.set(topic.name, Object.freeze({ ...topic, configs: Object.freeze({ ...topic.configs }) }));
    this.#brokerConfigs = { ...state.broker_configs };
    this.#nextProducerIdBlock = state.next_producer_id_block ?? 0;
  }

  static open(dir: string): MetadataStore {
    const file = path.join(dir, FILE);
    let state: MetadataFile;
    let fresh = false;
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as MetadataFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new LoglaneError('LOGLANE_ERR_BROKER_STORAGE', `cannot read broker metadata ${file}: ${(error as Error).message}`, {
          retriable: false,
          cause: error,
          context: { file },
        });
      }
      state = { version: 1, cluster_id: newClusterId(), topics: [], broker_configs: {} };
      writeAtomically(dir, state);
      fresh = true;
    }
    return new MetadataStore(dir, state, fresh);
  }

  topics(): TopicMetadata[] {
    return [...this.#topics.values()];
  }

  topic(name: string): TopicMetadata | undefined {
    return this.#topics.get(name);
  }

  topicById(id: string): TopicMetadata | undefined {
    for (const topic of this.#topics.values()) if (topic.id === id) return topic;
    return undefined;
  }

  brokerConfigs(): Readonly<Record<string, string>> {
    return this.#brokerConfigs;
  }

  get nextProducerIdBlock(): number {
    return this.#nextProducerIdBlock;
  }

  reserveProducerIds(upTo: number): void {
    this.#nextProducerIdBlock = upTo;
    this.#persist(this.#topics, this.#brokerConfigs);
  }

  putTopic(topic: Omit<TopicMetadata, 'id'> & { id?: string }): TopicMetadata {
    const stored: TopicMetadata = Object.freeze({
      name: topic.name,
      id: topic.id ?? this.#topics.get(topic.name)?.id ?? randomUUID(),
      partitions: topic.partitions,
      configs: Object.freeze({ ...topic.configs }),
    });
    const next = new Map(this.#topics);
    next.set(stored.name, stored);
    this.#persist(next, this.#brokerConfigs);
    this.#topics = next;
    return stored;
  }

  deleteTopic(name: string): void {
    const next = new Map(this.#topics);
    next.delete(name);
    this.#persist(next, this.#brokerConfigs);
    this.#topics = next;
  }

  setBrokerConfigs(configs: Record<string, string>): void {
    this.#persist(this.#topics, configs);
    this.#brokerConfigs = { ...configs };
  }

  #persist(topics: Map<string, TopicMetadata>, brokerConfigs: Record<string, string>): void {
    writeAtomically(this.dir, {
      version: 1,
      cluster_id: this.clusterId,
      topics: [...topics.values()],
      broker_configs: brokerConfigs,
      next_producer_id_block: this.#nextProducerIdBlock,
    });
  }
}

/** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding (22 characters). */
function newClusterId(): string {
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
}

function writeAtomically(dir: string, state: MetadataFile): void {
  const file = path.join(dir, FILE);
  const temp = `${file}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o644);
    try {
      writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch (error) {
    throw new LoglaneError('LOGLANE_ERR_BROKER_STORAGE', `cannot write broker metadata ${file}: ${(error as Error).message}`, {
      retriable: true,
      cause: error,
      context: { file },
    });
  }
}
