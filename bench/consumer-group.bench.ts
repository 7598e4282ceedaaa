/**
 * A consumer group of three kcat (librdkafka) members reading a 12-partition topic of
 * ~200-byte log lines from the broker (its own process): the group's throughput, and the
 * time from SIGKILLing one member until its partitions are read again (the survivors take
 * them over after its session times out and the group rebalances).
 *
 * Each member prints only the partition and size of every record (`-f '%p %S\n'`,
 * unbuffered so that a killed member's output is not lost with it); the harness counts
 * records and bytes per member in 100 ms buckets. Printing costs kcat one write per
 * record, so the group's MB/s is a floor for what the broker serves.
 *
 * No real Kafka runs on this machine, so there is no peer ratio; the ceiling of the
 * broker itself is in the `broker` scenario (fetch).
 *
 * Environment:
 *   BENCH_GROUP_BYTES        input size (default 1G = 1 GiB)
 *   BENCH_GROUP_SESSION_MS   the members' session.timeout.ms (default 6000, the broker's minimum)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Admin } from '@platformatic/kafka';
import { startBrokerProcess } from './lib/broker-process.ts';
import { KCAT, kcatVersion, produceFile } from './lib/kcat.ts';
import { writeLogFile } from './lib/log-lines.ts';
import { describeMachine } from './lib/machine.ts';
import { envBytes, envNumber, formatBytes, formatCount, mbps } from './lib/stats.ts';

const BYTES = envBytes('BENCH_GROUP_BYTES', 1024 ** 3);
const SESSION_MS = Math.round(envNumber('BENCH_GROUP_SESSION_MS', 6000));
const PARTITIONS = 12;
const BUCKET_MS = 100;

interface Member {
  name: string;
  child: ChildProcess;
  records: number;
  bytes: number;
  /** Partitions this member has read records from. */
  partitions: Set<number>;
}

class Group {
  readonly members: Member[] = [];
  /** Bytes consumed by all members, per 100 ms bucket since `start`. */
  readonly buckets: number[] = [];
  records = 0;
  bytes = 0;
  readonly start = performance.now();
  /** Called with (member, partition) for every record (used to time a takeover). */
  onRecord: ((member: Member, partition: number) => void) | null = null;
  #waiters: (() => void)[] = [];

  constructor(bootstrap: string, topic: string, groupId: string) {
    for (const name of ['m1', 'm2', 'm3']) {
      const child = spawn(
        KCAT,
        [
          '-b', bootstrap, '-G', groupId, '-u', '-q', '-f', '%p %S\n',
          '-X', 'auto.offset.reset=earliest', '-X', `session.timeout.ms=${SESSION_MS}`, '-X', 'heartbeat.interval.ms=1000',
          topic,
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const member: Member = { name, child, records: 0, bytes: 0, partitions: new Set() };
      let partial = '';
      child.stdout!.setEncoding('latin1').on('data', (chunk: string) => {
        const text = partial + chunk;
        let start = 0;
        let bytes = 0;
        let records = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
          const space = text.indexOf(' ', start);
          const partition = Number(text.slice(start, space));
          bytes += Number(text.slice(space + 1, nl));
          records++;
          start = nl + 1;
          member.partitions.add(partition);
          this.onRecord?.(member, partition);
        }
        partial = text.slice(start);
        member.records += records;
        member.bytes += bytes;
        this.records += records;
        this.bytes += bytes;
        const bucket = Math.floor((performance.now() - this.start) / BUCKET_MS);
        while (this.buckets.length <= bucket) this.buckets.push(0);
        this.buckets[bucket]! += bytes;
        for (const wake of this.#waiters.splice(0)) wake();
      });
      this.members.push(member);
    }
  }

  async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`group stalled: ${formatCount(this.records)} records consumed`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  stop(): void {
    for (const m of this.members) m.child.kill('SIGKILL');
  }
}

/** Bytes per second over the `windowMs` ending at bucket `end` (exclusive). */
function rate(buckets: readonly number[], end: number, windowMs: number): number {
  const n = windowMs / BUCKET_MS;
  let sum = 0;
  for (let i = Math.max(0, end - n); i < end; i++) sum += buckets[i] ?? 0;
  return sum / (windowMs / 1000);
}

async function main(): Promise<void> {
  const version = kcatVersion();
  if (!version) {
    process.stdout.write('consumer-group: kcat is not installed (Debian package kcat); skipped\n');
    return;
  }
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'loglane-bench-group-'));
  try {
    process.stdout.write(`${describeMachine(dir)}\nclient: ${version}, 3 members, ${PARTITIONS} partitions, session.timeout.ms=${SESSION_MS}\n`);
    const file = writeLogFile(path.join(dir, 'input.log'), BYTES);
    process.stdout.write(`input: ${formatBytes(file.bytes)} in ${formatCount(file.records)} records\n`);
    const broker = await startBrokerProcess({ dir, broker: { num_partitions: PARTITIONS, group_initial_rebalance_delay_ms: 0 } });
    try {
      const topic = 'group-bench';
      const admin = new Admin({ clientId: 'bench', bootstrapBrokers: [broker.bootstrap] });
      await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: 1 });
      await admin.close();
      await produceFile({ bootstrap: broker.bootstrap, topic, file: file.path, acks: '1', properties: { 'linger.ms': 5, 'batch.size': 1_000_000 } });
      const total = file.records;

      // Throughput: three members from the first record to the last.
      const steady = new Group(broker.bootstrap, topic, 'bench-steady');
      await steady.until(() => steady.records >= total, 600_000);
      const firstBucket = steady.buckets.findIndex((b) => b > 0);
      const seconds = (steady.buckets.length - firstBucket) * (BUCKET_MS / 1000);
      steady.stop();
      process.stdout.write(
        `consumer group (3 members)  ${mbps(steady.bytes, seconds).toFixed(1)} MB/s  ${formatCount(steady.records / seconds)} rec/s  ` +
          `(${seconds.toFixed(1)} s; per member ${steady.members.map((m) => formatCount(m.records)).join(' / ')} records)\n`,
      );

      // Failover: kill one member at 30 %; time until its partitions are read again by the
      // survivors (session timeout + rebalance), and the group's rate around it.
      const group = new Group(broker.bootstrap, topic, 'bench-failover');
      await group.until(() => group.records >= total * 0.3, 600_000);
      const victim = group.members[0]!;
      const orphaned = new Set(victim.partitions);
      const killedAt = performance.now();
      const killBucket = Math.floor((killedAt - group.start) / BUCKET_MS);
      const before = rate(group.buckets, killBucket, 2000);
      let takeoverMs = -1;
      group.onRecord = (member, partition) => {
        if (takeoverMs < 0 && member !== victim && orphaned.has(partition)) takeoverMs = performance.now() - killedAt;
      };
      victim.child.kill('SIGKILL');
      const victimRecords = victim.records;
      await group.until(() => group.records - (victim.records - victimRecords) >= total && takeoverMs >= 0, 600_000);
      group.stop();
      const after = rate(group.buckets, group.buckets.length, 2000);
      process.stdout.write(
        `member killed at 30 %: its ${orphaned.size} partitions read again after ${(takeoverMs / 1000).toFixed(1)} s ` +
          `(session.timeout.ms ${SESSION_MS} + rebalance); group rate ${mbps(before, 1).toFixed(1)} MB/s before the kill, ` +
          `${mbps(after, 1).toFixed(1)} MB/s at the end; records read twice after the takeover: ${formatCount(Math.max(0, group.records - total))}\n`,
      );
    } finally {
      await broker.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
