import { KafkaError } from '../protocol/error-codes.ts';
import { type GroupCoordinatorConfig, resolveGroupCoordinatorConfig } from './config.ts';
import type { ClassicGroup } from './group.ts';
import { restoreGroups } from './group-persistence.ts';
import { heartbeat } from './heartbeat.ts';
import { joinGroup } from './join-group.ts';
import { leaveGroup } from './leave-group.ts';
import { commitOffsets, deleteOffsets, fetchOffsets } from './offset-commit.ts';
import { type ExpiryReport, expireOffsets } from './offset-retention.ts';
import { OffsetStore } from './offset-store.ts';
import { type CoordinatorContext, type CoordinatorLogger, Rebalancer, silentLogger } from './rebalance.ts';
import { joinError, syncError } from './responses.ts';
import { type Scheduler, systemScheduler, type TimerHandle } from './scheduler.ts';
import { syncGroup } from './sync-group.ts';
import type {
  DeleteGroupResult,
  DescribedGroup,
  GroupOffsets,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupRequest,
  LeaveGroupResult,
  ListGroupsResult,
  OffsetCommitPartitionResult,
  OffsetCommitRequest,
  OffsetDeleteResult,
  OffsetFetchRequest,
  OffsetFetchResult,
  SyncGroupRequest,
  SyncGroupResult,
  TopicPartition,
} from './types.ts';

export interface GroupCoordinatorOptions {
  /** A directory the coordinator owns (created if missing); holds the offset log. */
  dataDir: string;
  config?: Partial<GroupCoordinatorConfig>;
  /** Real timers by default; tests pass a fake one. */
  scheduler?: Scheduler;
  logger?: CoordinatorLogger;
}

/**
 * The classic-protocol consumer group coordinator of the single-node broker, independent
 * of the wire: handlers pass decoded requests as plain objects and encode the results.
 * JoinGroup and SyncGroup may stay pending until the group moves on; every pending request
 * is answered, at the latest by `close()`.
 */
export class GroupCoordinator {
  readonly #ctx: CoordinatorContext;
  readonly #rebalancer: Rebalancer;
  #retentionTimer: TimerHandle | null = null;
  #retentionRunning = false;

  private constructor(ctx: CoordinatorContext) {
    this.#ctx = ctx;
    this.#rebalancer = new Rebalancer(ctx);
  }

  /**
   * Opens the offset log, restores the groups it knows and starts retention checks. A group
   * stored with members comes back Stable with them, each with a fresh session timer (see
   * group-persistence.ts for what is stored when, and how a rebalance cut short comes back).
   */
  static async open(options: GroupCoordinatorOptions): Promise<GroupCoordinator> {
    const config = resolveGroupCoordinatorConfig(options.config);
    const scheduler = options.scheduler ?? systemScheduler;
    const store = await OffsetStore.open(options.dataDir, { compactBytes: config.offsetLogCompactBytes });
    const coordinator = new GroupCoordinator({
      config,
      scheduler,
      groups: new Map<string, ClassicGroup>(),
      store,
      logger: options.logger ?? silentLogger,
      commitsInFlight: new Map(),
      closed: false,
    });
    try {
      await restoreGroups(coordinator.#rebalancer);
    } catch (err) {
      await coordinator.close();
      throw err;
    }
    coordinator.#scheduleRetention();
    return coordinator;
  }

  get config(): Readonly<GroupCoordinatorConfig> {
    return this.#ctx.config;
  }

  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResult> {
    return joinGroup(this.#rebalancer, request);
  }

  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResult> {
    return syncGroup(this.#rebalancer, request);
  }

  /** Returns a Kafka error code. */
  heartbeat(request: HeartbeatRequest): number {
    return heartbeat(this.#rebalancer, request);
  }

  leaveGroup(request: LeaveGroupRequest): LeaveGroupResult {
    return leaveGroup(this.#rebalancer, request);
  }

  describeGroups(groupIds: string[]): DescribedGroup[] {
    return groupIds.map((groupId): DescribedGroup => {
      const group = this.#ctx.groups.get(groupId);
      if (this.#ctx.closed) return deadGroup(groupId, KafkaError.NOT_COORDINATOR);
      if (groupId === '') return deadGroup(groupId, KafkaError.INVALID_GROUP_ID);
      if (group === undefined) return deadGroup(groupId, KafkaError.NONE);
      const stable = group.state === 'Stable';
      return {
        errorCode: KafkaError.NONE,
        groupId,
        groupState: group.state,
        protocolType: group.protocolType ?? '',
        protocolData: stable ? (group.protocolName ?? '') : '',
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: stable ? m.metadataFor(group.protocolName) : Buffer.alloc(0),
          memberAssignment: m.assignment,
        })),
      };
    });
  }

  /** `statesFilter` compares case-insensitively, as Kafka does; empty or absent lists all. */
  listGroups(statesFilter?: string[]): ListGroupsResult {
    if (this.#ctx.closed) return { errorCode: KafkaError.NOT_COORDINATOR, groups: [] };
    const wanted = new Set((statesFilter ?? []).map((s) => s.trim().toLowerCase()));
    const groups = [...this.#ctx.groups.values()]
      .filter((g) => wanted.size === 0 || wanted.has(g.state.toLowerCase()))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: 'classic' as const,
      }));
    return { errorCode: KafkaError.NONE, groups };
  }

  /** Deletes Empty groups with their offsets; answers once the deletion is durable. */
  async deleteGroups(groupIds: string[]): Promise<DeleteGroupResult[]> {
    const ctx = this.#ctx;
    return Promise.all(
      groupIds.map(async (groupId): Promise<DeleteGroupResult> => {
        if (ctx.closed) return { groupId, errorCode: KafkaError.NOT_COORDINATOR };
        if (groupId === '') return { groupId, errorCode: KafkaError.INVALID_GROUP_ID };
        const group = ctx.groups.get(groupId);
        if (group === undefined || group.state === 'Dead') return { groupId, errorCode: KafkaError.GROUP_ID_NOT_FOUND };
        if (group.state !== 'Empty') return { groupId, errorCode: KafkaError.NON_EMPTY_GROUP };
        for (const memberId of [...group.pendingJoinMembers.keys()]) group.remove(memberId);
        group.cancelGroupTimers();
        group.transitionTo('Dead', ctx.scheduler.now());
        ctx.groups.delete(groupId);
        try {
          await ctx.store.deleteGroup(groupId);
        } catch (err) {
          ctx.logger.error({ groupId, err }, 'could not store group deletion');
          return { groupId, errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE };
        }
        return { groupId, errorCode: KafkaError.NONE };
      }),
    );
  }

  commitOffsets(request: OffsetCommitRequest): Promise<OffsetCommitPartitionResult[]> {
    return commitOffsets(this.#rebalancer, request);
  }

  fetchOffsets(request: OffsetFetchRequest): OffsetFetchResult {
    return fetchOffsets(this.#rebalancer, request);
  }

  deleteOffsets(groupId: string, partitions: TopicPartition[]): Promise<OffsetDeleteResult> {
    return deleteOffsets(this.#rebalancer, groupId, partitions);
  }

  /** Lag inputs: every group with its committed offsets (lag = log end offset - offset). */
  listGroupOffsets(): GroupOffsets[] {
    return [...this.#ctx.groups.values()].map((group) => {
      const offsets: GroupOffsets['offsets'] = [];
      for (const [topic, partitions] of this.#ctx.store.group(group.groupId)?.offsets ?? []) {
        for (const [partition, o] of partitions) offsets.push({ topic, partition, ...o });
      }
      return { groupId: group.groupId, protocolType: group.protocolType ?? '', groupState: group.state, offsets };
    });
  }

  /** Runs the retention check now (it also runs every offsetsRetentionCheckIntervalMs). */
  expireOffsets(): Promise<ExpiryReport> {
    return expireOffsets(this.#ctx);
  }

  /** A fixed-rate check; a check still writing when the next is due makes that one skip. */
  #scheduleRetention(): void {
    const ctx = this.#ctx;
    this.#retentionTimer = ctx.scheduler.schedule(ctx.config.offsetsRetentionCheckIntervalMs, () => {
      if (ctx.closed) return;
      this.#scheduleRetention();
      if (this.#retentionRunning) return;
      this.#retentionRunning = true;
      expireOffsets(ctx)
        .catch((err: unknown) => ctx.logger.error({ err }, 'offset retention check failed'))
        .finally(() => {
          this.#retentionRunning = false;
        });
    });
  }

  /**
   * Stops timers, answers every parked JoinGroup and SyncGroup with NOT_COORDINATOR (the
   * client looks for the coordinator again), waits for pending offset writes and closes
   * the log. Idempotent.
   */
  async close(): Promise<void> {
    const ctx = this.#ctx;
    if (!ctx.closed) {
      ctx.closed = true;
      this.#retentionTimer?.cancel();
      for (const group of ctx.groups.values()) {
        group.cancelGroupTimers();
        for (const timer of group.pendingJoinMembers.values()) timer.cancel();
        for (const member of group.members.values()) {
          member.cancelSessionTimer();
          member.completeJoin(joinError(KafkaError.NOT_COORDINATOR, member.memberId));
          member.completeSync(syncError(KafkaError.NOT_COORDINATOR));
        }
      }
    }
    await ctx.store.close();
  }
}

function deadGroup(groupId: string, errorCode: number): DescribedGroup {
  return { errorCode, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
}
