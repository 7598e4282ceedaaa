/**
 * The plain-object API of the group coordinator. Request handlers decode a Kafka request
 * into one of these requests, call the coordinator, and encode what it returns. Error
 * codes are Kafka's numbers (`KafkaError` in src/broker/protocol/error-codes.ts); nothing
 * here knows about API versions except the few flags a handler sets from the version.
 */

/** The state names exactly as Kafka spells them in DescribeGroups and ListGroups. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinGroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  /** '' for a member that has no id yet. */
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  /** In the member's order of preference. */
  protocols: JoinGroupProtocol[];
  sessionTimeoutMs: number;
  /** -1 or absent (JoinGroup v0): the session timeout is used. */
  rebalanceTimeoutMs?: number;
  clientId: string;
  clientHost: string;
  /** true for JoinGroup v4+ (KIP-394): a new member first gets MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
  reason: string | null;
  /**
   * true for JoinGroup v9+ (KIP-814): a static leader that rejoins a Stable group gets the
   * member list with `skipAssignment` instead of a follower answer. Absent means false.
   */
  supportsSkipAssignment?: boolean;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  /** '' when there is no leader (error answers). */
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** All members with their metadata for the leader; empty for everyone else. */
  members: JoinGroupMember[];
}

export interface SyncGroupAssignment {
  memberId: string;
  assignment: Buffer;
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** null when the request version does not carry it (SyncGroup < v5). */
  protocolType: string | null;
  protocolName: string | null;
  /** Only the leader sends assignments; followers send []. */
  assignments: SyncGroupAssignment[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupMemberIdentity {
  /** '' to remove a static member by its instance id alone (admin removal). */
  memberId: string;
  groupInstanceId: string | null;
  reason: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  members: LeaveGroupMemberIdentity[];
}

export interface LeaveGroupMemberResult {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}

export interface LeaveGroupResult {
  /** Request-level error (unknown group, invalid group id, closed coordinator). */
  errorCode: number;
  members: LeaveGroupMemberResult[];
}

export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** The metadata of the selected protocol; empty unless the group is Stable. */
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  /**
   * NONE for an unknown group too, with state "Dead" (DescribeGroups v0-5); the v6 encoder
   * turns `groupState === 'Dead'` into GROUP_ID_NOT_FOUND.
   */
  errorCode: number;
  groupId: string;
  groupState: GroupState;
  /** '' when the group has none (a group that only holds offsets). */
  protocolType: string;
  /** The selected protocol name when Stable, else ''. */
  protocolData: string;
  members: DescribedGroupMember[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupState;
  groupType: 'classic';
}

export interface ListGroupsResult {
  errorCode: number;
  groups: ListedGroup[];
}

export interface DeleteGroupResult {
  groupId: string;
  errorCode: number;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface OffsetCommitPartition {
  topic: string;
  partition: number;
  offset: number;
  /** -1 when the client does not know it. */
  leaderEpoch: number;
  metadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 for standalone consumers (assign()) and admin tools. */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  offsets: OffsetCommitPartition[];
}

export interface OffsetCommitPartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
}

export interface OffsetFetchRequest {
  groupId: string;
  /** null: every partition the group has an offset for. */
  partitions: TopicPartition[] | null;
  requireStable: boolean;
}

export interface OffsetFetchPartitionResult {
  topic: string;
  partition: number;
  /** -1 when nothing is committed. */
  offset: number;
  leaderEpoch: number;
  /** null when nothing is committed: the encoder writes "" or null as its version wants. */
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchResult {
  errorCode: number;
  partitions: OffsetFetchPartitionResult[];
}

export interface OffsetDeleteResult {
  errorCode: number;
  partitions: OffsetCommitPartitionResult[];
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestampMs: number;
}

/** One group's committed offsets, for the broker's lag computation (log end offset - offset). */
export interface GroupOffsets {
  groupId: string;
  protocolType: string;
  groupState: GroupState;
  offsets: CommittedOffset[];
}
