import { KafkaError } from '../protocol/error-codes.ts';
import { CONSUMER_PROTOCOL_TYPE, decodeSubscriptionTopics } from './consumer-protocol.ts';
import type { GroupMember } from './member.ts';
import { joinError, syncError } from './responses.ts';
import type { TimerHandle } from './scheduler.ts';
import type { GroupState, JoinGroupMember, JoinGroupProtocol } from './types.ts';

/** Which states a group may come from when it enters a state (Kafka's ClassicGroupState). */
const VALID_PREVIOUS_STATES: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

/**
 * The membership state of one classic group: members, the static-instance index, the
 * members that still have to (re)join or sync, and the protocol bookkeeping. It holds no
 * timers' logic and answers no requests by itself except when fencing a replaced static
 * member; the coordinator drives the state machine.
 */
export class ClassicGroup {
  readonly groupId: string;
  state: GroupState = 'Empty';
  previousState: GroupState = 'Dead';
  /** When the group entered its current state (scheduler time). Drives offset retention. */
  stateTimestampMs: number;
  protocolType: string | null;
  protocolName: string | null = null;
  generationId: number;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** groupInstanceId -> memberId */
  readonly staticMembers = new Map<string, string>();
  /** KIP-394 members that were given an id and must rejoin with it, with their expiry timers. */
  readonly pendingJoinMembers = new Map<string, TimerHandle>();
  readonly pendingSyncMembers = new Set<string>();
  /** protocol name -> number of members supporting it */
  readonly supportedProtocols = new Map<string, number>();
  /** Topics the members subscribe to (consumer protocol only); null when not known. */
  subscribedTopics: ReadonlySet<string> | null = null;
  /** Set when a member arrives during the initial delay, to extend the delay once more. */
  newMemberAdded = false;
  joinTimer: TimerHandle | null = null;
  syncTimer: TimerHandle | null = null;

  constructor(groupId: string, nowMs: number, restored?: { protocolType: string | null; generationId: number }) {
    this.groupId = groupId;
    this.stateTimestampMs = nowMs;
    this.protocolType = restored?.protocolType ?? null;
    this.generationId = restored?.generationId ?? 0;
    if (this.protocolType === CONSUMER_PROTOCOL_TYPE) this.subscribedTopics = new Set();
  }

  get usesConsumerProtocol(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  transitionTo(state: GroupState, nowMs: number): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this.state)) {
      throw new Error(`group ${this.groupId}: invalid transition ${this.state} -> ${state}`);
    }
    this.previousState = this.state;
    this.state = state;
    this.stateTimestampMs = nowMs;
  }

  get canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.state);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: GroupMember): void {
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) {
        throw new Error(`static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      }
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member.protocols, 1);
    this.cancelPendingMember(member.memberId);
  }

  /** Removes a member (its parked requests must have been answered by the caller). */
  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (member !== undefined) {
      this.members.delete(memberId);
      this.countProtocols(member.protocols, -1);
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
      member.cancelSessionTimer();
    }
    if (this.isLeader(memberId)) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? null : next.value;
    }
    this.cancelPendingMember(memberId);
    this.pendingSyncMembers.delete(memberId);
    return member;
  }

  cancelPendingMember(memberId: string): boolean {
    const timer = this.pendingJoinMembers.get(memberId);
    if (timer === undefined) return false;
    timer.cancel();
    this.pendingJoinMembers.delete(memberId);
    return true;
  }

  /** Keeps the leader if it rejoined, else elects a member that did. False if none did. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const member of this.members.values()) {
      if (member.isAwaitingJoin) {
        this.leaderId = member.memberId;
        return true;
      }
    }
    return false;
  }

  /**
   * KIP-345: a known static instance joined with a new member id. The old id is fenced
   * (its parked requests answered FENCED_INSTANCE_ID) and the member continues under the
   * new id with its old assignment.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId);
    if (member === undefined) throw new Error(`cannot replace unknown member ${oldMemberId}`);
    member.completeJoin(joinError(KafkaError.FENCED_INSTANCE_ID, oldMemberId));
    member.completeSync(syncError(KafkaError.FENCED_INSTANCE_ID));
    member.cancelSessionTimer();
    this.members.delete(oldMemberId);
    this.pendingSyncMembers.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  updateMember(
    member: GroupMember,
    protocols: JoinGroupProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
  ): void {
    this.countProtocols(member.protocols, -1);
    member.protocols = protocols;
    this.countProtocols(protocols, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
  }

  private countProtocols(protocols: JoinGroupProtocol[], delta: number): void {
    for (const { name } of protocols) {
      const count = (this.supportedProtocols.get(name) ?? 0) + delta;
      if (count === 0) this.supportedProtocols.delete(name);
      else this.supportedProtocols.set(name, count);
    }
  }

  /** Whether a member with this protocol type and these protocols could join. */
  supportsProtocols(protocolType: string, protocolNames: string[]): boolean {
    if (this.state === 'Empty') return protocolType !== '' && protocolNames.length > 0;
    return (
      this.protocolType === protocolType &&
      protocolNames.some((name) => this.supportedProtocols.get(name) === this.members.size)
    );
  }

  private candidateProtocols(): Set<string> {
    const candidates = new Set<string>();
    for (const [name, count] of this.supportedProtocols) {
      if (count === this.members.size) candidates.add(name);
    }
    return candidates;
  }

  /**
   * Each member votes for its first preference among the protocols every member supports;
   * the most votes win. Ties go to the protocol that received its first vote earliest (in
   * member join order), which makes the choice deterministic where Kafka's is arbitrary.
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const vote = member.vote(candidates);
      if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = 0;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    if (best === undefined) throw new Error(`group ${this.groupId}: no protocol supported by all members`);
    return best;
  }

  awaitingJoinCount(): number {
    let count = 0;
    for (const member of this.members.values()) if (member.isAwaitingJoin) count++;
    return count;
  }

  hasAllMembersJoined(): boolean {
    return this.awaitingJoinCount() === this.members.size && this.pendingJoinMembers.size === 0;
  }

  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs);
    return max;
  }

  /** NONE, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID (Kafka's validateMember). */
  validateMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const existing = this.staticMembers.get(groupInstanceId);
      if (existing === undefined) return KafkaError.UNKNOWN_MEMBER_ID;
      if (existing !== memberId) return KafkaError.FENCED_INSTANCE_ID;
    }
    return this.members.has(memberId) ? KafkaError.NONE : KafkaError.UNKNOWN_MEMBER_ID;
  }

  /**
   * Whether an active member subscribes to `topic`. When the subscriptions cannot be known
   * (metadata that does not parse), a consumer-protocol group counts as subscribed.
   */
  isSubscribedToTopic(topic: string): boolean {
    if (this.subscribedTopics !== null) return this.subscribedTopics.has(topic);
    return this.usesConsumerProtocol;
  }

  private computeSubscribedTopics(): ReadonlySet<string> | null {
    if (!this.usesConsumerProtocol) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const member of this.members.values()) {
      const subscribed = decodeSubscriptionTopics(member.metadataFor(this.protocolName));
      if (subscribed === null) return null;
      for (const topic of subscribed) topics.add(topic);
    }
    return topics;
  }

  /** Moves to the next generation: CompletingRebalance with a protocol, or Empty. */
  initNextGeneration(nowMs: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('CompletingRebalance', nowMs);
    } else {
      this.protocolName = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('Empty', nowMs);
    }
    this.pendingSyncMembers.clear();
  }

  /**
   * Puts back a completed generation read from the offset log (Kafka's loading of a
   * GroupMetadata record with members): the group becomes Stable, at the generation it was
   * constructed with, with these members in join order, the selected protocol and the
   * leader. The members' session timers are the caller's to start.
   */
  restoreGeneration(protocolName: string, leaderId: string | null, members: GroupMember[], nowMs: number): void {
    if (this.state !== 'Empty' || this.members.size > 0 || members.length === 0) {
      throw new Error(`group ${this.groupId}: only a new group can be restored with members`);
    }
    for (const member of members) this.add(member);
    this.protocolName = protocolName;
    if (leaderId !== null && this.members.has(leaderId)) this.leaderId = leaderId;
    this.subscribedTopics = this.computeSubscribedTopics();
    // Not a transition: the group did not come from Empty (previousState stays Dead, as in Kafka).
    this.state = 'Stable';
    this.stateTimestampMs = nowMs;
  }

  /** The member list the leader receives in its JoinGroup answer. */
  joinMembers(): JoinGroupMember[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(this.protocolName),
    }));
  }

  cancelGroupTimers(): void {
    this.joinTimer?.cancel();
    this.joinTimer = null;
    this.syncTimer?.cancel();
    this.syncTimer = null;
  }
}
