import { KafkaError } from '../protocol/error-codes.ts';
import { ClassicGroup } from './group.ts';
import type { OffsetToStore } from './offset-store.ts';
import type { Rebalancer } from './rebalance.ts';
import type {
  OffsetCommitPartitionResult,
  OffsetCommitRequest,
  OffsetDeleteResult,
  OffsetFetchPartitionResult,
  OffsetFetchRequest,
  OffsetFetchResult,
  TopicPartition,
} from './types.ts';

/**
 * OffsetCommit (Kafka's OffsetMetadataManager.commitOffset and ClassicGroup.
 * validateOffsetCommit). Answers per partition, and only after the offsets are durable.
 */
export async function commitOffsets(
  rebalancer: Rebalancer,
  request: OffsetCommitRequest,
): Promise<OffsetCommitPartitionResult[]> {
  const { ctx } = rebalancer;
  const all = (errorCode: number) => request.offsets.map(({ topic, partition }) => ({ topic, partition, errorCode }));
  if (ctx.closed) return all(KafkaError.NOT_COORDINATOR);
  if (request.groupId === '') return all(KafkaError.INVALID_GROUP_ID);

  let group = ctx.groups.get(request.groupId);
  if (group === undefined) {
    // OffsetCommit < v9 answers ILLEGAL_GENERATION for an unknown group (v9+: GROUP_ID_NOT_FOUND).
    if (request.generationId >= 0) return all(KafkaError.ILLEGAL_GENERATION);
    // A standalone consumer (assign()) or an admin tool: a "simple" group holding only offsets.
    group = new ClassicGroup(request.groupId, ctx.scheduler.now());
    ctx.groups.set(request.groupId, group);
  }
  const error = validateOffsetCommit(group, request);
  if (error !== KafkaError.NONE) return all(error);

  // In the classic protocol a commit also counts as a sign of life.
  if (group.state === 'Stable' || group.state === 'PreparingRebalance') {
    const member = group.members.get(request.memberId);
    if (member !== undefined) rebalancer.rescheduleHeartbeat(group, member);
  }

  const results: OffsetCommitPartitionResult[] = [];
  const toStore: OffsetToStore[] = [];
  for (const { topic, partition, offset, leaderEpoch, metadata } of request.offsets) {
    // Kafka counts the metadata string's characters against offset.metadata.max.bytes.
    if (metadata !== null && metadata.length > ctx.config.offsetMetadataMaxBytes) {
      results.push({ topic, partition, errorCode: KafkaError.OFFSET_METADATA_TOO_LARGE });
      continue;
    }
    results.push({ topic, partition, errorCode: KafkaError.NONE });
    toStore.push({ topic, partition, offset, leaderEpoch, metadata: metadata ?? '' });
  }
  if (toStore.length === 0) return results;
  const inFlight = ctx.commitsInFlight;
  inFlight.set(request.groupId, (inFlight.get(request.groupId) ?? 0) + 1);
  try {
    await ctx.store.commit(request.groupId, toStore, ctx.scheduler.now());
  } catch (err) {
    ctx.logger.error({ groupId: request.groupId, err }, 'could not store committed offsets');
    for (const result of results) {
      if (result.errorCode === KafkaError.NONE) result.errorCode = KafkaError.COORDINATOR_NOT_AVAILABLE;
    }
  } finally {
    const left = inFlight.get(request.groupId)! - 1;
    if (left === 0) inFlight.delete(request.groupId);
    else inFlight.set(request.groupId, left);
  }
  return results;
}

function validateOffsetCommit(group: ClassicGroup, request: OffsetCommitRequest): number {
  if (group.state === 'Dead') return KafkaError.COORDINATOR_NOT_AVAILABLE;
  if (request.generationId < 0 && group.state === 'Empty') return KafkaError.NONE;
  if (request.generationId >= 0 || request.memberId !== '' || request.groupInstanceId !== null) {
    const error = group.validateMember(request.memberId, request.groupInstanceId);
    if (error !== KafkaError.NONE) return error;
    if (request.generationId !== group.generationId) return KafkaError.ILLEGAL_GENERATION;
  } else if (group.state !== 'Empty') {
    // No member and no generation: only allowed while nobody is in the group.
    return KafkaError.UNKNOWN_MEMBER_ID;
  }
  // The member has its JoinGroup answer but not its assignment yet: let it retry after sync.
  if (group.state === 'CompletingRebalance') return KafkaError.REBALANCE_IN_PROGRESS;
  return KafkaError.NONE;
}

/**
 * OffsetFetch. `requireStable` (v7+) is accepted and has nothing to wait for: there are no
 * transactional offset commits, and a commit is visible only once it is durable.
 */
export function fetchOffsets(rebalancer: Rebalancer, request: OffsetFetchRequest): OffsetFetchResult {
  const { ctx } = rebalancer;
  if (ctx.closed) return { errorCode: KafkaError.NOT_COORDINATOR, partitions: [] };
  if (request.groupId === '') return { errorCode: KafkaError.INVALID_GROUP_ID, partitions: [] };
  const stored = ctx.store.group(request.groupId);
  const partitions: OffsetFetchPartitionResult[] = [];
  if (request.partitions === null) {
    for (const [topic, byPartition] of stored?.offsets ?? []) {
      for (const [partition, o] of byPartition) {
        partitions.push({ topic, partition, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: 0 });
      }
    }
  } else {
    for (const { topic, partition } of request.partitions) {
      const o = stored?.offsets.get(topic)?.get(partition);
      partitions.push(
        o === undefined
          ? { topic, partition, offset: -1, leaderEpoch: -1, metadata: null, errorCode: KafkaError.NONE }
          : { topic, partition, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: 0 },
      );
    }
  }
  return { errorCode: KafkaError.NONE, partitions };
}

/**
 * OffsetDelete (KIP-496): refused for a non-empty group that is not a consumer group, and
 * per partition for topics an active member subscribes to.
 */
export async function deleteOffsets(
  rebalancer: Rebalancer,
  groupId: string,
  partitions: TopicPartition[],
): Promise<OffsetDeleteResult> {
  const { ctx } = rebalancer;
  if (ctx.closed) return { errorCode: KafkaError.NOT_COORDINATOR, partitions: [] };
  if (groupId === '') return { errorCode: KafkaError.INVALID_GROUP_ID, partitions: [] };
  const group = ctx.groups.get(groupId);
  if (group === undefined || group.state === 'Dead') return { errorCode: KafkaError.GROUP_ID_NOT_FOUND, partitions: [] };
  if (group.state !== 'Empty' && !group.usesConsumerProtocol) {
    return { errorCode: KafkaError.NON_EMPTY_GROUP, partitions: [] };
  }
  const stored = ctx.store.group(groupId);
  const results: OffsetDeleteResult['partitions'] = [];
  const toDelete: TopicPartition[] = [];
  for (const { topic, partition } of partitions) {
    if (group.isSubscribedToTopic(topic)) {
      results.push({ topic, partition, errorCode: KafkaError.GROUP_SUBSCRIBED_TO_TOPIC });
      continue;
    }
    results.push({ topic, partition, errorCode: KafkaError.NONE });
    if (stored?.offsets.get(topic)?.has(partition)) toDelete.push({ topic, partition });
  }
  if (toDelete.length > 0) {
    try {
      await ctx.store.deleteOffsets(groupId, toDelete);
    } catch (err) {
      ctx.logger.error({ groupId, err }, 'could not delete committed offsets');
      return { errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE, partitions: [] };
    }
  }
  return { errorCode: KafkaError.NONE, partitions: results };
}
