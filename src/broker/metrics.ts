/**
 * The broker's Prometheus metrics (registered once on the shared registry). Request and
 * traffic metrics are updated as requests are handled; per-partition log figures are
 * read from every running broker's partition logs when /metrics is scraped.
 */
import type { Counter, Gauge } from 'prom-client';
import { counter, gauge, histogram, LATENCY_BUCKETS } from '../telemetry/metrics.ts';
import type { PartitionLog } from './log/partition-log.ts';
import type { GroupCoordinator } from './groups/group-coordinator.ts';
import type { TopicManager } from './topic-manager.ts';

interface Source {
  topics: TopicManager;
  groups: GroupCoordinator;
}

const sources = new Set<Source>();

/** Makes a broker's partitions and groups visible to the scrape-time metrics; returns the undo. */
export function trackBroker(source: Source): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

function forEachLog(visit: (log: PartitionLog, labels: { topic: string; partition: string }) => void): void {
  for (const { topics } of sources) {
    for (const topic of topics.topics()) {
      topic.partitions.forEach((log, index) => {
        visit(log, { topic: topic.meta.name, partition: String(index) });
      });
    }
  }
}

const PARTITION = ['topic', 'partition'] as const;

function partitionGauge(name: string, help: string, read: (log: PartitionLog) => number): Gauge<'topic' | 'partition'> {
  return gauge({
    name,
    help,
    labelNames: PARTITION,
    collect(this: Gauge<'topic' | 'partition'>) {
      this.reset();
      forEachLog((log, labels) => this.set(labels, read(log)));
    },
  });
}

/** A counter whose value lives in the logs (they only grow while a log is open). */
function logCounter(name: string, help: string, read: (log: PartitionLog) => number): Counter<'topic' | 'partition'> {
  return counter({
    name,
    help,
    labelNames: PARTITION,
    collect(this: Counter<'topic' | 'partition'>) {
      this.reset();
      forEachLog((log, labels) => this.inc(labels, read(log)));
    },
  });
}

export const brokerMetrics = {
  consumerLag: gauge({
    name: 'loglane_broker_consumer_lag',
    help: 'Records between a consumer group\'s committed offset and the log end offset, per group and partition',
    labelNames: ['group', 'topic', 'partition'] as const,
    collect(this: Gauge<'group' | 'topic' | 'partition'>) {
      this.reset();
      for (const { topics, groups } of sources) {
        for (const group of groups.listGroupOffsets()) {
          for (const committed of group.offsets) {
            const log = topics.partition(committed.topic, committed.partition);
            if (!log || committed.offset < 0) continue;
            const labels = { group: group.groupId, topic: committed.topic, partition: String(committed.partition) };
            this.set(labels, Math.max(0, log.logEndOffset - committed.offset));
          }
        }
      }
    },
  }),
  requests: counter({ name: 'loglane_broker_requests_total', help: 'Kafka requests handled, by API', labelNames: ['api'] as const }),
  requestSeconds: histogram({
    name: 'loglane_broker_request_seconds',
    help: 'Time from a request frame arriving to its response being queued, by API',
    labelNames: ['api'] as const,
    buckets: LATENCY_BUCKETS,
  }),
  connections: gauge({ name: 'loglane_broker_connections', help: 'Open client connections' }),
  connectionsClosedForErrors: counter({
    name: 'loglane_broker_connections_closed_total',
    help: 'Connections the broker closed because of a bad frame or request, by reason',
    labelNames: ['reason'] as const,
  }),
  bytesIn: counter({ name: 'loglane_broker_bytes_in_total', help: 'Record batch bytes appended, by topic', labelNames: ['topic'] as const }),
  recordsIn: counter({ name: 'loglane_broker_records_in_total', help: 'Records appended, by topic', labelNames: ['topic'] as const }),
  bytesOut: counter({ name: 'loglane_broker_bytes_out_total', help: 'Record batch bytes returned by Fetch, by topic', labelNames: ['topic'] as const }),
  produceErrors: counter({
    name: 'loglane_broker_produce_errors_total',
    help: 'Partitions of produce requests answered with an error, by Kafka error name',
    labelNames: ['error'] as const,
  }),
  logSizeBytes: partitionGauge('loglane_broker_log_size_bytes', 'Bytes on disk per partition', (log) => log.sizeBytes),
  logEndOffset: partitionGauge('loglane_broker_log_end_offset', 'Log end offset (high watermark) per partition', (log) => log.logEndOffset),
  logStartOffset: partitionGauge('loglane_broker_log_start_offset', 'Log start offset per partition', (log) => log.logStartOffset),
  unflushedRecords: partitionGauge(
    'loglane_broker_log_unflushed_records',
    'Records appended but not yet fsynced, per partition',
    (log) => log.logEndOffset - log.flushedOffset,
  ),
  fsyncs: logCounter('loglane_broker_fsync_total', 'fsync calls per partition since it was opened', (log) => log.metrics.fsyncCount),
  fsyncSeconds: logCounter('loglane_broker_fsync_seconds_total', 'Time spent in group-commit flushes per partition since it was opened', (log) => log.metrics.totalFsyncMs / 1000),
  duplicateBatches: logCounter(
    'loglane_broker_duplicate_batches_total',
    'Idempotent producer retries answered from producer state without writing, per partition',
    (log) => log.metrics.duplicateBatches,
  ),
  recoveryTruncatedBytes: logCounter(
    'loglane_broker_recovery_truncated_bytes_total',
    'Bytes of torn or corrupt tails cut off when the partition was opened',
    (log) => log.metrics.recoveryTruncatedBytes,
  ),
};
