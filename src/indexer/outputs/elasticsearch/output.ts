/**
 * The elasticsearch output: builds bulk items (request-builder.ts), splits a batch into
 * requests by `batch_max_events` and `batch_max_bytes`, sends up to `max_in_flight` at
 * once (bulk-service.ts), and retries only the items that failed with a retryable error
 * (retry.ts), forever, with capped jittered backoff, until the output is stopped.
 */
import { indexerMetrics } from '../../pipeline/metrics.ts';
import { type Output, type OutputEvent, type OutputResult, type OutputStatus, OutputStoppedError, type PreparedItems, sleep } from '../output.ts';
import { type BulkService, createBulkService } from './bulk-service.ts';
import type { ElasticsearchClusterConfig, ElasticsearchOutputConfig } from './config.ts';
import { isPackedBulk, type PackedBulk, PackedBulkWriter, packedBody, packedStart } from './packed-bulk.ts';
import { type BulkItem, elasticsearchPreparer } from './request-builder.ts';
import { backoffMs, decideBulk } from './retry.ts';

export interface ElasticsearchOutputOptions extends OutputStatus {
  pipeline: string;
  config: ElasticsearchOutputConfig;
  cluster: ElasticsearchClusterConfig & { hosts: string[] };
  /** For tests: a fake bulk endpoint. */
  service?: BulkService;
  random?: () => number;
}

/** One shared answer for every acknowledged event (no allocation per event). */
const ACKNOWLEDGED: OutputResult = Object.freeze({ ok: true });

export function createElasticsearchOutput(options: ElasticsearchOutputOptions): Output {
  const { config, pipeline } = options;
  const hosts = config.hosts ?? options.cluster.hosts;
  const name = `elasticsearch(${hosts.join(',')})`;
  const labels = { pipeline, output: 'elasticsearch' };
  const service = options.service ?? createBulkService({ cluster: { ...options.cluster, hosts }, requestTimeoutMs: config.request_timeout_ms });
  const prepare = elasticsearchPreparer(config);
  const abort = new AbortController();
  let downSince: number | undefined;
  /** Counts the changes between available and unavailable. */
  let epoch = 0;
  let templateDone = config.index_template === undefined;
  // Writes of two batches can be in flight at once: the template is put by the first only.
  let templating: Promise<void> | undefined;

  /** Puts the index template once, retrying while the cluster is unavailable. */
  async function ensureTemplate(): Promise<void> {
    const template = config.index_template!;
    for (let attempt = 1; ; attempt++) {
      const outcome = await service.putIndexTemplate(template.name, template.body, abort.signal);
      if (abort.signal.aborted) throw new OutputStoppedError();
      if (outcome.kind === 'items' || outcome.kind === 'acknowledged') break;
      const decision = decideBulk(outcome, { actions: ['index'], conflictsAreReplays: true });
      if (decision.kind === 'partial' && decision.deadLetters.length > 0) {
        options.onSetupError?.(`index template ${template.name}: ${decision.deadLetters[0]!.reason}`);
        break;
      }
      await sleep(backoffMs(attempt, config.retry_initial_backoff_ms, config.retry_max_backoff_ms, options.random), abort.signal);
    }
    templateDone = true;
  }

  /** Sends `items` (indexes into `packed`) until each is final; fills `results`. */
  async function sendChunk(packed: PackedBulk, indexes: number[], results: OutputResult[]): Promise<void> {
    let pending: number[];
    let attempt = 0;
    let chunks: number[][] = [indexes];
    while (chunks.length > 0) {
      const next: number[][] = [];
      for (const chunk of chunks) {
        pending = chunk;
        const body = packedBody(packed, pending);
        const sentEpoch = epoch;
        const started = performance.now();
        const outcome = await service.send(body, abort.signal);
        indexerMetrics.bulkLatency.observe(labels, (performance.now() - started) / 1000);
        indexerMetrics.bulkItems.observe(labels, pending.length);
        if (abort.signal.aborted) throw new OutputStoppedError();
        const decision = decideBulk(outcome, { actions: pending.map(() => packed.action), conflictsAreReplays: config.conflicts_are_replays });
        if (decision.kind === 'split') {
          const half = Math.ceil(pending.length / 2);
          next.push(pending.slice(0, half), pending.slice(half));
          continue;
        }
        const wholeFailure = outcome.kind !== 'items' && decision.kind === 'partial' && decision.retry.length === pending.length;
        // Only an answer to a request sent in the current state changes it: with several
        // requests in flight, one sent before the outage may succeed after another failed,
        // and one sent during it may fail after another saw the recovery.
        if (!wholeFailure && downSince !== undefined && sentEpoch === epoch) {
          const downMs = Date.now() - downSince;
          downSince = undefined;
          epoch++;
          options.onRecovered?.(downMs);
        }
        const retry = decision.kind === 'ok' ? [] : decision.retry.map((k) => pending[k]!);
        if (decision.kind === 'partial') for (const dl of decision.deadLetters) results[pending[dl.item]!] = { ok: false, reason: dl.reason, status: dl.status };
        const retrying = new Set(retry);
        for (const i of pending) if (!retrying.has(i)) results[i] ??= ACKNOWLEDGED;
        if (retry.length > 0) {
          if (wholeFailure && downSince === undefined && sentEpoch === epoch) {
            downSince = Date.now();
            epoch++;
            options.onUnavailable?.(decision.kind === 'partial' ? (decision.retryReason ?? 'unavailable') : 'unavailable');
          }
          attempt++;
          indexerMetrics.retries.inc(labels, retry.length);
          await sleep(backoffMs(attempt, config.retry_initial_backoff_ms, config.retry_max_backoff_ms, options.random), abort.signal);
          next.push(retry);
        } else attempt = 0;
      }
      chunks = next;
    }
  }

  return {
    name,
    write(events: readonly OutputEvent[]): Promise<OutputResult[]> {
      return this.send(prepare(events));
    },
    async send(prepared: PreparedItems): Promise<OutputResult[]> {
      if (!templateDone) {
        templating ??= ensureTemplate().finally(() => {
          templating = undefined;
        });
        await templating;
      }
      const packed = isPackedBulk(prepared) ? prepared : pack(prepared as readonly (BulkItem | string | null)[], config.action);
      const results: OutputResult[] = new Array(packed.count);
      for (const [i, reason] of packed.refused) results[i] = reason === null ? ACKNOWLEDGED : { ok: false, reason };
      // Split by count and bytes.
      const chunks: number[][] = [];
      let current: number[] = [];
      let bytes = 0;
      for (let i = 0; i < packed.count; i++) {
        if (results[i] !== undefined) continue;
        const size = packed.ends[i]! - packedStart(packed, i);
        if (current.length > 0 && (current.length >= config.batch_max_events || bytes + size > config.batch_max_bytes)) {
          chunks.push(current);
          current = [];
          bytes = 0;
        }
        current.push(i);
        bytes += size;
      }
      if (current.length > 0) chunks.push(current);
      // Up to max_in_flight requests at once.
      let nextChunk = 0;
      const worker = async () => {
        while (nextChunk < chunks.length) await sendChunk(packed, chunks[nextChunk++]!, results);
      };
      await Promise.all(Array.from({ length: Math.min(config.max_in_flight, chunks.length) }, worker));
      let acked = 0;
      for (const r of results) if (r.ok) acked++;
      indexerMetrics.eventsOut.inc(labels, acked);
      return results;
    },
    async stop() {
      if (abort.signal.aborted) return;
      abort.abort();
      if (options.service === undefined) await service.close();
    },
  };
}

/** Items built one by one (BulkItem, a refusal reason, or null: not taken) as one PackedBulk. */
function pack(items: readonly (BulkItem | string | null)[], action: PackedBulk['action']): PackedBulk {
  const writer = new PackedBulkWriter(action, items.length);
  for (const item of items) {
    if (item === null || typeof item === 'string') writer.refuse(item);
    else {
      writer.write(item.body);
      writer.end();
    }
  }
  return writer.finish();
}
