/**
 * Partition log throughput measurement (not a test: no `.test.ts` suffix). Belongs in
 * bench/ once that folder's owner adopts it; kept here because this team owns only the
 * log folders. Run: node test/broker/log/bench-partition-log.ts [MiB per run, default 256]
 *
 * Prints one line per scenario, median of 3 rounds:
 * - append of ~16 KiB batches of 200-byte records, without flush and with flush() awaited
 *   after every append (1 producer, then 8 concurrent producers sharing group commits);
 * - sequential reads (1 MiB fetches) through PartitionLog.read (async) and, for
 *   comparison, plain fs.readSync of the same bytes;
 * - open after a clean close (persisted indexes) vs after a crash (CRC scan, rebuild).
 */
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import { encodeBatch, sizedRecords } from './helpers/record-batch-builder.ts';

const MIB = 1024 * 1024;
const totalMiB = Number(process.argv[2] ?? 256);
const ROUNDS = 3;
const batch = encodeBatch(sizedRecords(78, 200)); // 200-byte values, ~16.5 KiB batch
const appendsPerRun = Math.ceil((totalMiB * MIB) / batch.length);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loglane-bench-'));
  try {
    return await fn(path.join(dir, 'p-0'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function appendRun(mode: 'none' | 'each' | 'each-8'): Promise<{ mbps: number; appendUs: number; fsyncs: number }> {
  return withDir(async (dir) => {
    const log = await PartitionLog.open(dir);
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
    await log.close();
    return { mbps: bytes / MIB / seconds, appendUs: Number(appendNs / 1000n) / log.metrics.batchesAppended, fsyncs };
  });
}

async function readRuns(): Promise<{ asyncMbps: number; syncMbps: number; maxLoopDelayMs: number; p99LoopDelayMs: number; syncBlockUs: number; cleanOpenMs: number; crashOpenMs: number }> {
  return withDir(async (dir) => {
    const log = await PartitionLog.open(dir, { config: { segmentBytes: 256 * MIB } });
    for (let i = 0; i < appendsPerRun; i++) log.append(batch, { now: Date.now() });
    await log.close();

    let opened = performance.now();
    const reader = await PartitionLog.open(dir, { config: { segmentBytes: 256 * MIB } });
    const cleanOpenMs = performance.now() - opened;
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    let started = performance.now();
    let bytes = 0;
    for (let offset = 0; offset < reader.logEndOffset; ) {
      const data = await reader.read(offset, MIB, { minOneBatch: true });
      bytes += data.length;
      // the last batch's base offset + count: walk the headers of the returned bytes
      let at = 0;
      let last = offset;
      while (at < data.length) {
        last = Number(data.readBigInt64BE(at)) + data.readInt32BE(at + 23);
        at += data.readInt32BE(at + 8) + 12;
      }
      offset = last + 1;
    }
    const asyncMbps = bytes / MIB / ((performance.now() - started) / 1000);
    loop.disable();
    const maxLoopDelayMs = loop.max / 1e6;
    const p99LoopDelayMs = loop.percentile(99) / 1e6;

    const files = reader.segments().map((s) => s.file);
    const buf = Buffer.allocUnsafe(MIB);
    started = performance.now();
    bytes = 0;
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
    const syncMbps = bytes / MIB / ((performance.now() - started) / 1000);
    await reader.close();

    // Crash: drop the clean-shutdown mark and the index files, then time the open.
    fs.writeFileSync(path.join(dir, 'partition-state.json'), JSON.stringify({ version: 1, logStartOffset: 0, cleanShutdown: null }));
    for (const name of fs.readdirSync(dir)) if (name.endsWith('.index')) fs.rmSync(path.join(dir, name));
    opened = performance.now();
    const crashed = await PartitionLog.open(dir, { config: { segmentBytes: 256 * MIB } });
    const crashOpenMs = performance.now() - opened;
    await crashed.close();
    return { asyncMbps, syncMbps, maxLoopDelayMs, p99LoopDelayMs, syncBlockUs: Number(blockNs / 1000n) / reads, cleanOpenMs, crashOpenMs };
  });
}

const f = (n: number, d = 0): string => n.toFixed(d);
console.log(`partition log bench: ${totalMiB} MiB per run, ${batch.length}-byte batches of 78 x 200-byte records, median of ${ROUNDS}`);
for (const mode of ['none', 'each', 'each-8'] as const) {
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(await appendRun(mode));
  const label = { none: 'append, no flush', each: 'append + flush() each, 1 producer', 'each-8': 'append + flush() each, 8 producers' }[mode];
  console.log(
    `${label.padEnd(40)} ${f(median(runs.map((r) => r.mbps)))} MB/s  (append call ${f(median(runs.map((r) => r.appendUs)), 1)} us, fsync rounds ${median(runs.map((r) => r.fsyncs))})`,
  );
}
const reads = [];
for (let r = 0; r < ROUNDS; r++) reads.push(await readRuns());
console.log(
  `${'read 1 MiB fetches, PartitionLog.read'.padEnd(40)} ${f(median(reads.map((r) => r.asyncMbps)))} MB/s  (event-loop delay p99 ${f(median(reads.map((r) => r.p99LoopDelayMs)), 1)} ms, max ${f(median(reads.map((r) => r.maxLoopDelayMs)), 1)} ms)`,
);
console.log(
  `${'read 1 MiB, plain fs.readSync'.padEnd(40)} ${f(median(reads.map((r) => r.syncMbps)))} MB/s  (blocks the loop ${f(median(reads.map((r) => r.syncBlockUs)))} us per read)`,
);
console.log(
  `${'open: clean (indexes loaded)'.padEnd(40)} ${f(median(reads.map((r) => r.cleanOpenMs)), 1)} ms;  after crash (CRC scan + rebuild): ${f(median(reads.map((r) => r.crashOpenMs)), 1)} ms`,
);
