import { KafkaError } from '../protocol/error-codes.ts';
import type { Rebalancer } from './rebalance.ts';
import type { HeartbeatRequest } from './types.ts';

/**
 * Heartbeat (Kafka's classicGroupHeartbeat): keeps the member's session alive and tells it
 * when to rejoin. Returns a Kafka error code.
 */
export function heartbeat(rebalancer: Rebalancer, request: HeartbeatRequest): number {
  const { ctx } = rebalancer;
  if (ctx.closed) return KafkaError.NOT_COORDINATOR;
  if (request.groupId === '') return KafkaError.INVALID_GROUP_ID;
  const group = ctx.groups.get(request.groupId);
  if (group === undefined) return KafkaError.UNKNOWN_MEMBER_ID;
  if (group.state === 'Dead') return KafkaError.COORDINATOR_NOT_AVAILABLE;
  const error = group.validateMember(request.memberId, request.groupInstanceId);
  if (error !== KafkaError.NONE) return error;
  if (request.generationId !== group.generationId) return KafkaError.ILLEGAL_GENERATION;

  const member = group.members.get(request.memberId)!;
  switch (group.state) {
    case 'Empty':
      return KafkaError.UNKNOWN_MEMBER_ID;
    case 'PreparingRebalance':
      rebalancer.rescheduleHeartbeat(group, member);
      return KafkaError.REBALANCE_IN_PROGRESS;
    default:
      // CompletingRebalance too: members may heartbeat between their JoinGroup and SyncGroup.
      rebalancer.rescheduleHeartbeat(group, member);
      return KafkaError.NONE;
  }
}
