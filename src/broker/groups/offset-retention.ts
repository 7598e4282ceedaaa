import type { ClassicGroup } from './group.ts';
import type { StoredOffset } from './offset-store.ts';
import type { CoordinatorContext } from './rebalance.ts';
import type { TopicPartition } from './types.ts';

export interface ExpiryReport {
  expiredOffsets: number;
  deletedGroups: string[];
}

/**
 * The instant from which an offset's retention is counted, or null if the group's offsets
 * do not expire now (Kafka's ClassicGroup.offsetExpirationCondition, KIP-211):
 * - a group with a protocol type that is Empty: since it became Empty;
 * - a Stable consumer group with known subscriptions: unsubscribed topics since their commit;
 * - a group without protocol type (standalone commits only): since the commit.
 */
function retentionBase(group: ClassicGroup): ((offset: StoredOffset) => number) | null {
  if (group.protocolType === null) return (offset) => offset.commitTimestampMs;
  if (group.state === 'Empty') return () => group.stateTimestampMs;
  if (group.usesConsumerProtocol && group.subscribedTopics !== null && group.state === 'Stable') {
    return (offset) => offset.commitTimestampMs;
  }
  return null;
}

/**
 * Deletes expired offsets, and groups that are Empty and hold no offsets any more (the
 * periodic cleanup of Kafka's GroupCoordinatorShard). Resolves once the deletions are durable.
 */
export async function expireOffsets(ctx: CoordinatorContext): Promise<ExpiryReport> {
  const now = ctx.scheduler.now();
  const report: ExpiryReport = { expiredOffsets: 0, deletedGroups: [] };
  const writes: Promise<void>[] = [];
  for (const group of [...ctx.groups.values()]) {
    // A commit on its way to disk would be deleted right after it is acknowledged: next time.
    if (ctx.commitsInFlight.has(group.groupId)) continue;
    const offsets = ctx.store.group(group.groupId)?.offsets;
    let allExpired = true;
    if (offsets !== undefined && offsets.size > 0) {
      const base = retentionBase(group);
      if (base === null) continue;
      const expired: TopicPartition[] = [];
      for (const [topic, partitions] of offsets) {
        if (group.isSubscribedToTopic(topic)) {
          allExpired = false;
          continue;
        }
        for (const [partition, offset] of partitions) {
          if (now - base(offset) >= ctx.config.offsetsRetentionMs) expired.push({ topic, partition });
          else allExpired = false;
        }
      }
      if (expired.length > 0) {
        report.expiredOffsets += expired.length;
        writes.push(ctx.store.deleteOffsets(group.groupId, expired));
      }
    }
    if (allExpired && group.state === 'Empty' && group.pendingJoinMembers.size === 0) {
      group.cancelGroupTimers();
      group.transitionTo('Dead', now);
      ctx.groups.delete(group.groupId);
      report.deletedGroups.push(group.groupId);
      writes.push(ctx.store.deleteGroup(group.groupId));
    }
  }
  if (report.expiredOffsets > 0 || report.deletedGroups.length > 0) {
    ctx.logger.info({ ...report }, 'expired committed offsets and groups');
  }
  const outcomes = await Promise.allSettled(writes);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') ctx.logger.error({ err: outcome.reason }, 'could not store offset expiry');
  }
  return report;
}
