/**
 * Retention planning (`cleanup.policy=delete`), as a pure function over segment
 * summaries so the rules can be table-tested:
 * 1. from the oldest, whole segments whose newest timestamp is older than `retention.ms`
 *    (a segment without timestamps uses its file's modification time, as Kafka does);
 * 2. then, from the oldest remaining, whole segments while the partition stays larger
 *    than `retention.bytes` without them.
 * Only a prefix of the non-active segments is ever deleted, so the log stays contiguous
 * and the new log start offset is the base offset of the first segment kept.
 */
import type { LogConfig } from './log-config.ts';

export interface RetentionCandidate {
  baseOffset: number;
  sizeBytes: number;
  /** Largest batch timestamp, or the file's mtime when the segment has none. */
  newestTimestamp: number;
}

export type RetentionReason = 'retention.ms' | 'retention.bytes';

export interface RetentionPlan {
  /** How many of the oldest candidates to delete. */
  count: number;
  reasons: RetentionReason[];
}

/**
 * `candidates` are the non-active segments, oldest first; `totalBytes` includes the
 * active segment.
 */
export function planRetention(
  candidates: readonly RetentionCandidate[],
  totalBytes: number,
  config: Pick<LogConfig, 'retentionMs' | 'retentionBytes'>,
  now: number,
): RetentionPlan {
  const reasons: RetentionReason[] = [];
  let count = 0;
  if (config.retentionMs >= 0) {
    while (count < candidates.length && now - candidates[count]!.newestTimestamp > config.retentionMs) {
      reasons.push('retention.ms');
      count++;
    }
  }
  if (config.retentionBytes >= 0) {
    let remaining = totalBytes;
    for (let i = 0; i < count; i++) remaining -= candidates[i]!.sizeBytes;
    while (count < candidates.length && remaining - candidates[count]!.sizeBytes >= config.retentionBytes) {
      remaining -= candidates[count]!.sizeBytes;
      reasons.push('retention.bytes');
      count++;
    }
  }
  return { count, reasons };
}
