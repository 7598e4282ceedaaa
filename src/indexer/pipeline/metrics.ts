/** The indexer's metrics, labelled by pipeline (and output where it applies). */
import { counter, gauge, histogram, LATENCY_BUCKETS } from '../../telemetry/metrics.ts';

export const indexerMetrics = {
  eventsIn: counter({ name: 'loglane_indexer_events_in_total', help: 'Events decoded from consumed messages', labelNames: ['pipeline'] as const }),
  eventsFiltered: counter({ name: 'loglane_indexer_events_filtered_total', help: 'Events dropped by filters', labelNames: ['pipeline'] as const }),
  eventsOut: counter({ name: 'loglane_indexer_events_out_total', help: 'Events acknowledged by an output', labelNames: ['pipeline', 'output'] as const }),
  deadLettered: counter({ name: 'loglane_indexer_dead_lettered_total', help: 'Messages and events sent to the dead-letter topic, by stage', labelNames: ['pipeline', 'stage'] as const }),
  bulkLatency: histogram({ name: 'loglane_indexer_bulk_seconds', help: 'Latency of _bulk requests', labelNames: ['pipeline', 'output'] as const, buckets: LATENCY_BUCKETS }),
  bulkItems: histogram({ name: 'loglane_indexer_bulk_items', help: 'Items per _bulk request', labelNames: ['pipeline', 'output'] as const, buckets: [1, 10, 50, 100, 250, 500, 1000, 5000] }),
  retries: counter({ name: 'loglane_indexer_retries_total', help: 'Items sent again after a retryable failure', labelNames: ['pipeline', 'output'] as const }),
  pausedPartitions: gauge({ name: 'loglane_indexer_paused_partitions', help: 'Partitions not fetched because the outputs are behind or unavailable', labelNames: ['pipeline'] as const }),
  lag: gauge({ name: 'loglane_indexer_consumer_lag', help: 'Messages after the last committed offset, per partition this member committed (end offset − committed)', labelNames: ['pipeline', 'topic', 'partition'] as const }),
  committed: counter({ name: 'loglane_indexer_offsets_committed_total', help: 'Offset commits made', labelNames: ['pipeline'] as const }),
};
