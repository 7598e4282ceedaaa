import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GroupCoordinator } from '../../../src/broker/groups/group-coordinator.ts';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';
import { tempDir } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./commit-child.ts', import.meta.url));
const ROUNDS = 6;

/**
 * Runs the child until it has acknowledged `acksBeforeKill` commits, then SIGKILLs it
 * (mid-write: commits are always in flight). Returns the highest acknowledged offset per
 * partition, and the member the child committed as (member mode).
 */
async function runAndKill(
  dir: string,
  acksBeforeKill: number,
  args: string[] = [],
): Promise<{ acked: Map<number, number>; member: [string, string] | null }> {
  const child = spawn(process.execPath, [CHILD, dir, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked = new Map<number, number>();
  let member: [string, string] | null = null;
  let seen = 0;
  let buffered = '';
  let killed = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [kind, partition, offset] = line.split(' ');
      if (kind === 'member') member = [partition!, offset!];
      if (kind !== 'ack') continue;
      acked.set(Number(partition), Math.max(acked.get(Number(partition)) ?? 0, Number(offset)));
      if (++seen >= acksBeforeKill && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  assert.equal(signal, 'SIGKILL', `the child must be killed, not exit by itself (code ${code})`);
  return { acked, member };
}

/** Every acknowledged offset is there (or a later one), with its own metadata. */
function assertDurable(coordinator: GroupCoordinator, lastAcked: Map<number, number>, round: number, acksBeforeKill: number): void {
  const stored = new Map(
    coordinator.fetchOffsets({ groupId: 'crash', partitions: null, requireStable: false }).partitions.map((p) => [p.partition, p]),
  );
  for (const [partition, offset] of lastAcked) {
    const found = stored.get(partition);
    assert.ok(found !== undefined, `round ${round}: partition ${partition} lost its committed offset`);
    assert.ok(
      found.offset >= offset,
      `round ${round} (killed after ${acksBeforeKill} acks): partition ${partition} has ${found.offset}, acknowledged ${offset}`,
    );
    assert.equal(found.metadata, `offset ${found.offset}`);
  }
}

test('every acknowledged commit survives SIGKILL at random moments, round after round', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  const lastAcked = new Map<number, number>();
  for (let round = 0; round < ROUNDS; round++) {
    const acksBeforeKill = 1 + Math.floor(Math.random() * 1500);
    const { acked } = await runAndKill(dir, acksBeforeKill);
    for (const [partition, offset] of acked) lastAcked.set(partition, Math.max(lastAcked.get(partition) ?? 0, offset));

    const coordinator = await GroupCoordinator.open({ dataDir: dir });
    try {
      assertDurable(coordinator, lastAcked, round, acksBeforeKill);
      assert.deepEqual(
        coordinator.listGroups().groups.map((g) => [g.groupId, g.groupState]),
        [['crash', 'Empty']],
      );
    } finally {
      await coordinator.close();
    }
  }
  assert.ok(lastAcked.size > 0);
});

test('a group member committing through SIGKILLs keeps its member id and generation, round after round', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  const lastAcked = new Map<number, number>();
  /** [memberId, generationId] once the child has joined */
  const identity: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const acksBeforeKill = 1 + Math.floor(Math.random() * 1500);
    // From round 1 on, the child commits as the member it was, without joining: only a restored member can.
    const { acked, member } = await runAndKill(dir, acksBeforeKill, ['member', ...identity]);
    assert.ok(member !== null, 'the child reports its member');
    if (identity.length === 0) identity.push(...member);
    assert.deepEqual(member, identity);
    const [memberId, generationId] = identity as [string, string];
    for (const [partition, offset] of acked) lastAcked.set(partition, Math.max(lastAcked.get(partition) ?? 0, offset));

    const coordinator = await GroupCoordinator.open({ dataDir: dir });
    try {
      assertDurable(coordinator, lastAcked, round, acksBeforeKill);
      const [group] = coordinator.describeGroups(['crash']);
      assert.deepEqual(
        [group!.groupState, group!.members.map((m) => [m.memberId, m.memberAssignment.toString()])],
        ['Stable', [[memberId, 'every partition']]],
        `round ${round}: the group is back with its member`,
      );
      const beat = { groupId: 'crash', generationId: Number(generationId), memberId, groupInstanceId: null };
      assert.equal(coordinator.heartbeat(beat), KafkaError.NONE);
    } finally {
      await coordinator.close();
    }
  }
  assert.ok(lastAcked.size > 0);
});
