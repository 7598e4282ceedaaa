import { KafkaError } from '../protocol/error-codes.ts';
import type { GroupCoordinatorConfig } from './config.ts';
import type { ClassicGroup } from './group.ts';
import { groupMetadataToStore } from './group-persistence.ts';
import type { GroupMember } from './member.ts';
import type { OffsetStore } from './offset-store.ts';
import { joinError, syncError } from './responses.ts';
import type { Scheduler } from './scheduler.ts';
import type { JoinGroupResult } from './types.ts';

const EMPTY = Buffer.alloc(0);

/** The subset of pino's API the coordinator logs through. */
export interface CoordinatorLogger {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export const silentLogger: CoordinatorLogger = { info() {}, warn() {}, error() {} };

/** What every part of the coordinator shares. */
export interface CoordinatorContext {
  readonly config: Readonly<GroupCoordinatorConfig>;
  readonly scheduler: Scheduler;
  readonly groups: Map<string, ClassicGroup>;
  readonly store: OffsetStore;
  readonly logger: CoordinatorLogger;
  /** Offset commits accepted but not yet durable, per group (retention leaves those groups alone). */
  readonly commitsInFlight: Map<string, number>;
  closed: boolean;
}

/**
 * The classic-group state machine behind JoinGroup, SyncGroup, Heartbeat and LeaveGroup:
 * preparing a rebalance, completing the join phase (with the initial delay), propagating
 * the leader's assignment, and the session, join and sync timers. Modelled on Kafka's
 * GroupMetadataManager; the request-specific rules live in join-group.ts, sync-group.ts,
 * heartbeat.ts and leave-group.ts.
 */
export class Rebalancer {
  readonly ctx: CoordinatorContext;

  constructor(ctx: CoordinatorContext) {
    this.ctx = ctx;
  }

  /** A timer's group is still the live one (not deleted, replaced or closed). */
  isLive(group: ClassicGroup): boolean {
    return !this.ctx.closed && group.state !== 'Dead' && this.ctx.groups.get(group.groupId) === group;
  }

  rescheduleHeartbeat(group: ClassicGroup, member: GroupMember, timeoutMs = member.sessionTimeoutMs): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = this.ctx.scheduler.schedule(timeoutMs, () => this.expireHeartbeat(group, member));
  }

  schedulePendingMemberExpiry(group: ClassicGroup, memberId: string, sessionTimeoutMs: number): void {
    const timer = this.ctx.scheduler.schedule(sessionTimeoutMs, () => {
      if (this.isLive(group) && group.pendingJoinMembers.has(memberId)) this.removePendingMember(group, memberId);
    });
    group.pendingJoinMembers.set(memberId, timer);
  }

  private expireHeartbeat(group: ClassicGroup, member: GroupMember): void {
    if (!this.isLive(group) || group.members.get(member.memberId) !== member) return;
    if (member.hasSatisfiedHeartbeat) return;
    this.ctx.logger.info(
      { groupId: group.groupId, memberId: member.memberId },
      'group member removed: session timeout expired',
    );
    this.removeMemberAndUpdate(group, member);
  }

  /** Removes a member, answering its parked requests with UNKNOWN_MEMBER_ID, and moves the group on. */
  removeMemberAndUpdate(group: ClassicGroup, member: GroupMember): void {
    this.dropMember(group, member);
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') {
      this.maybePrepareRebalanceOrCompleteJoin(group, `member ${member.memberId} removed`);
    } else if (group.state === 'PreparingRebalance' && group.hasAllMembersJoined()) {
      this.completeJoin(group);
    }
  }

  /** Removes a member without moving the group on (the caller does, once for a batch). */
  dropMember(group: ClassicGroup, member: GroupMember): void {
    member.completeJoin(joinError(KafkaError.UNKNOWN_MEMBER_ID, ''));
    member.completeSync(syncError(KafkaError.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
  }

  removePendingMember(group: ClassicGroup, memberId: string): void {
    group.remove(memberId);
    if (group.state === 'PreparingRebalance' && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  maybePrepareRebalanceOrCompleteJoin(group: ClassicGroup, reason: string): void {
    if (group.canRebalance) this.prepareRebalance(group, reason);
    else this.maybeCompleteJoinPhase(group);
  }

  maybeCompleteJoinPhase(group: ClassicGroup): void {
    if (group.state !== 'PreparingRebalance') return;
    // During the initial rebalance only the delay timer completes the phase.
    if (group.previousState === 'Empty') return;
    if (group.hasAllMembersJoined()) this.completeJoin(group);
  }

  prepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.state === 'CompletingRebalance') {
      for (const member of group.members.values()) member.assignment = EMPTY;
      this.propagateAssignment(group, KafkaError.REBALANCE_IN_PROGRESS);
    }
    group.pendingSyncMembers.clear();
    group.syncTimer?.cancel();
    group.syncTimer = null;

    const isInitialRebalance = group.state === 'Empty';
    if (isInitialRebalance) {
      const delayMs = this.ctx.config.initialRebalanceDelayMs;
      const remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
      this.scheduleJoinTimer(group, delayMs, () => this.tryCompleteInitialRebalance(group, delayMs, remainingMs));
    }
    group.transitionTo('PreparingRebalance', this.ctx.scheduler.now());
    this.ctx.logger.info(
      { groupId: group.groupId, generationId: group.generationId, reason },
      'group preparing to rebalance',
    );
    if (isInitialRebalance) return;
    if (group.hasAllMembersJoined()) this.completeJoin(group);
    else this.scheduleJoinTimer(group, group.rebalanceTimeoutMs(), () => this.completeJoin(group));
  }

  /**
   * The initial delay: as long as new members keep arriving, wait another delay, but never
   * longer in total than the rebalance timeout.
   */
  private tryCompleteInitialRebalance(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    if (group.newMemberAdded && remainingMs !== 0) {
      group.newMemberAdded = false;
      const nextDelayMs = Math.min(this.ctx.config.initialRebalanceDelayMs, remainingMs);
      const nextRemainingMs = Math.max(remainingMs - delayMs, 0);
      this.scheduleJoinTimer(group, nextDelayMs, () =>
        this.tryCompleteInitialRebalance(group, nextDelayMs, nextRemainingMs),
      );
    } else {
      this.completeJoin(group);
    }
  }

  private scheduleJoinTimer(group: ClassicGroup, delayMs: number, task: () => void): void {
    group.joinTimer?.cancel();
    group.joinTimer = this.ctx.scheduler.schedule(delayMs, () => {
      if (this.isLive(group)) task();
    });
  }

  /** Ends the join phase: drops members that did not rejoin and starts the next generation. */
  completeJoin(group: ClassicGroup): void {
    group.joinTimer?.cancel();
    group.joinTimer = null;
    // Static members keep their place: their session timeout decides whether they are gone.
    for (const member of [...group.members.values()]) {
      if (!member.isAwaitingJoin && !member.isStatic) {
        this.ctx.logger.info(
          { groupId: group.groupId, memberId: member.memberId },
          'group member removed: did not rejoin before the rebalance timeout',
        );
        this.dropMember(group, member);
      }
    }
    if (group.state === 'Dead') return;
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Only static members that did not rejoin are left: wait for them or for their session timeouts.
      this.scheduleJoinTimer(group, group.rebalanceTimeoutMs(), () => this.completeJoin(group));
      return;
    }
    group.initNextGeneration(this.ctx.scheduler.now());
    if (group.state === 'Empty') {
      // Nobody waits for this write; the log is in order, so it lands before anything later.
      this.persistGroup(group);
      this.ctx.logger.info({ groupId: group.groupId, generationId: group.generationId }, 'group is now empty');
      return;
    }
    this.ctx.logger.info(
      { groupId: group.groupId, generationId: group.generationId, members: group.members.size },
      'group completed its join phase',
    );
    const allMembers = group.joinMembers();
    for (const member of group.members.values()) {
      const isLeader = group.isLeader(member.memberId);
      member.completeJoin(this.currentGenerationResult(group, member.memberId, isLeader ? allMembers : []));
      this.rescheduleHeartbeat(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    const generationId = group.generationId;
    group.syncTimer?.cancel();
    group.syncTimer = this.ctx.scheduler.schedule(group.rebalanceTimeoutMs(), () =>
      this.expirePendingSync(group, generationId),
    );
  }

  currentGenerationResult(
    group: ClassicGroup,
    memberId: string,
    members: JoinGroupResult['members'],
    leader = group.leaderId ?? '',
    skipAssignment = false,
  ): JoinGroupResult {
    return {
      errorCode: KafkaError.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader,
      skipAssignment,
      memberId,
      members,
    };
  }

  /** Members that got their JoinGroup answer but never sent SyncGroup are removed. */
  private expirePendingSync(group: ClassicGroup, generationId: number): void {
    if (!this.isLive(group) || group.generationId !== generationId) return;
    if (group.state !== 'CompletingRebalance' && group.state !== 'Stable') return;
    if (group.pendingSyncMembers.size === 0) return;
    const missing = [...group.pendingSyncMembers];
    for (const memberId of missing) {
      const member = group.members.get(memberId);
      if (member !== undefined) this.dropMember(group, member);
    }
    this.ctx.logger.info({ groupId: group.groupId, members: missing }, 'group members removed: no SyncGroup in time');
    this.prepareRebalance(group, `members ${missing.join(', ')} did not sync in time`);
  }

  removePendingSyncMember(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) {
      group.syncTimer?.cancel();
      group.syncTimer = null;
    }
  }

  /**
   * The leader's assignment completes the generation (every member gets its own bytes,
   * missing ones empty). The group is stored with it first; once that is durable the group
   * becomes Stable and the parked SyncGroups are answered, so a member never holds an
   * assignment a restart could take back (Kafka's classicGroupSync). If the group moved on
   * meanwhile (a rebalance, a sync timeout, close), whatever moved it has answered. If the
   * write fails, the members get COORDINATOR_NOT_AVAILABLE and the group rebalances.
   */
  completeGeneration(group: ClassicGroup, assignments: ReadonlyMap<string, Buffer>): void {
    const generationId = group.generationId;
    const complete = new Map<string, Buffer>();
    for (const memberId of group.members.keys()) complete.set(memberId, assignments.get(memberId) ?? EMPTY);
    const stillCompleting = () =>
      this.isLive(group) && group.state === 'CompletingRebalance' && group.generationId === generationId;
    this.ctx.store.saveGroup(group.groupId, groupMetadataToStore(group, complete)).then(
      () => {
        if (!stillCompleting()) return;
        for (const member of group.members.values()) member.assignment = complete.get(member.memberId) ?? EMPTY;
        this.propagateAssignment(group, KafkaError.NONE);
        group.transitionTo('Stable', this.ctx.scheduler.now());
        this.ctx.logger.info(
          { groupId: group.groupId, generationId: group.generationId, members: group.members.size },
          'group is stable',
        );
      },
      (err: unknown) => {
        this.ctx.logger.error({ groupId: group.groupId, generationId, err }, 'could not store the group assignment');
        if (!stillCompleting()) return;
        for (const member of group.members.values()) member.assignment = EMPTY;
        this.propagateAssignment(group, KafkaError.COORDINATOR_NOT_AVAILABLE);
        this.maybePrepareRebalanceOrCompleteJoin(group, 'the group assignment could not be stored');
      },
    );
  }

  /**
   * Answers a member parked in a Stable group once the group, as it is now, is stored: a
   * static member that rejoined under a new member id without a rebalance must not learn
   * the id before a restart would bring it back. If the group rebalances meanwhile, the
   * join phase answers the member instead; if the write fails, it gets
   * COORDINATOR_NOT_AVAILABLE and joins again.
   */
  storeThenAnswerJoin(group: ClassicGroup, member: GroupMember, result: JoinGroupResult): void {
    const generationId = group.generationId;
    const parked = member.awaitingJoin;
    const stillParked = () =>
      this.isLive(group) &&
      group.state === 'Stable' &&
      group.generationId === generationId &&
      group.members.get(member.memberId) === member &&
      member.awaitingJoin === parked;
    this.ctx.store.saveGroup(group.groupId, groupMetadataToStore(group)).then(
      () => {
        if (stillParked()) member.completeJoin(result);
      },
      (err: unknown) => {
        this.ctx.logger.error({ groupId: group.groupId, memberId: member.memberId, err }, 'could not store the group');
        if (stillParked()) member.completeJoin(joinError(KafkaError.COORDINATOR_NOT_AVAILABLE, member.memberId));
      },
    );
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === KafkaError.NONE;
    for (const member of group.members.values()) {
      const answered = member.completeSync({
        errorCode,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: member.assignment,
      });
      // Restart the session clock: the member could not heartbeat usefully while parked.
      if (answered) this.rescheduleHeartbeat(group, member);
    }
  }

  /** Records the group as it is now in the offset log, without waiting for it. */
  persistGroup(group: ClassicGroup): void {
    if (this.ctx.closed) return;
    this.ctx.store
      .saveGroup(group.groupId, groupMetadataToStore(group))
      .catch((error: unknown) => {
        this.ctx.logger.error({ groupId: group.groupId, err: error }, 'could not persist group metadata');
      });
  }
}
