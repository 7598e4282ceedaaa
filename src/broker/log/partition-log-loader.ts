/**
 * Opening a partition directory: find the segments, trust or rebuild their indexes,
 * truncate a torn or corrupt tail, restore the log start offset and the idempotent
 * producer state.
 *
 * Which segments are re-scanned (CRC of every batch, indexes rebuilt):
 * - the active (last) segment, unless the clean-shutdown marker names it with its size;
 * - any other segment whose index file is missing, fails its CRC or describes another
 *   file size. An index file is written only after its segment was fsynced, so a valid
 *   one plays the role of Kafka's recovery point for that segment.
 * A scan stops at the first invalid batch and truncates the file there; the segments
 * after it, which no longer follow contiguously, are deleted, as Kafka does.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { storageError } from './fs-io.ts';
import type { LogConfig } from './log-config.ts';
import type { LogLogger } from './log-metrics.ts';
import { PARTITION_STATE_FILE, readPartitionState, writePartitionState } from './partition-state-file.ts';
import type { ProducerStateManager } from './producer-state.ts';
import { restoreProducerState, SNAPSHOT_SUFFIX } from './producer-snapshots.ts';
import { INDEX_SUFFIX, LOG_SUFFIX, parseOffsetFileName, Segment } from './segment.ts';

/** What open found and did; also logged. */
export interface RecoveryReport {
  cleanShutdown: boolean;
  segmentsLoaded: number;
  /** Segments whose batches were re-read and CRC-checked. */
  segmentsScanned: number;
  /** Bytes cut off torn or corrupt tails, deleted non-contiguous segments included. */
  truncatedBytes: number;
  /** Whole segments deleted because they followed a truncation or lay below the log start. */
  segmentsDropped: number;
  /** Why a scan stopped early, per truncated segment. */
  truncations: { file: string; position: number; bytes: number; reason: string }[];
  /** Snapshot offset producer state was restored from (null: replayed from the log start). */
  producerSnapshotOffset: number | null;
  producerBatchesReplayed: number;
}

export interface LoadedPartition {
  segments: Segment[];
  logStartOffset: number;
  producers: ProducerStateManager;
  report: RecoveryReport;
}

export async function loadPartition(
  dir: string,
  config: Readonly<LogConfig>,
  logger: LogLogger,
  now: number,
): Promise<LoadedPartition> {
  await fs.mkdir(dir, { recursive: true });
  const state = await readPartitionState(dir);
  const names = await fs.readdir(dir);
  const logBases: number[] = [];
  for (const name of names) {
    if (isOwnTempFile(name)) await fs.rm(path.join(dir, name), { force: true });
    const base = parseOffsetFileName(name, LOG_SUFFIX);
    if (base !== null) logBases.push(base);
  }
  logBases.sort((a, b) => a - b);
  for (const name of names) {
    const base = parseOffsetFileName(name, INDEX_SUFFIX);
    if (base !== null && !logBases.includes(base)) await fs.rm(path.join(dir, name), { force: true });
  }
  if (state === null && logBases.length > 0) {
    logger.warn({ dir }, 'partition state file missing or unreadable; log start offset taken from the first segment');
  }

  const report: RecoveryReport = {
    cleanShutdown: state?.cleanShutdown != null,
    segmentsLoaded: 0,
    segmentsScanned: 0,
    truncatedBytes: 0,
    segmentsDropped: 0,
    truncations: [],
    producerSnapshotOffset: null,
    producerBatchesReplayed: 0,
  };
  let segments: Segment[] = [];
  try {
    for (const base of logBases) segments.push(await Segment.open(dir, base));
  } catch (err) {
    for (const s of segments) s.close();
    throw storageError(`cannot open the segments of ${dir}`, err, { dir });
  }
  segments = await checkSegments(segments, state?.cleanShutdown ?? null, config, logger, now, report);

  let logStartOffset = Math.max(state?.logStartOffset ?? 0, segments[0]?.baseOffset ?? 0);
  const logEndOffset = segments.at(-1)?.nextOffset ?? logStartOffset;
  if (logStartOffset > logEndOffset) {
    // The checkpointed start lies past what survived: start an empty log there so that no
    // offset below it is ever handed out again (Kafka's truncateFullyAndStartAt).
    logger.warn({ dir, logStartOffset, logEndOffset }, 'log start offset beyond the recovered log end; starting empty');
    for (const s of segments) await s.deleteFiles();
    report.segmentsDropped += segments.length;
    segments = [];
  }
  if (segments.length === 0) segments.push(Segment.createSync(dir, logStartOffset));
  while (segments.length > 1 && segments[1]!.baseOffset <= logStartOffset) {
    await segments.shift()!.deleteFiles();
    report.segmentsDropped++;
  }
  logStartOffset = Math.max(logStartOffset, segments[0]!.baseOffset);

  const producers = await restoreProducerState(dir, segments, logStartOffset, report);
  await writePartitionState(dir, { logStartOffset, cleanShutdown: null });
  report.segmentsLoaded = segments.length;
  if (report.truncatedBytes > 0 || report.segmentsDropped > 0) {
    logger.warn({ dir, ...report }, 'partition log recovered: a torn or corrupt tail was truncated');
  } else if (!report.cleanShutdown) {
    logger.info({ dir, ...report }, 'partition log recovered after an unclean shutdown');
  }
  return { segments, logStartOffset, producers, report };
}

async function checkSegments(
  segments: Segment[],
  clean: { activeBaseOffset: number; activeSizeBytes: number } | null,
  config: Readonly<LogConfig>,
  logger: LogLogger,
  now: number,
  report: RecoveryReport,
): Promise<Segment[]> {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const isActive = i === segments.length - 1;
    const trusted = !isActive || (clean?.activeBaseOffset === seg.baseOffset && clean.activeSizeBytes === seg.size);
    if (!(trusted && (await seg.loadIndex()))) {
      report.segmentsScanned++;
      const result = await seg.recover(config.indexIntervalBytes, now);
      if (result.truncatedBytes > 0) {
        report.truncatedBytes += result.truncatedBytes;
        report.truncations.push({
          file: seg.logPath,
          position: result.validBytes,
          bytes: result.truncatedBytes,
          reason: result.reason ?? 'unknown',
        });
        logger.warn(
          { file: seg.logPath, position: result.validBytes, bytes: result.truncatedBytes, reason: result.reason },
          'truncated an invalid segment tail',
        );
      }
    }
    const next = segments[i + 1];
    if (next !== undefined && next.baseOffset !== seg.nextOffset) {
      const dropped = segments.slice(i + 1);
      for (const s of dropped) {
        report.truncatedBytes += s.size;
        await s.deleteFiles();
      }
      report.segmentsDropped += dropped.length;
      logger.warn(
        { after: seg.logPath, nextOffset: seg.nextOffset, deleted: dropped.map((s) => s.logPath) },
        'deleted segments that no longer follow the recovered log',
      );
      return segments.slice(0, i + 1);
    }
  }
  return segments;
}

/** Temp files this module's writers leave behind when a crash interrupts them. */
function isOwnTempFile(name: string): boolean {
  return (
    name === `${PARTITION_STATE_FILE}.tmp` ||
    (name.endsWith('.tmp') && [INDEX_SUFFIX, SNAPSHOT_SUFFIX].some((suffix) => name.endsWith(`${suffix}.tmp`)))
  );
}
