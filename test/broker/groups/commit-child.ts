/**
 * Child process for offset-store-crash.test.ts: commits offsets to a coordinator in the
 * directory given as argv[2] and prints `ack <partition> <offset>` for each commit the
 * coordinator acknowledged, until it is killed. Several commits are in flight at once
 * (one per partition), so group commit and compaction are exercised under the kill.
 */
import { GroupCoordinator } from '../../../src/broker/groups/group-coordinator.ts';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';

const PARTITIONS = 8;
const dir = process.argv[2]!;
const coordinator = await GroupCoordinator.open({ dataDir: dir, config: { offsetLogCompactBytes: 32 * 1024 } });
const current = coordinator.fetchOffsets({ groupId: 'crash', partitions: null, requireStable: false }).partitions;
const next = Array.from({ length: PARTITIONS }, (_, p) => (current.find((c) => c.partition === p)?.offset ?? 0) + 1);
process.stdout.write('ready\n');

async function commitForever(partition: number): Promise<never> {
  for (;;) {
    const offset = next[partition]!++;
    const [result] = await coordinator.commitOffsets({
      groupId: 'crash',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: [{ topic: 'events', partition, offset, leaderEpoch: 0, metadata: `offset ${offset}` }],
    });
    if (result!.errorCode !== KafkaError.NONE) throw new Error(`commit failed with ${result!.errorCode}`);
    process.stdout.write(`ack ${partition} ${offset}\n`);
  }
}

await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => commitForever(p)));
