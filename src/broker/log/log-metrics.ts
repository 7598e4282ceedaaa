/**
 * Counters a partition log keeps for the broker to export (prom-client collectors read
 * these plain fields on scrape; nothing here depends on prom-client). All counters only
 * grow, except the `last*` gauges.
 */
export interface LogMetrics {
  /** Batch bytes written to segments (duplicates from idempotent retries excluded). */
  bytesAppended: number;
  recordsAppended: number;
  batchesAppended: number;
  /** Appends answered from idempotent producer state without writing. */
  duplicateBatches: number;
  /** Group-commit rounds that ran (each covers every flush() caller that joined it). */
  flushCount: number;
  /** fdatasync/fsync system calls issued (segment files and the directory). */
  fsyncCount: number;
  /** Wall time of the last flush round, milliseconds. */
  lastFsyncMs: number;
  /** Sum of flush round wall times, milliseconds. */
  totalFsyncMs: number;
  segmentsRolled: number;
  segmentsDeleted: number;
  /** Bytes cut off torn or corrupt tails during recovery since open. */
  recoveryTruncatedBytes: number;
}

export function newLogMetrics(): LogMetrics {
  return {
    bytesAppended: 0,
    recordsAppended: 0,
    batchesAppended: 0,
    duplicateBatches: 0,
    flushCount: 0,
    fsyncCount: 0,
    lastFsyncMs: 0,
    totalFsyncMs: 0,
    segmentsRolled: 0,
    segmentsDeleted: 0,
    recoveryTruncatedBytes: 0,
  };
}

/** The logging surface the log uses (a pino logger satisfies it). */
export interface LogLogger {
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
}

export const SILENT_LOGGER: LogLogger = { info() {}, warn() {} };
