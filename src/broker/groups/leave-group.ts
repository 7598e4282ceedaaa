import { KafkaError } from '../protocol/error-codes.ts';
import type { Rebalancer } from './rebalance.ts';
import type { LeaveGroupMemberResult, LeaveGroupRequest, LeaveGroupResult } from './types.ts';

/**
 * LeaveGroup (Kafka's classicGroupLeave), batched as in v3+ (KIP-345): each member is named
 * by member id, by group instance id, or both. Each gets its own error code; the group
 * rebalances once for the whole batch.
 */
export function leaveGroup(rebalancer: Rebalancer, request: LeaveGroupRequest): LeaveGroupResult {
  const { ctx } = rebalancer;
  if (ctx.closed) return { errorCode: KafkaError.NOT_COORDINATOR, members: [] };
  if (request.groupId === '') return { errorCode: KafkaError.INVALID_GROUP_ID, members: [] };
  const group = ctx.groups.get(request.groupId);
  if (group === undefined) return { errorCode: KafkaError.UNKNOWN_MEMBER_ID, members: [] };
  if (group.state === 'Dead') return { errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE, members: [] };

  const results: LeaveGroupMemberResult[] = [];
  const left: string[] = [];
  for (const { memberId, groupInstanceId, reason } of request.members) {
    let errorCode: number = KafkaError.NONE;
    if (memberId === '') {
      // Removal by instance id alone (admin tools).
      const staticMemberId = groupInstanceId === null ? undefined : group.staticMembers.get(groupInstanceId);
      if (staticMemberId === undefined) errorCode = KafkaError.UNKNOWN_MEMBER_ID;
      else left.push(remove(staticMemberId, reason));
    } else if (group.pendingJoinMembers.has(memberId)) {
      group.remove(memberId);
      left.push(memberId);
    } else {
      errorCode = group.validateMember(memberId, groupInstanceId);
      if (errorCode === KafkaError.NONE) left.push(remove(memberId, reason));
    }
    results.push({ memberId, groupInstanceId, errorCode });
  }

  if (left.length > 0) {
    const why = `members ${left.join(', ')} left the group`;
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') {
      rebalancer.maybePrepareRebalanceOrCompleteJoin(group, why);
    } else if (group.state === 'PreparingRebalance') {
      rebalancer.maybeCompleteJoinPhase(group);
    }
  }
  return { errorCode: KafkaError.NONE, members: results };

  function remove(memberId: string, reason: string | null): string {
    ctx.logger.info(
      { groupId: request.groupId, memberId, reason: reason ?? 'not provided' },
      'group member left through LeaveGroup',
    );
    rebalancer.dropMember(group!, group!.members.get(memberId)!);
    return memberId;
  }
}
