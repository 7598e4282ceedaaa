import { ClassicGroup } from './group.ts';
import { GroupMember } from './member.ts';
import type { GroupMetadataToStore, StoredGroup } from './offset-store.ts';
import type { Rebalancer } from './rebalance.ts';

/**
 * What the offset log keeps of a classic group besides its offsets, and how groups come
 * back when the coordinator opens. Kafka keeps the same in its GroupMetadata record in
 * __consumer_offsets, so a consumer that stays up while the broker restarts keeps its
 * member id, generation and assignment.
 *
 * The group record (offset-log-format.ts, version 2) holds the protocol type, generation,
 * selected protocol, leader and every member (ids, client id and host, timeouts, all its
 * protocols with their metadata, its assignment) of the last completed generation. It is
 * written, through the store's group commit:
 * - when a generation completes: the leader's assignment is stored with the members, and
 *   only once that is durable does the group become Stable and the members get their
 *   assignments (Rebalancer.completeGeneration; Kafka answers SyncGroup the same way);
 * - when the group becomes Empty (Rebalancer.completeJoin);
 * - when a static member rejoins a Stable group without a rebalance: the group is stored
 *   with the new member id before the member learns it (Rebalancer.storeThenAnswerJoin),
 *   else after a restart the instance would be fenced by its own old id.
 * Nothing is written when a rebalance starts or a join phase ends: until the next
 * generation completes, the log holds the last completed one.
 *
 * On open (`restoreGroups`, Kafka's GroupMetadataManager replay and onLoaded):
 * - A group stored with members comes back Stable at its stored generation, with its
 *   leader, protocol, members and their assignments; every member gets a fresh session
 *   timer. A member that stayed up keeps heartbeating and committing with its old member id
 *   and generation; one that went away meanwhile expires after its session timeout, which
 *   starts a rebalance as any expiry does. For offset retention the group is Stable, not
 *   Empty. A group larger than groupMaxSize (the setting may have changed) rebalances.
 * - A group that was rebalancing at the crash comes back the same way, as its last
 *   completed generation, Stable; this is Kafka's behaviour, and the simplest one that is
 *   correct, because every rebalance in flight restarts by itself: a member whose JoinGroup
 *   was lost sends it again, and the leader's rejoin, a new member or changed metadata
 *   starts a rebalance; a follower rejoining unchanged is handed the restored generation
 *   and its assignment; a member holding the interrupted rebalance's newer generation gets
 *   ILLEGAL_GENERATION and rejoins; a member that had left or expired during the rebalance
 *   is back until its restored session expires. The interrupted generation's number may
 *   be handed out again by the next rebalance, as in Kafka; nobody can hold an assignment
 *   of it, since assignments are handed out only once stored.
 * - A group stored Empty, or only by version 1 records (members unknown), comes back
 *   Empty with its protocol type and generation. If a version 1 record says it had members,
 *   it counts as Empty from now on, and that is written down so that the next restart
 *   keeps counting from the same instant.
 */

/** The group as its record stores it; `assignments` replaces the members' current ones. */
export function groupMetadataToStore(group: ClassicGroup, assignments?: ReadonlyMap<string, Buffer>): GroupMetadataToStore {
  const empty = group.state === 'Empty';
  return {
    protocolType: group.protocolType,
    generationId: group.generationId,
    emptySinceMs: empty ? group.stateTimestampMs : null,
    protocolName: empty ? null : group.protocolName,
    leaderId: empty ? null : group.leaderId,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      sessionTimeoutMs: m.sessionTimeoutMs,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      protocols: m.protocols,
      assignment: assignments?.get(m.memberId) ?? m.assignment,
    })),
  };
}

/** Rebuilds every group the offset log knows, with session timers for restored members. */
export async function restoreGroups(rebalancer: Rebalancer): Promise<void> {
  const { ctx } = rebalancer;
  const now = ctx.scheduler.now();
  const writes: Promise<void>[] = [];
  for (const [groupId, stored] of ctx.store.groups()) {
    const group = new ClassicGroup(groupId, stored.emptySinceMs ?? now, {
      protocolType: stored.protocolType,
      generationId: stored.generationId,
    });
    ctx.groups.set(groupId, group);
    if (restoreMembers(rebalancer, group, stored)) continue;
    if (stored.emptySinceMs === null && stored.protocolType !== null) {
      // Members that were not stored (version 1): the group is Empty from now on, also for the next restart.
      writes.push(ctx.store.saveGroup(groupId, groupMetadataToStore(group)));
    }
  }
  await Promise.all(writes);
}

/** Restores the stored generation's members, if there are any. */
function restoreMembers(rebalancer: Rebalancer, group: ClassicGroup, stored: StoredGroup): boolean {
  const { protocolType, protocolName, members } = stored;
  if (members === null || members.length === 0 || protocolType === null || protocolName === null) return false;
  const { ctx } = rebalancer;
  group.restoreGeneration(
    protocolName,
    stored.leaderId,
    members.map((m) => {
      const member = new GroupMember({ ...m, protocolType });
      member.assignment = m.assignment;
      return member;
    }),
    ctx.scheduler.now(),
  );
  for (const member of group.members.values()) rebalancer.rescheduleHeartbeat(group, member);
  ctx.logger.info(
    { groupId: group.groupId, generationId: group.generationId, members: group.members.size },
    'group restored with its members',
  );
  if (group.members.size > ctx.config.groupMaxSize) {
    rebalancer.prepareRebalance(
      group,
      `restored group of ${group.members.size} members is over groupMaxSize ${ctx.config.groupMaxSize}`,
    );
  }
  return true;
}
