/** OffsetCommit, OffsetFetch (single- and multi-group versions) and OffsetDelete. */
import type { OffsetFetchResult } from '../groups/types.ts';
import { KafkaError } from '../protocol/error-codes.ts';
import { offsetCommitApi } from '../protocol/messages/offset-commit.ts';
import { offsetDeleteApi } from '../protocol/messages/offset-delete.ts';
import { offsetFetchApi } from '../protocol/messages/offset-fetch.ts';
import { defineHandler } from './handler.ts';

/** Groups per-partition results by topic, keeping the order topics first appear in. */
function byTopic<T extends { topic: string }>(rows: readonly T[]): [string, T[]][] {
  const topics = new Map<string, T[]>();
  for (const row of rows) {
    let list = topics.get(row.topic);
    if (!list) topics.set(row.topic, (list = []));
    list.push(row);
  }
  return [...topics];
}

export const offsetCommitHandler = defineHandler(offsetCommitApi, async (request, ctx) => {
  const results = await ctx.broker.groups.commitOffsets({
    groupId: request.groupId,
    generationId: ctx.apiVersion >= 1 ? request.generationIdOrMemberEpoch : -1,
    memberId: ctx.apiVersion >= 1 ? request.memberId : '',
    groupInstanceId: request.groupInstanceId,
    offsets: request.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch,
        metadata: p.committedMetadata,
      })),
    ),
  });
  return {
    throttleTimeMs: 0,
    topics: byTopic(results).map(([name, partitions]) => ({
      name,
      partitions: partitions.map((p) => ({ partitionIndex: p.partition, errorCode: p.errorCode })),
    })),
  };
});

export const offsetFetchHandler = defineHandler(offsetFetchApi, (request, ctx) => {
  const fetch = (groupId: string, topics: readonly { name: string; partitionIndexes: number[] }[] | null) =>
    ctx.broker.groups.fetchOffsets({
      groupId,
      partitions: topics === null ? null : topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition }))),
      requireStable: request.requireStable,
    });
  const topicsOf = (result: OffsetFetchResult) =>
    byTopic(result.partitions).map(([name, partitions]) => ({
      name,
      partitions: partitions.map((p) => ({
        partitionIndex: p.partition,
        committedOffset: p.offset,
        committedLeaderEpoch: p.leaderEpoch,
        // Kafka answers "" when nothing is committed.
        metadata: p.metadata ?? '',
        errorCode: p.errorCode,
      })),
    }));
  if (ctx.apiVersion >= 8) {
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((g) => {
        const result = fetch(g.groupId, g.topics as typeof g.topics | null);
        return { groupId: g.groupId, topics: topicsOf(result), errorCode: result.errorCode };
      }),
    };
  }
  const result = fetch(request.groupId, request.topics as typeof request.topics | null);
  const topics = topicsOf(result);
  // v0-1 have no top-level error code: a group-level error goes into every partition.
  if (ctx.apiVersion < 2 && result.errorCode !== KafkaError.NONE) {
    for (const t of topics) for (const p of t.partitions) p.errorCode ||= result.errorCode;
  }
  return { throttleTimeMs: 0, topics, errorCode: result.errorCode };
});

export const offsetDeleteHandler = defineHandler(offsetDeleteApi, async (request, ctx) => {
  const result = await ctx.broker.groups.deleteOffsets(
    request.groupId,
    request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex }))),
  );
  return {
    errorCode: result.errorCode,
    throttleTimeMs: 0,
    topics: byTopic(result.partitions).map(([name, partitions]) => ({
      name,
      partitions: partitions.map((p) => ({ partitionIndex: p.partition, errorCode: p.errorCode })),
    })),
  };
});
