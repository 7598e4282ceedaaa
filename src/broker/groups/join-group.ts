import { randomUUID } from 'node:crypto';
import { KafkaError } from '../protocol/error-codes.ts';
import { ClassicGroup } from './group.ts';
import { GroupMember } from './member.ts';
import type { Rebalancer } from './rebalance.ts';
import { joinError } from './responses.ts';
import type { JoinGroupRequest, JoinGroupResult } from './types.ts';

type Answer = (result: JoinGroupResult) => void;

/**
 * JoinGroup (Kafka's classicGroupJoin): validates the request, creates the group for a
 * new member, and either answers at once (errors, KIP-394 MEMBER_ID_REQUIRED, a follower
 * rejoining a Stable group unchanged, a static member replacing its old id) or parks the
 * request until the join phase completes.
 */
export function joinGroup(rebalancer: Rebalancer, request: JoinGroupRequest): Promise<JoinGroupResult> {
  const { ctx } = rebalancer;
  const { config } = ctx;
  if (ctx.closed) return Promise.resolve(joinError(KafkaError.NOT_COORDINATOR, request.memberId));
  if (request.groupId === '') return Promise.resolve(joinError(KafkaError.INVALID_GROUP_ID, request.memberId));
  if (request.sessionTimeoutMs < config.minSessionTimeoutMs || request.sessionTimeoutMs > config.maxSessionTimeoutMs) {
    return Promise.resolve(joinError(KafkaError.INVALID_SESSION_TIMEOUT, request.memberId));
  }
  const isUnknownMember = request.memberId === '';
  let group = ctx.groups.get(request.groupId);
  if (group === undefined) {
    if (!isUnknownMember) return Promise.resolve(joinError(KafkaError.UNKNOWN_MEMBER_ID, request.memberId));
    group = new ClassicGroup(request.groupId, ctx.scheduler.now());
    ctx.groups.set(request.groupId, group);
  }

  const { promise, resolve } = Promise.withResolvers<JoinGroupResult>();
  const join = new JoinAttempt(rebalancer, group, request, resolve);
  let immediate: JoinGroupResult | null;
  if (!join.acceptsMember()) immediate = join.rejectForGroupSize();
  else if (isUnknownMember) immediate = join.joinNewMember();
  else immediate = join.joinExistingMember();
  if (immediate !== null) resolve(immediate);
  return promise;
}

/**
 * One JoinGroup request being applied to one group. Each step returns the answer to send
 * at once, or null when the request is parked (answered later through `answer`).
 */
class JoinAttempt {
  private readonly rebalancer: Rebalancer;
  private readonly group: ClassicGroup;
  private readonly request: JoinGroupRequest;
  private readonly answer: Answer;
  private readonly rebalanceTimeoutMs: number;

  constructor(rebalancer: Rebalancer, group: ClassicGroup, request: JoinGroupRequest, answer: Answer) {
    this.rebalancer = rebalancer;
    this.group = group;
    this.request = request;
    this.answer = answer;
    const rebalanceTimeoutMs = request.rebalanceTimeoutMs ?? -1;
    this.rebalanceTimeoutMs = rebalanceTimeoutMs < 0 ? request.sessionTimeoutMs : rebalanceTimeoutMs;
  }

  private get protocolNames(): string[] {
    return this.request.protocols.map((p) => p.name);
  }

  private reason(what: string): string {
    return `${what}; client reason: ${this.request.reason ?? 'not provided'}`;
  }

  /** Kafka's acceptJoiningMember: the group.max.size rule. */
  acceptsMember(): boolean {
    const { group, request } = this;
    const max = this.rebalancer.ctx.config.groupMaxSize;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        // Counting members already waiting lets the last rejoining members be the ones refused.
        return group.members.get(request.memberId)?.isAwaitingJoin === true || group.awaitingJoinCount() < max;
      default:
        return group.members.has(request.memberId) || group.members.size < max;
    }
  }

  rejectForGroupSize(): JoinGroupResult {
    const { group, request } = this;
    const member = group.members.get(request.memberId);
    if (member !== undefined) this.rebalancer.removeMemberAndUpdate(group, member);
    else if (group.pendingJoinMembers.has(request.memberId)) this.rebalancer.removePendingMember(group, request.memberId);
    return joinError(KafkaError.GROUP_MAX_SIZE_REACHED, '');
  }

  joinNewMember(): JoinGroupResult | null {
    const { group, request } = this;
    if (group.state === 'Dead') return joinError(KafkaError.COORDINATOR_NOT_AVAILABLE, '');
    if (!group.supportsProtocols(request.protocolType, this.protocolNames)) {
      return joinError(KafkaError.INCONSISTENT_GROUP_PROTOCOL, '');
    }
    const newMemberId = `${request.groupInstanceId ?? request.clientId}-${randomUUID()}`;
    if (request.groupInstanceId !== null) {
      const existingMemberId = group.staticMembers.get(request.groupInstanceId);
      if (existingMemberId !== undefined) return this.replaceStaticMember(existingMemberId, newMemberId);
      return this.addMember(newMemberId);
    }
    if (request.requireKnownMemberId) {
      // KIP-394: remember the id and ask the client to come back with it.
      this.rebalancer.schedulePendingMemberExpiry(group, newMemberId, request.sessionTimeoutMs);
      return joinError(KafkaError.MEMBER_ID_REQUIRED, newMemberId);
    }
    return this.addMember(newMemberId);
  }

  joinExistingMember(): JoinGroupResult | null {
    const { group, request } = this;
    const { memberId } = request;
    if (group.state === 'Dead') return joinError(KafkaError.COORDINATOR_NOT_AVAILABLE, memberId);
    if (!group.supportsProtocols(request.protocolType, this.protocolNames)) {
      return joinError(KafkaError.INCONSISTENT_GROUP_PROTOCOL, memberId);
    }
    if (group.pendingJoinMembers.has(memberId) && request.groupInstanceId === null) return this.addMember(memberId);
    const error = group.validateMember(memberId, request.groupInstanceId);
    if (error !== KafkaError.NONE) return joinError(error, memberId);

    const member = group.members.get(memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberThenRebalance(member, this.reason(`member ${memberId} joined during rebalance`));
      case 'CompletingRebalance':
        if (member.matches(request.protocols)) {
          // The member probably missed its JoinGroup answer: send this generation's again.
          const members = group.isLeader(memberId) ? group.joinMembers() : [];
          return this.rebalancer.currentGenerationResult(group, memberId, members);
        }
        return this.updateMemberThenRebalance(member, this.reason(`member ${memberId} changed its metadata`));
      case 'Stable':
        if (group.isLeader(memberId)) {
          // A leader rejoins to make the group reassign (for example after a topic change).
          return this.updateMemberThenRebalance(member, this.reason(`leader ${memberId} rejoined`));
        }
        if (!member.matches(request.protocols)) {
          return this.updateMemberThenRebalance(member, this.reason(`member ${memberId} changed its metadata`));
        }
        return this.rebalancer.currentGenerationResult(group, memberId, []);
      default:
        return joinError(KafkaError.UNKNOWN_MEMBER_ID, memberId);
    }
  }

  /** Parks this request on the member; an older parked JoinGroup of the same member is released. */
  private park(member: GroupMember): void {
    member.completeJoin(joinError(KafkaError.REBALANCE_IN_PROGRESS, member.memberId));
    member.awaitingJoin = this.answer;
  }

  private updateMemberThenRebalance(member: GroupMember, reason: string): null {
    const { group, request } = this;
    group.updateMember(member, request.protocols, this.rebalanceTimeoutMs, request.sessionTimeoutMs);
    this.park(member);
    this.rebalancer.maybePrepareRebalanceOrCompleteJoin(group, reason);
    return null;
  }

  private addMember(memberId: string): null {
    const { group, request, rebalancer } = this;
    const member = new GroupMember({
      memberId,
      groupInstanceId: request.groupInstanceId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      protocolType: request.protocolType,
      protocols: request.protocols,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: this.rebalanceTimeoutMs,
    });
    member.isNew = true;
    if (group.state === 'PreparingRebalance' && group.previousState === 'Empty') group.newMemberAdded = true;
    group.add(member);
    this.park(member);
    // A new member cannot heartbeat while its JoinGroup is parked; bound how long it may stay.
    rebalancer.rescheduleHeartbeat(group, member, rebalancer.ctx.config.newMemberJoinTimeoutMs);
    rebalancer.maybePrepareRebalanceOrCompleteJoin(
      group,
      this.reason(`new member ${memberId} (instance ${request.groupInstanceId ?? 'none'}) joined`),
    );
    return null;
  }

  /**
   * KIP-345: a known static instance rejoined with no member id. Its old id is fenced and
   * it continues under a new id. A Stable group whose selected protocol stays the same does
   * not rebalance: the member gets the current generation and its previous assignment, once
   * the group is stored with the new id.
   */
  private replaceStaticMember(oldMemberId: string, newMemberId: string): null {
    const { group, request, rebalancer } = this;
    const instanceId = request.groupInstanceId!;
    const previousLeader = group.leaderId ?? '';
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
    rebalancer.rescheduleHeartbeat(group, member);
    group.updateMember(member, request.protocols, this.rebalanceTimeoutMs, request.sessionTimeoutMs);
    this.park(member);

    if (group.state === 'Stable') {
      if (group.protocolName === group.selectProtocol()) {
        rebalancer.ctx.logger.info(
          { groupId: group.groupId, groupInstanceId: instanceId, memberId: newMemberId },
          'static member rejoined without a rebalance',
        );
        let result: JoinGroupResult;
        if (request.supportsSkipAssignment === true) {
          // KIP-814: a rejoining static leader learns it leads but must not reassign.
          const isLeader = group.isLeader(newMemberId);
          const members = isLeader ? group.joinMembers() : [];
          result = rebalancer.currentGenerationResult(group, newMemberId, members, undefined, isLeader);
        } else {
          // Older clients are told the previous leader id, so a rejoining leader acts as a follower.
          result = rebalancer.currentGenerationResult(group, newMemberId, [], previousLeader);
        }
        // The new member id must be durable before the member uses it.
        rebalancer.storeThenAnswerJoin(group, member, result);
      } else {
        rebalancer.maybePrepareRebalanceOrCompleteJoin(
          group,
          this.reason(`static member ${instanceId} rejoined with a change of protocol`),
        );
      }
    } else if (group.state === 'CompletingRebalance') {
      // The leader may already have assigned to the old id: assign again.
      rebalancer.prepareRebalance(group, this.reason(`static member ${instanceId} rejoined`));
    } else {
      rebalancer.maybeCompleteJoinPhase(group);
    }
    return null;
  }
}
