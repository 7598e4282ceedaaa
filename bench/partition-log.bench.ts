/**
 * Partition log micro-benchmark: the broker's storage layer (src/broker/log) without the
 * network, against plain file I/O of the same bytes in the same run. Successor of
 * test/broker/log/bench-partition-log.ts, with the same measurements plus a peer for each:
 *
 * - append of ~16.5 KiB batches (78 records of 200 bytes) without flush, vs plain
 *   fs.writeSync of the same bytes;
 * - append + flush() awaited after every append, 1 producer, vs fs.writeSync + fdatasync
 *   after every write;
 * - the same with 8 concurrent producers sharing group commits, vs the ideal group
 *   commit (one fdatasync per 8 writes);
 * - sequential reads in 1 MiB fetches through PartitionLog.read (async, with the event
 *   loop delay seen meanwhile), vs async fs.read of 1 MiB chunks into fresh buffers and
 *   vs blocking fs.readSync;
 * - open after a clean close (persisted indexes) vs after a crash (CRC scan, rebuild).
 *
 * Rounds interleave ours and the peer (the order flips every round); lines show medians
 * and the median of per-round ratios ours ÷ peer.
 *
 * Environment: BENCH_PARTITION_LOG_BYTES (default 256M per run), BENCH_PARTITION_LOG_ROUNDS (default 3).
 */
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PartitionLog } from '../src/broker/log/partition-log.ts';
import { describeMachine } from './lib/machine.ts';
import { encodeBatch, offsetAfter, sizedValues } from './lib/record-batch.ts';
import { envBytes, envNumber, formatBytes, max, MIB, median, min } from './lib/stats.ts';

const TOTAL = envBytes('BENCH_PARTITION_LOG_BYTES', 256 * MIB);
const ROUNDS = Math.round(envNumber('BENCH_PARTITION_LOG_ROUNDS', 3));
const SEGMENT_BYTES = 256 * MIB;
const batch = encodeBatch(sizedValues(78, 200));
const appendsPerRun = Math.ceil(TOTAL / batch.length);

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-bench-plog-'));
  try {
    return await fn(path.join(dir, 'p-0'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

function readAsync(fd: number, buffer: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buffer, 0, buffer.length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

type AppendMode = 'none' | 'each' | 'each-8';

interface AppendRun {
  mbps: number;
  /** Mean time of one append (or write) call, in microseconds. */
  callUs: number;
  fsyncs: number;
}

async function appendOurs(mode: AppendMode): Promise<AppendRun> {
  return withDir(async (dir) => {
    const log = await PartitionLog.open(dir, { config: { segmentBytes: SEGMENT_BYTES } });
    let appendNs = 0n;
    const appendOne = (): void => {
      const t0 = process.hrtime.bigint();
      log.append(batch, { now: Date.now() });
      appendNs += process.hrtime.bigint() - t0;
    };
    const started = performance.now();
    if (mode === 'none') {
      for (let i = 0; i < appendsPerRun; i++) appendOne();
    } else {
      const producers = mode === 'each' ? 1 : 8;
      const perProducer = Math.ceil(appendsPerRun / producers);
      await Promise.all(
        Array.from({ length: producers }, async () => {
          for (let i = 0; i < perProducer; i++) {
            appendOne();
            await log.flush();
          }
        }),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const bytes = log.metrics.bytesAppended;
    const fsyncs = log.metrics.flushCount;
    const callUs = Number(appendNs / 1000n) / log.metrics.batchesAppended;
    await log.close();
    return { mbps: bytes / MIB / seconds, callUs, fsyncs };
  });
}

/** The same bytes with plain positional fs.writeSync; fdatasync after every write (each) or every 8th (each-8). */
async function appendPeer(mode: AppendMode): Promise<AppendRun> {
  return withDir(async (dir) => {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(path.join(dir, 'plain.log'), 'w+');
    const syncEvery = mode === 'none' ? 0 : mode === 'each' ? 1 : 8;
    let writeNs = 0n;
    let fsyncs = 0;
    let position = 0;
    const started = performance.now();
    for (let i = 0; i < appendsPerRun; i++) {
      const t0 = process.hrtime.bigint();
      let done = 0;
      while (done < batch.length) done += fs.writeSync(fd, batch, done, batch.length - done, position + done);
      writeNs += process.hrtime.bigint() - t0;
      position += batch.length;
      if (syncEvery > 0 && (i + 1) % syncEvery === 0) {
        await fdatasync(fd);
        fsyncs++;
      }
    }
    if (syncEvery > 0) {
      await fdatasync(fd);
      fsyncs++;
    }
    const seconds = (performance.now() - started) / 1000;
    fs.closeSync(fd);
    return { mbps: position / MIB / seconds, callUs: Number(writeNs / 1000n) / appendsPerRun, fsyncs };
  });
}

interface ReadRun {
  oursMbps: number;
  asyncMbps: number;
  syncMbps: number;
  p99LoopDelayMs: number;
  maxLoopDelayMs: number;
  syncBlockUs: number;
  cleanOpenMs: number;
  crashOpenMs: number;
}

async function readRun(round: number): Promise<ReadRun> {
  return withDir(async (dir) => {
    const config = { config: { segmentBytes: SEGMENT_BYTES } };
    const writer = await PartitionLog.open(dir, config);
    for (let i = 0; i < appendsPerRun; i++) writer.append(batch, { now: Date.now() });
    await writer.close();

    let opened = performance.now();
    const reader = await PartitionLog.open(dir, config);
    const cleanOpenMs = performance.now() - opened;
    const files = reader.segments().map((s) => s.file);

    const ours = async (): Promise<{ mbps: number; p99: number; max: number }> => {
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      const started = performance.now();
      let bytes = 0;
      for (let offset = 0; offset < reader.logEndOffset; ) {
        const data = await reader.read(offset, MIB, { minOneBatch: true });
        bytes += data.length;
        offset = offsetAfter(data);
      }
      const mbps = bytes / MIB / ((performance.now() - started) / 1000);
      loop.disable();
      return { mbps, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
    };
    // Async positional reads of 1 MiB into a fresh buffer each, as a fetch needs.
    const plainAsync = async (): Promise<number> => {
      const started = performance.now();
      let bytes = 0;
      for (const file of files) {
        const fd = fs.openSync(file, 'r');
        for (let pos = 0; ; ) {
          const n = await readAsync(fd, Buffer.allocUnsafe(MIB), pos);
          if (n === 0) break;
          pos += n;
          bytes += n;
        }
        fs.closeSync(fd);
      }
      return bytes / MIB / ((performance.now() - started) / 1000);
    };
    const plainSync = (): { mbps: number; blockUs: number } => {
      const buf = Buffer.allocUnsafe(MIB);
      const started = performance.now();
      let bytes = 0;
      let blockNs = 0n;
      let reads = 0;
      for (const file of files) {
        const fd = fs.openSync(file, 'r');
        for (let pos = 0; ; ) {
          const t0 = process.hrtime.bigint();
          const n = fs.readSync(fd, buf, 0, MIB, pos);
          blockNs += process.hrtime.bigint() - t0;
          reads++;
          if (n === 0) break;
          pos += n;
          bytes += n;
        }
        fs.closeSync(fd);
      }
      return { mbps: bytes / MIB / ((performance.now() - started) / 1000), blockUs: Number(blockNs / 1000n) / reads };
    };

    let o: Awaited<ReturnType<typeof ours>>;
    let a: number;
    let s: ReturnType<typeof plainSync>;
    if (round % 2 === 0) {
      o = await ours();
      a = await plainAsync();
      s = plainSync();
    } else {
      s = plainSync();
      a = await plainAsync();
      o = await ours();
    }
    await reader.close();

    // Crash: drop the clean-shutdown mark and the index files, then time the open.
    fs.writeFileSync(path.join(dir, 'partition-state.json'), JSON.stringify({ version: 1, logStartOffset: 0, cleanShutdown: null }));
    for (const name of fs.readdirSync(dir)) if (name.endsWith('.index')) fs.rmSync(path.join(dir, name));
    opened = performance.now();
    const crashed = await PartitionLog.open(dir, config);
    const crashOpenMs = performance.now() - opened;
    await crashed.close();
    return {
      oursMbps: o.mbps,
      asyncMbps: a,
      syncMbps: s.mbps,
      p99LoopDelayMs: o.p99,
      maxLoopDelayMs: o.max,
      syncBlockUs: s.blockUs,
      cleanOpenMs,
      crashOpenMs,
    };
  });
}

const f = (n: number, digits = 0): string => n.toFixed(digits);
const ratioText = (ratios: number[], peer: string): string =>
  `ratio ${f(median(ratios), 2)} of ${peer} (rounds ${f(min(ratios), 2)}-${f(max(ratios), 2)})`;

console.log(`machine: ${describeMachine(tmpdir())}`);
console.log(
  `partition log: ${formatBytes(appendsPerRun * batch.length)} per run, ${batch.length}-byte batches of 78 x 200-byte records, ${ROUNDS} rounds (MB = MiB here, as in the log's design notes)`,
);
const labels: Record<AppendMode, [string, string]> = {
  none: ['append, no flush', 'plain fs.writeSync'],
  each: ['append + flush() each, 1 producer', 'fs.writeSync + fdatasync each'],
  'each-8': ['append + flush() each, 8 producers', 'fs.writeSync + fdatasync per 8 (ideal group commit)'],
};
for (const mode of ['none', 'each', 'each-8'] as const) {
  const ours: AppendRun[] = [];
  const peer: AppendRun[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      ours.push(await appendOurs(mode));
      peer.push(await appendPeer(mode));
    } else {
      peer.push(await appendPeer(mode));
      ours.push(await appendOurs(mode));
    }
  }
  const [label, peerLabel] = labels[mode];
  console.log(
    `${label.padEnd(38)} ${f(median(ours.map((r) => r.mbps))).padStart(5)} MB/s  ${ratioText(
      ours.map((r, i) => r.mbps / peer[i]!.mbps),
      peerLabel,
    )}  (append call ${f(median(ours.map((r) => r.callUs)), 1)} us, fsync rounds ${median(ours.map((r) => r.fsyncs))}; peer ${f(median(peer.map((r) => r.mbps)))} MB/s, write call ${f(median(peer.map((r) => r.callUs)), 1)} us, fsyncs ${median(peer.map((r) => r.fsyncs))})`,
  );
}
const reads: ReadRun[] = [];
for (let r = 0; r < ROUNDS; r++) reads.push(await readRun(r));
const m = (pick: (r: ReadRun) => number): number => median(reads.map(pick));
console.log(
  `${'read 1 MiB fetches, PartitionLog.read'.padEnd(38)} ${f(m((r) => r.oursMbps)).padStart(5)} MB/s  ${ratioText(
    reads.map((r) => r.oursMbps / r.asyncMbps),
    'async fs.read, fresh 1 MiB buffers',
  )}, ${ratioText(
    reads.map((r) => r.oursMbps / r.syncMbps),
    'fs.readSync',
  )}  (event-loop delay p99 ${f(m((r) => r.p99LoopDelayMs), 1)} ms, max ${f(m((r) => r.maxLoopDelayMs), 1)} ms)`,
);
console.log(`${'read 1 MiB, async fs.read'.padEnd(38)} ${f(m((r) => r.asyncMbps)).padStart(5)} MB/s`);
console.log(`${'read 1 MiB, plain fs.readSync'.padEnd(38)} ${f(m((r) => r.syncMbps)).padStart(5)} MB/s  (blocks the loop ${f(m((r) => r.syncBlockUs))} us per read)`);
console.log(
  `${'open: clean (indexes loaded)'.padEnd(38)} ${f(m((r) => r.cleanOpenMs), 1)} ms;  after crash (CRC scan + rebuild): ${f(m((r) => r.crashOpenMs), 1)} ms`,
);
