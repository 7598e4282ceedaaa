/**
 * Producer state snapshot files: `<20-digit offset>.snapshot` holds the idempotent
 * producer state after every batch below that offset (producer-state.ts encodes it with
 * a CRC). Written at each segment roll and on close; the newest SNAPSHOTS_KEPT are kept.
 * Written via temp file + rename without fsync: a snapshot torn by a crash fails its CRC
 * and the previous one (or the log itself) is used instead.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RecoveryReport } from './partition-log-loader.ts';
import { ProducerStateManager } from './producer-state.ts';
import { offsetFileName, parseOffsetFileName, type Segment } from './segment.ts';

export const SNAPSHOT_SUFFIX = '.snapshot';
export const SNAPSHOTS_KEPT = 2;

async function snapshotOffsets(dir: string): Promise<number[]> {
  return (await fs.readdir(dir))
    .map((name) => parseOffsetFileName(name, SNAPSHOT_SUFFIX))
    .filter((o): o is number => o !== null)
    .sort((a, b) => b - a);
}

export async function writeProducerSnapshot(dir: string, offset: number, data: Buffer): Promise<void> {
  const file = path.join(dir, offsetFileName(offset, SNAPSHOT_SUFFIX));
  await fs.writeFile(`${file}.tmp`, data);
  await fs.rename(`${file}.tmp`, file);
  for (const old of (await snapshotOffsets(dir)).slice(SNAPSHOTS_KEPT)) {
    await fs.rm(path.join(dir, offsetFileName(old, SNAPSHOT_SUFFIX)), { force: true });
  }
}

/**
 * Loads the newest valid snapshot at or below the log end (deleting any above it: they
 * describe batches a truncation removed), then replays the batch headers after it.
 */
export async function restoreProducerState(
  dir: string,
  segments: readonly Segment[],
  logStartOffset: number,
  report: RecoveryReport,
): Promise<ProducerStateManager> {
  const producers = new ProducerStateManager();
  const logEndOffset = segments.at(-1)!.nextOffset;
  let from: number | null = null;
  for (const offset of await snapshotOffsets(dir)) {
    const file = path.join(dir, offsetFileName(offset, SNAPSHOT_SUFFIX));
    if (offset > logEndOffset) await fs.rm(file, { force: true });
    else if (from === null) from = producers.restore(await fs.readFile(file));
  }
  report.producerSnapshotOffset = from;
  const replayFrom = Math.max(from ?? 0, segments[0]!.baseOffset);
  for (const seg of segments) {
    if (seg.nextOffset <= replayFrom) continue;
    await seg.forEachHeader(replayFrom, (header) => {
      producers.replay(header);
      report.producerBatchesReplayed++;
    });
  }
  producers.truncateHead(logStartOffset);
  return producers;
}
