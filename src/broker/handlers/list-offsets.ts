/**
 * ListOffsets: -1 latest (the high watermark), -2 earliest (the log start offset), -3 the
 * offset of the largest timestamp (KIP-734), -4 earliest local (= earliest: no tiered
 * storage), -5 latest tiered (none: -1), otherwise the first offset whose timestamp is
 * at least the one asked for (at batch granularity; see PartitionLog.offsetForTimestamp).
 */
import type { PartitionLog } from '../log/partition-log.ts';
import { KafkaError } from '../protocol/error-codes.ts';
import { listOffsetsApi } from '../protocol/messages/list-offsets.ts';
import { LEADER_EPOCH } from '../topic-manager.ts';
import { defineHandler } from './handler.ts';

export const LATEST = -1;
export const EARLIEST = -2;
export const MAX_TIMESTAMP = -3;
export const EARLIEST_LOCAL = -4;
export const LATEST_TIERED = -5;

export async function lookupOffset(log: PartitionLog, timestamp: number): Promise<{ offset: number; timestamp: number }> {
  switch (timestamp) {
    case LATEST:
      return { offset: log.logEndOffset, timestamp: -1 };
    case EARLIEST:
    case EARLIEST_LOCAL:
      return { offset: log.logStartOffset, timestamp: -1 };
    case LATEST_TIERED:
      return { offset: -1, timestamp: -1 };
    case MAX_TIMESTAMP:
      return log.maxTimestampOffset() ?? { offset: -1, timestamp: -1 };
    default:
      return (await log.offsetForTimestamp(timestamp)) ?? { offset: -1, timestamp: -1 };
  }
}

export const listOffsetsHandler = defineHandler(listOffsetsApi, async (request, ctx) => ({
  throttleTimeMs: 0,
  topics: await Promise.all(request.topics.map(async (t) => ({
    name: t.name,
    partitions: await Promise.all(t.partitions.map(async (p) => {
      const log = ctx.broker.topics.partition(t.name, p.partitionIndex);
      if (!log) return { partitionIndex: p.partitionIndex, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, oldStyleOffsets: [] };
      if (p.currentLeaderEpoch > LEADER_EPOCH) return { partitionIndex: p.partitionIndex, errorCode: KafkaError.UNKNOWN_LEADER_EPOCH, oldStyleOffsets: [] };
      const found = await lookupOffset(log, p.timestamp);
      return {
        partitionIndex: p.partitionIndex,
        errorCode: KafkaError.NONE,
        oldStyleOffsets: found.offset >= 0 ? [found.offset] : [],
        timestamp: found.timestamp,
        offset: found.offset,
        leaderEpoch: LEADER_EPOCH,
      };
    })),
  }))),
}));
