/**
 * The store's Prometheus metrics (on the admin listener's /metrics, and on the store's
 * own `GET /_prometheus/metrics`). Per-index gauges are read from the engine at scrape
 * time from every store running in this process.
 */
import { counter, gauge, histogram, LATENCY_BUCKETS } from '../telemetry/metrics.ts';
import type { EngineClient } from './engine/api.ts';

const sources = new Set<EngineClient>();

export const storeMetrics = {
  docsIndexed: counter({ name: 'loglane_store_docs_indexed_total', help: 'Documents written (index, create, update) per index', labelNames: ['index'] as const }),
  docsRejected: counter({
    name: 'loglane_store_docs_rejected_total',
    help: 'Bulk and document items that failed, per index and reason (es_rejected_execution_exception = backpressure 429)',
    labelNames: ['index', 'reason'] as const,
  }),
  bulkSeconds: histogram({ name: 'loglane_store_bulk_seconds', help: 'Time to answer a _bulk request (including the durable commit)', buckets: LATENCY_BUCKETS }),
  bulkItems: counter({ name: 'loglane_store_bulk_items_total', help: 'Items received in _bulk requests' }),
  querySeconds: histogram({ name: 'loglane_store_query_seconds', help: 'Time to answer read requests, per API', labelNames: ['api'] as const, buckets: LATENCY_BUCKETS }),
  requests: counter({ name: 'loglane_store_http_requests_total', help: 'HTTP requests by method and status', labelNames: ['method', 'status'] as const }),
  queuedBytes: gauge({ name: 'loglane_store_write_queue_bytes', help: 'Bytes of bulk items waiting to be committed' }),
  indexSize: gauge({
    name: 'loglane_store_index_size_bytes',
    help: 'Bytes on disk per index (database and write-ahead log)',
    labelNames: ['index'] as const,
    async collect() {
      this.reset();
      for (const stats of await collectStats()) for (const s of stats) this.set({ index: s.name }, s.sizeBytes);
    },
  }),
  indexDocs: gauge({
    name: 'loglane_store_index_docs',
    help: 'Live documents per index',
    labelNames: ['index'] as const,
    async collect() {
      this.reset();
      for (const stats of await collectStats()) for (const s of stats) this.set({ index: s.name }, s.docs);
    },
  }),
};

async function collectStats() {
  return Promise.all([...sources].map((s) => s.call('indexStats').catch(() => [])));
}

/** Registers a running store's engine for the per-index gauges; returns the unregister function. */
export function trackStore(engine: EngineClient): () => void {
  sources.add(engine);
  return () => sources.delete(engine);
}
