import type { TimerHandle } from './scheduler.ts';
import type { JoinGroupProtocol, JoinGroupResult, SyncGroupResult } from './types.ts';

const EMPTY = Buffer.alloc(0);

/** One member of a classic group, with the requests it has parked. */
export class GroupMember {
  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly protocolType: string;
  protocols: JoinGroupProtocol[];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  assignment: Buffer = EMPTY;
  /** A member that has not completed its first join; its session timer is the join timeout. */
  isNew = false;
  /** The parked JoinGroup, answered when the join phase completes. */
  awaitingJoin: ((result: JoinGroupResult) => void) | null = null;
  /** The parked SyncGroup, answered when the leader's assignment arrives. */
  awaitingSync: ((result: SyncGroupResult) => void) | null = null;
  sessionTimer: TimerHandle | null = null;

  constructor(init: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    protocolType: string;
    protocols: JoinGroupProtocol[];
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
  }) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  /** Whether a session expiry may be ignored: a parked member is waiting on us, not dead. */
  get hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return false;
    return this.isAwaitingJoin || this.isAwaitingSync;
  }

  /** Same protocols, same order, same metadata bytes. */
  matches(protocols: JoinGroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every(
      (p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata),
    );
  }

  metadataFor(protocolName: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY;
  }

  /** The member's first preference among `candidates`. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }

  /** Answers the parked JoinGroup, if any. Returns whether there was one. */
  completeJoin(result: JoinGroupResult): boolean {
    const answer = this.awaitingJoin;
    if (answer === null) return false;
    this.awaitingJoin = null;
    answer(result);
    return true;
  }

  /** Answers the parked SyncGroup, if any. Returns whether there was one. */
  completeSync(result: SyncGroupResult): boolean {
    const answer = this.awaitingSync;
    if (answer === null) return false;
    this.awaitingSync = null;
    answer(result);
    return true;
  }

  cancelSessionTimer(): void {
    this.sessionTimer?.cancel();
    this.sessionTimer = null;
  }
}
