/**
 * Per-partition log configuration: Kafka's topic config names in camelCase, as numbers
 * with their unit in the name. Validated once, then frozen; `PartitionLog.updateConfig`
 * swaps the whole object at runtime.
 */
import { KafkaError, KafkaProtocolError } from '../protocol/error-codes.ts';

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface LogConfig {
  /** `segment.bytes`: roll the active segment before it would exceed this size. */
  segmentBytes: number;
  /** `segment.ms`: roll the active segment once its first append is older than this. */
  segmentMs: number;
  /** `retention.ms`: delete segments whose newest timestamp is older; -1 = keep forever. */
  retentionMs: number;
  /** `retention.bytes`: delete oldest segments while the partition is larger; -1 = unlimited. */
  retentionBytes: number;
  /** `index.interval.bytes`: bytes of batches between two sparse index entries. */
  indexIntervalBytes: number;
  /** `max.message.bytes`: largest batch a producer may append. */
  maxMessageBytes: number;
  /** `message.timestamp.type`. */
  messageTimestampType: TimestampType;
  /** `flush.messages`: fsync after this many records; MAX_SAFE_INTEGER = only on flush(). */
  flushMessages: number;
  /** `flush.ms`: fsync at this interval when data is pending; MAX_SAFE_INTEGER = never. */
  flushMs: number;
  /** `producer.id.expiration.ms` (a broker setting in Kafka): forget idle producer ids. */
  producerIdExpirationMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Largest value setInterval accepts; flushMs above it disables the timer. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  indexIntervalBytes: 4096,
  maxMessageBytes: 1024 * 1024 + 12,
  messageTimestampType: 'CreateTime',
  flushMessages: Number.MAX_SAFE_INTEGER,
  flushMs: Number.MAX_SAFE_INTEGER,
  producerIdExpirationMs: DAY_MS,
});

interface IntRule {
  kafkaName: string;
  min: number;
  max: number;
}

/** Positions inside a segment are int32, so a segment stays below 2 GiB. */
const INT_RULES: Record<Exclude<keyof LogConfig, 'messageTimestampType'>, IntRule> = {
  segmentBytes: { kafkaName: 'segment.bytes', min: 1, max: 2 ** 31 - 1 },
  segmentMs: { kafkaName: 'segment.ms', min: 1, max: Number.MAX_SAFE_INTEGER },
  retentionMs: { kafkaName: 'retention.ms', min: -1, max: Number.MAX_SAFE_INTEGER },
  retentionBytes: { kafkaName: 'retention.bytes', min: -1, max: Number.MAX_SAFE_INTEGER },
  indexIntervalBytes: { kafkaName: 'index.interval.bytes', min: 0, max: 2 ** 31 - 1 },
  maxMessageBytes: { kafkaName: 'max.message.bytes', min: 0, max: 2 ** 31 - 1 },
  flushMessages: { kafkaName: 'flush.messages', min: 1, max: Number.MAX_SAFE_INTEGER },
  flushMs: { kafkaName: 'flush.ms', min: 0, max: Number.MAX_SAFE_INTEGER },
  producerIdExpirationMs: { kafkaName: 'producer.id.expiration.ms', min: 1, max: Number.MAX_SAFE_INTEGER },
};

/**
 * Fills defaults and validates. A bad value raises INVALID_CONFIG (the code CreateTopics
 * and AlterConfigs answer with) naming both our key and Kafka's.
 */
export function resolveLogConfig(overrides: Partial<LogConfig> = {}): Readonly<LogConfig> {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (key === 'messageTimestampType') {
      if (value !== 'CreateTime' && value !== 'LogAppendTime') {
        throw invalid(`messageTimestampType (message.timestamp.type) must be CreateTime or LogAppendTime, got ${String(value)}`);
      }
      config.messageTimestampType = value;
      continue;
    }
    const rule = INT_RULES[key as keyof typeof INT_RULES];
    if (rule === undefined) throw invalid(`unknown log config key ${key}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
      throw invalid(`${key} (${rule.kafkaName}) must be an integer in [${rule.min}, ${rule.max}], got ${String(value)}`);
    }
    config[key as keyof typeof INT_RULES] = value;
  }
  return Object.freeze(config);
}

function invalid(message: string): KafkaProtocolError {
  return new KafkaProtocolError(KafkaError.INVALID_CONFIG, message);
}
