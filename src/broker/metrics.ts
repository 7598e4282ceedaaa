/** The broker's Prometheus metrics (registered once on the shared registry). */
import { counter, gauge, histogram, LATENCY_BUCKETS } from '../telemetry/metrics.ts';

export const brokerMetrics = {
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
  fsyncSeconds: histogram({ name: 'loglane_broker_fsync_seconds', help: 'Duration of group-commit flushes', buckets: LATENCY_BUCKETS }),
  logSizeBytes: gauge({ name: 'loglane_broker_log_size_bytes', help: 'Bytes on disk per partition', labelNames: ['topic', 'partition'] as const }),
  logEndOffset: gauge({ name: 'loglane_broker_log_end_offset', help: 'Log end offset per partition', labelNames: ['topic', 'partition'] as const }),
  logStartOffset: gauge({ name: 'loglane_broker_log_start_offset', help: 'Log start offset per partition', labelNames: ['topic', 'partition'] as const }),
};
