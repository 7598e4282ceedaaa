/** The shipper's Prometheus metrics (on every process's admin `/metrics`). */
import { counter, gauge } from '../telemetry/metrics.ts';

export const shipperMetrics = {
  eventsRead: counter({ name: 'loglane_shipper_events_read_total', help: 'Events read by an input.', labelNames: ['input'] as const }),
  bytesRead: counter({ name: 'loglane_shipper_bytes_read_total', help: 'Bytes read by an input (file bytes, datagrams, request bodies).', labelNames: ['input'] as const }),
  eventsSent: counter({ name: 'loglane_shipper_events_sent_total', help: 'Events acknowledged by Kafka.', labelNames: ['input', 'topic'] as const }),
  bytesSent: counter({ name: 'loglane_shipper_bytes_sent_total', help: 'Message bytes acknowledged by Kafka.', labelNames: ['topic'] as const }),
  eventsRejected: counter({ name: 'loglane_shipper_events_rejected_total', help: 'Events written to the reject file instead of Kafka (too large, invalid topic).', labelNames: ['input', 'topic', 'reason'] as const }),
  retries: counter({ name: 'loglane_shipper_produce_retries_total', help: 'Produce requests retried after a failure.' }),
  truncatedLines: counter({ name: 'loglane_shipper_lines_truncated_total', help: 'Lines longer than max_line_bytes, truncated and flagged.', labelNames: ['input'] as const }),
  invalidInput: counter({ name: 'loglane_shipper_invalid_input_total', help: 'Input that could not be read or parsed as expected (reason label).', labelNames: ['input', 'reason'] as const }),
  registryLag: gauge({ name: 'loglane_shipper_registry_lag_bytes', help: 'Bytes read from a file but not yet acknowledged by Kafka.', labelNames: ['input', 'path'] as const }),
  openFiles: gauge({ name: 'loglane_shipper_open_files', help: 'Files being harvested.', labelNames: ['input'] as const }),
  queued: gauge({ name: 'loglane_shipper_queued_events', help: 'Events read and not yet acknowledged.' }),
  laneMoves: counter({ name: 'loglane_shipper_lane_moves_total', help: 'Tenants moved into (to=burst) or out of (to=normal) the burst lane.', labelNames: ['tenant', 'to'] as const }),
};
