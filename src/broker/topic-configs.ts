/**
 * Topic and broker configuration entries as Kafka names and describes them
 * (DescribeConfigs / AlterConfigs / IncrementalAlterConfigs), with their types,
 * defaults and validation. Values travel as strings, like on the wire.
 */
import type { BrokerConfig } from './config.ts';

/** DescribeConfigs config_type. */
export const ConfigType = { BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9 } as const;
/** DescribeConfigs config_source. */
export const ConfigSource = {
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;
/** DescribeConfigs / AlterConfigs resource_type. */
export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;

const LONG_MAX = '9223372036854775807';
const INT_MAX = 2 ** 31 - 1;

type Kind = 'short' | 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list';

export interface ConfigDefinition {
  name: string;
  kind: Kind;
  /** The broker-level default (from loglane.yml's broker section or Kafka's constant). */
  fallback: (broker: BrokerConfig) => string;
  /** Returns an error message, or null if the value is acceptable. */
  validate?: (value: string) => string | null;
  doc: string;
}

const typeCode: Record<Kind, number> = {
  short: ConfigType.SHORT,
  int: ConfigType.INT,
  long: ConfigType.LONG,
  double: ConfigType.DOUBLE,
  boolean: ConfigType.BOOLEAN,
  string: ConfigType.STRING,
  list: ConfigType.LIST,
};

export function configTypeCode(def: ConfigDefinition): number {
  return typeCode[def.kind];
}

const oneOf =
  (...allowed: string[]) =>
  (value: string) =>
    allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`;

const atLeast = (min: number) => (value: string) => (Number(value) >= min ? null : `must be at least ${min}`);

function checkKind(kind: Kind, value: string): string | null {
  switch (kind) {
    case 'short':
      return /^-?\d+$/.test(value) && Math.abs(Number(value)) <= 32767 ? null : 'must be a 16-bit integer';
    case 'int':
      return /^-?\d+$/.test(value) && Math.abs(Number(value)) <= INT_MAX ? null : 'must be a 32-bit integer';
    case 'long':
      return /^-?\d+$/.test(value) ? null : 'must be an integer';
    case 'double':
      return Number.isFinite(Number(value)) && value.trim() !== '' ? null : 'must be a number';
    case 'boolean':
      return value === 'true' || value === 'false' ? null : 'must be true or false';
    default:
      return null;
  }
}

const constant = (value: string) => () => value;

export const TOPIC_CONFIGS: readonly ConfigDefinition[] = [
  {
    name: 'cleanup.policy',
    kind: 'list',
    fallback: constant('delete'),
    validate: (v) => (v.split(',').every((p) => ['delete', 'compact'].includes(p.trim())) ? null : 'must be delete, compact or compact,delete'),
    doc: 'delete: whole old segments are removed by retention. compact is accepted and reported (Kafka Connect checks it) but loglane does not compact: nothing is removed from a compact topic.',
  },
  {
    name: 'compression.type',
    kind: 'string',
    fallback: constant('producer'),
    validate: (v) => (v === 'producer' ? null : 'loglane stores batches exactly as produced; only compression.type=producer is supported'),
    doc: 'Batches keep the producer\'s compression.',
  },
  { name: 'delete.retention.ms', kind: 'long', fallback: constant('86400000'), validate: atLeast(0), doc: 'Kept for compatibility (compaction).' },
  { name: 'file.delete.delay.ms', kind: 'long', fallback: constant('60000'), validate: atLeast(0), doc: 'Kept for compatibility.' },
  { name: 'flush.messages', kind: 'long', fallback: constant(LONG_MAX), validate: atLeast(1), doc: 'Kept for compatibility; see broker.acks_one_durability.' },
  { name: 'flush.ms', kind: 'long', fallback: constant(LONG_MAX), validate: atLeast(0), doc: 'Kept for compatibility; see broker.flush_interval_ms.' },
  { name: 'index.interval.bytes', kind: 'int', fallback: constant('4096'), validate: atLeast(0), doc: 'Bytes between two offset index entries.' },
  { name: 'max.compaction.lag.ms', kind: 'long', fallback: constant(LONG_MAX), validate: atLeast(1), doc: 'Kept for compatibility.' },
  { name: 'max.message.bytes', kind: 'int', fallback: (b) => String(b.message_max_bytes), validate: atLeast(0), doc: 'Largest record batch accepted (MESSAGE_TOO_LARGE above).' },
  {
    name: 'message.timestamp.type',
    kind: 'string',
    fallback: constant('CreateTime'),
    validate: oneOf('CreateTime', 'LogAppendTime'),
    doc: 'CreateTime keeps the producer\'s timestamps; LogAppendTime stamps batches with the broker\'s clock.',
  },
  { name: 'message.timestamp.before.max.ms', kind: 'long', fallback: constant(LONG_MAX), validate: atLeast(0), doc: 'Kept for compatibility.' },
  { name: 'message.timestamp.after.max.ms', kind: 'long', fallback: constant(LONG_MAX), validate: atLeast(0), doc: 'Kept for compatibility.' },
  { name: 'min.cleanable.dirty.ratio', kind: 'double', fallback: constant('0.5'), doc: 'Kept for compatibility.' },
  { name: 'min.compaction.lag.ms', kind: 'long', fallback: constant('0'), validate: atLeast(0), doc: 'Kept for compatibility.' },
  {
    name: 'min.insync.replicas',
    kind: 'int',
    fallback: constant('1'),
    validate: atLeast(1),
    doc: 'A single-node broker has one replica: acks=all produce to a topic with a value above 1 fails with NOT_ENOUGH_REPLICAS, as in Kafka.',
  },
  { name: 'preallocate', kind: 'boolean', fallback: constant('false'), doc: 'Kept for compatibility.' },
  { name: 'retention.bytes', kind: 'long', fallback: (b) => String(b.log_retention_bytes), validate: atLeast(-1), doc: 'Per partition; -1 is unlimited.' },
  { name: 'retention.ms', kind: 'long', fallback: (b) => String(b.log_retention_ms), validate: atLeast(-1), doc: '-1 is unlimited.' },
  { name: 'segment.bytes', kind: 'int', fallback: (b) => String(b.log_segment_bytes), validate: atLeast(14), doc: 'Size at which a new segment starts.' },
  { name: 'segment.index.bytes', kind: 'int', fallback: constant('10485760'), validate: atLeast(4), doc: 'Kept for compatibility.' },
  { name: 'segment.jitter.ms', kind: 'long', fallback: constant('0'), validate: atLeast(0), doc: 'Kept for compatibility.' },
  { name: 'segment.ms', kind: 'long', fallback: (b) => String(b.log_roll_ms), validate: atLeast(1), doc: 'Age at which a new segment starts.' },
  { name: 'unclean.leader.election.enable', kind: 'boolean', fallback: constant('false'), doc: 'Kept for compatibility.' },
];

const TOPIC_CONFIG_BY_NAME = new Map(TOPIC_CONFIGS.map((d) => [d.name, d]));

export function topicConfigDefinition(name: string): ConfigDefinition | undefined {
  return TOPIC_CONFIG_BY_NAME.get(name);
}

/** Validates one topic config entry; returns an error message for the client, or null. */
export function validateTopicConfig(name: string, value: string | null): string | null {
  const def = TOPIC_CONFIG_BY_NAME.get(name);
  if (!def) return `unknown topic config ${name}`;
  if (value === null) return null;
  return checkKind(def.kind, value) ?? def.validate?.(value) ?? null;
}

/** Broker configs: which exist, their current values, and which may change at runtime (persisted). */
export interface BrokerConfigDefinition {
  name: string;
  kind: Kind;
  value: (broker: BrokerConfig) => string;
  /** The broker config key a dynamic update overrides, if updates are allowed. */
  dynamic?: keyof BrokerConfig;
  validate?: (value: string) => string | null;
}

export const BROKER_CONFIGS: readonly BrokerConfigDefinition[] = [
  { name: 'node.id', kind: 'int', value: (b) => String(b.node_id) },
  { name: 'broker.id', kind: 'int', value: (b) => String(b.node_id) },
  { name: 'listeners', kind: 'list', value: (b) => `PLAINTEXT://${b.host}:${b.port}` },
  { name: 'advertised.listeners', kind: 'list', value: (b) => `PLAINTEXT://${b.advertised_host ?? b.host}:${b.advertised_port ?? b.port}` },
  { name: 'auto.create.topics.enable', kind: 'boolean', value: (b) => String(b.auto_create_topics), dynamic: 'auto_create_topics' },
  { name: 'num.partitions', kind: 'int', value: (b) => String(b.num_partitions), dynamic: 'num_partitions', validate: atLeast(1) },
  { name: 'default.replication.factor', kind: 'short', value: constant('1') },
  { name: 'min.insync.replicas', kind: 'int', value: constant('1') },
  { name: 'delete.topic.enable', kind: 'boolean', value: constant('true') },
  { name: 'message.max.bytes', kind: 'int', value: (b) => String(b.message_max_bytes), dynamic: 'message_max_bytes', validate: atLeast(1024) },
  { name: 'socket.request.max.bytes', kind: 'int', value: (b) => String(b.socket_request_max_bytes) },
  { name: 'log.retention.ms', kind: 'long', value: (b) => String(b.log_retention_ms), dynamic: 'log_retention_ms', validate: atLeast(-1) },
  { name: 'log.retention.bytes', kind: 'long', value: (b) => String(b.log_retention_bytes), dynamic: 'log_retention_bytes', validate: atLeast(-1) },
  { name: 'log.segment.bytes', kind: 'int', value: (b) => String(b.log_segment_bytes), dynamic: 'log_segment_bytes', validate: atLeast(14) },
  { name: 'log.roll.ms', kind: 'long', value: (b) => String(b.log_roll_ms), dynamic: 'log_roll_ms', validate: atLeast(1) },
  { name: 'log.retention.check.interval.ms', kind: 'long', value: (b) => String(b.retention_check_interval_ms) },
  { name: 'log.flush.interval.ms', kind: 'long', value: (b) => String(b.flush_interval_ms) },
  { name: 'group.initial.rebalance.delay.ms', kind: 'int', value: (b) => String(b.group_initial_rebalance_delay_ms) },
  { name: 'group.min.session.timeout.ms', kind: 'int', value: (b) => String(b.group_min_session_timeout_ms) },
  { name: 'group.max.session.timeout.ms', kind: 'int', value: (b) => String(b.group_max_session_timeout_ms) },
  { name: 'offsets.retention.minutes', kind: 'int', value: (b) => String(Math.round(b.offsets_retention_ms / 60_000)) },
];

const BROKER_CONFIG_BY_NAME = new Map(BROKER_CONFIGS.map((d) => [d.name, d]));

export function brokerConfigDefinition(name: string): BrokerConfigDefinition | undefined {
  return BROKER_CONFIG_BY_NAME.get(name);
}

export function brokerConfigTypeCode(def: BrokerConfigDefinition): number {
  return typeCode[def.kind];
}

/** Validates a dynamic broker config update; returns an error message or null. */
export function validateBrokerConfig(name: string, value: string | null): string | null {
  const def = BROKER_CONFIG_BY_NAME.get(name);
  if (!def) return `unknown broker config ${name}`;
  if (!def.dynamic) return `${name} cannot be changed at runtime; set it in loglane.yml and restart`;
  if (value === null) return null;
  return checkKind(def.kind, value) ?? def.validate?.(value) ?? null;
}

/** Applies dynamic broker config overrides (Kafka names → values) on top of the file's broker section. */
export function effectiveBrokerConfig(base: BrokerConfig, overrides: Readonly<Record<string, string>>): BrokerConfig {
  const result: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    const def = BROKER_CONFIG_BY_NAME.get(name);
    if (!def?.dynamic) continue;
    result[def.dynamic] = def.kind === 'boolean' ? value === 'true' : Number(value);
  }
  return result as BrokerConfig;
}
