import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { GroupCoordinatorConfig } from '../../../src/broker/groups/config.ts';
import { GroupCoordinator } from '../../../src/broker/groups/group-coordinator.ts';
import type { JoinGroupRequest, JoinGroupResult, SyncGroupResult } from '../../../src/broker/groups/types.ts';
import { FakeScheduler } from './fake-scheduler.ts';

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loglane-groups-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface Harness {
  coordinator: GroupCoordinator;
  clock: FakeScheduler;
  dir: string;
  /** Closes the coordinator and opens a new one on the same directory and clock. */
  reopen(config?: Partial<GroupCoordinatorConfig>): Promise<GroupCoordinator>;
}

/** A coordinator on a fake clock in a temp dir, closed after the test. Initial delay 0 unless set. */
export async function openHarness(t: TestContext, config: Partial<GroupCoordinatorConfig> = {}): Promise<Harness> {
  const dir = await tempDir(t);
  const clock = new FakeScheduler();
  const settings = { initialRebalanceDelayMs: 0, ...config };
  const harness: Harness = {
    coordinator: await GroupCoordinator.open({ dataDir: dir, scheduler: clock, config: settings }),
    clock,
    dir,
    async reopen(next = settings) {
      await harness.coordinator.close();
      harness.coordinator = await GroupCoordinator.open({ dataDir: dir, scheduler: clock, config: next });
      return harness.coordinator;
    },
  };
  t.after(() => harness.coordinator.close());
  return harness;
}

/** A consumer-protocol subscription (version 0, topics, no user data). */
export function subscription(...topics: string[]): Buffer {
  const parts = [Buffer.from([0, 0]), int32(topics.length)];
  for (const topic of topics) {
    const bytes = Buffer.from(topic, 'utf8');
    parts.push(Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes);
  }
  parts.push(int32(-1));
  return Buffer.concat(parts);
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g1',
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription('t1') }],
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    reason: null,
    ...overrides,
  };
}

/** Lets promise callbacks run (no time passes on any clock). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Tracks whether a promise has settled, without awaiting it. */
export function track<T>(promise: Promise<T>): { readonly done: boolean; readonly value: T | undefined; promise: Promise<T> } {
  const state = { done: false, value: undefined as T | undefined, promise };
  promise.then((value) => {
    state.done = true;
    state.value = value;
  });
  return state;
}

/** Joins `n` dynamic members (v3 style, no MEMBER_ID_REQUIRED) and completes the join phase. */
export async function formGroup(
  h: Harness,
  n: number,
  overrides: Partial<JoinGroupRequest> = {},
): Promise<JoinGroupResult[]> {
  const joins = Array.from({ length: n }, (_, i) =>
    h.coordinator.joinGroup(joinRequest({ clientId: `c${i}`, ...overrides })),
  );
  h.clock.advance(0);
  return Promise.all(joins);
}

/** Forms a group and syncs it: the leader assigns `assignment-<memberId>` to every member. */
export async function stableGroup(
  h: Harness,
  n: number,
  overrides: Partial<JoinGroupRequest> = {},
): Promise<{ joins: JoinGroupResult[]; syncs: SyncGroupResult[]; leader: JoinGroupResult }> {
  const joins = await formGroup(h, n, overrides);
  const leader = joins.find((j) => j.memberId === j.leader)!;
  const groupId = overrides.groupId ?? 'g1';
  const syncs = await Promise.all(
    joins.map((j) =>
      h.coordinator.syncGroup({
        groupId,
        generationId: j.generationId,
        memberId: j.memberId,
        groupInstanceId: overrides.groupInstanceId ?? null,
        protocolType: 'consumer',
        protocolName: j.protocolName,
        assignments:
          j === leader ? j.members.map((m) => ({ memberId: m.memberId, assignment: Buffer.from(`assignment-${m.memberId}`) })) : [],
      }),
    ),
  );
  return { joins, syncs, leader };
}
