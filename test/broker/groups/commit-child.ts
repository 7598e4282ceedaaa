/**
 * Child process for offset-store-crash.test.ts: commits offsets to a coordinator in the
 * directory given as argv[2] and prints `ack <partition> <offset>` for each commit the
 * coordinator acknowledged, until it is killed. Several commits are in flight at once
 * (one per partition), so group commit and compaction are exercised under the kill.
 *
 * Standalone commits (generation -1) by default. With `member` as argv[3], it commits as a
 * member of the consumer group: given a member id and generation (argv[4], argv[5]) it uses
 * them as they are, which works only if the group came back from the log with that member;
 * else it joins and syncs the group first. Either way it prints `member <id> <generation>`
 * before committing.
 */
import { GroupCoordinator } from '../../../src/broker/groups/group-coordinator.ts';
import { KafkaError } from '../../../src/broker/protocol/error-codes.ts';

const PARTITIONS = 8;
const GROUP = 'crash';
const [dir, mode, knownMemberId, knownGeneration] = process.argv.slice(2) as [string, string?, string?, string?];
const coordinator = await GroupCoordinator.open({
  dataDir: dir,
  config: { offsetLogCompactBytes: 32 * 1024, initialRebalanceDelayMs: 0 },
});
const current = coordinator.fetchOffsets({ groupId: GROUP, partitions: null, requireStable: false }).partitions;
const next = Array.from({ length: PARTITIONS }, (_, p) => (current.find((c) => c.partition === p)?.offset ?? 0) + 1);

let memberId = '';
let generationId = -1;
if (mode === 'member') {
  if (knownMemberId !== undefined) {
    memberId = knownMemberId;
    generationId = Number(knownGeneration);
  } else {
    // The coordinator's timers are unref'ed (a broker's sockets keep it alive): keep this process up meanwhile.
    const alive = setInterval(() => {}, 1_000);
    const joined = await coordinator.joinGroup({
      groupId: GROUP, memberId: '', groupInstanceId: null, protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([0, 0, 0, 0, 0, 0]) }],
      sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 60_000, clientId: 'crash-child', clientHost: '/127.0.0.1',
      requireKnownMemberId: false, reason: null,
    });
    if (joined.errorCode !== KafkaError.NONE) throw new Error(`join failed with ${joined.errorCode}`);
    ({ memberId, generationId } = joined);
    const synced = await coordinator.syncGroup({
      groupId: GROUP, generationId, memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range',
      assignments: [{ memberId, assignment: Buffer.from('every partition') }],
    });
    if (synced.errorCode !== KafkaError.NONE) throw new Error(`sync failed with ${synced.errorCode}`);
    clearInterval(alive);
  }
  process.stdout.write(`member ${memberId} ${generationId}\n`);
}
process.stdout.write('ready\n');

async function commitForever(partition: number): Promise<never> {
  for (;;) {
    const offset = next[partition]!++;
    const [result] = await coordinator.commitOffsets({
      groupId: GROUP,
      generationId,
      memberId,
      groupInstanceId: null,
      offsets: [{ topic: 'events', partition, offset, leaderEpoch: 0, metadata: `offset ${offset}` }],
    });
    if (result!.errorCode !== KafkaError.NONE) throw new Error(`commit failed with ${result!.errorCode}`);
    process.stdout.write(`ack ${partition} ${offset}\n`);
  }
}

await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => commitForever(p)));
