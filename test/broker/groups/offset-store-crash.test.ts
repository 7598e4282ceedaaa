import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GroupCoordinator } from '../../../src/broker/groups/group-coordinator.ts';
import { tempDir } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./commit-child.ts', import.meta.url));
const ROUNDS = 6;

/**
 * Runs the child until it has acknowledged `acksBeforeKill` commits, then SIGKILLs it
 * (mid-write: commits are always in flight). Returns the highest acknowledged offset per partition.
 */
async function runAndKill(dir: string, acksBeforeKill: number): Promise<Map<number, number>> {
  const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked = new Map<number, number>();
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
  return acked;
}

test('every acknowledged commit survives SIGKILL at random moments, round after round', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  const lastAcked = new Map<number, number>();
  for (let round = 0; round < ROUNDS; round++) {
    const acksBeforeKill = 1 + Math.floor(Math.random() * 1500);
    const acked = await runAndKill(dir, acksBeforeKill);
    for (const [partition, offset] of acked) lastAcked.set(partition, Math.max(lastAcked.get(partition) ?? 0, offset));

    const coordinator = await GroupCoordinator.open({ dataDir: dir });
    try {
      const stored = new Map(
        coordinator
          .fetchOffsets({ groupId: 'crash', partitions: null, requireStable: false })
          .partitions.map((p) => [p.partition, p]),
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
