import { KafkaError } from '../protocol/error-codes.ts';
import type { Rebalancer } from './rebalance.ts';
import { syncError } from './responses.ts';
import type { SyncGroupRequest, SyncGroupResult } from './types.ts';

/**
 * SyncGroup (Kafka's classicGroupSync): the leader hands in the assignment, followers wait
 * for it; everyone is answered once the generation with its assignment is durable in the
 * offset log. The broker never looks inside the assignment bytes, so any client-side
 * assignor (range, roundrobin, cooperative-sticky) works.
 */
export function syncGroup(rebalancer: Rebalancer, request: SyncGroupRequest): Promise<SyncGroupResult> {
  const { ctx } = rebalancer;
  if (ctx.closed) return Promise.resolve(syncError(KafkaError.NOT_COORDINATOR));
  if (request.groupId === '') return Promise.resolve(syncError(KafkaError.INVALID_GROUP_ID));
  const group = ctx.groups.get(request.groupId);
  if (group === undefined || group.state === 'Empty') return Promise.resolve(syncError(KafkaError.UNKNOWN_MEMBER_ID));
  if (group.state === 'Dead') return Promise.resolve(syncError(KafkaError.COORDINATOR_NOT_AVAILABLE));

  const error = group.validateMember(request.memberId, request.groupInstanceId);
  if (error !== KafkaError.NONE) return Promise.resolve(syncError(error));
  if (request.generationId !== group.generationId) return Promise.resolve(syncError(KafkaError.ILLEGAL_GENERATION));
  // KIP-559 (SyncGroup v5): the client names the protocol it thinks the group uses.
  if (
    (request.protocolType !== null && request.protocolType !== group.protocolType) ||
    (request.protocolName !== null && request.protocolName !== group.protocolName)
  ) {
    return Promise.resolve(syncError(KafkaError.INCONSISTENT_GROUP_PROTOCOL));
  }

  const member = group.members.get(request.memberId)!;
  switch (group.state) {
    case 'PreparingRebalance':
      return Promise.resolve(syncError(KafkaError.REBALANCE_IN_PROGRESS));
    case 'CompletingRebalance': {
      const { promise, resolve } = Promise.withResolvers<SyncGroupResult>();
      member.completeSync(syncError(KafkaError.REBALANCE_IN_PROGRESS));
      member.awaitingSync = resolve;
      rebalancer.removePendingSyncMember(group, member.memberId);
      if (group.isLeader(member.memberId)) {
        const assignments = new Map(request.assignments.map((a) => [a.memberId, a.assignment]));
        const missing = [...group.members.keys()].filter((id) => !assignments.has(id));
        if (missing.length > 0) {
          ctx.logger.warn(
            { groupId: group.groupId, generationId: group.generationId, members: missing },
            'leader sent no assignment for some members; they get an empty one',
          );
        }
        // Answered, with the followers, once the generation is stored.
        rebalancer.completeGeneration(group, assignments);
      }
      return promise;
    }
    default:
      // Stable: the member missed the answer or syncs late; give it its current assignment.
      rebalancer.removePendingSyncMember(group, member.memberId);
      return Promise.resolve({
        errorCode: KafkaError.NONE,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        assignment: member.assignment,
      });
  }
}
