/**
 * `_bulk`, and the write path every document API shares: backpressure (items beyond the
 * write queue's capacity get a per-item 429 es_rejected_execution_exception inside a 200,
 * which the official bulk helpers, Filebeat and Logstash retry), the test fault injector,
 * the engine call (answered after the durable commit) and metrics.
 */
import { expandOutcome, type ItemResult, type WriteItem } from '../engine/documents.ts';
import { rejectedExecution } from '../errors.ts';
import type { Ctx, Router } from '../http/router.ts';
import { storeMetrics } from '../metrics.ts';
import { parseBulk, refreshParam } from './bulk-parse.ts';

export const BULK_PARAMS = [
  'wait_for_active_shards',
  'refresh',
  'routing',
  'type',
  '_source',
  '_source_excludes',
  '_source_includes',
  'pipeline',
  'require_alias',
  'require_data_stream',
  'list_executed_pipelines',
  'include_source_on_error',
];

export const PIPELINE_WARNING = '299 Elasticsearch-loglane "ingest pipelines are stored but not executed by the loglane store; documents were indexed as sent"';

export function registerBulkRoutes(router: Router): void {
  router.add(['POST', 'PUT'], ['/_bulk', '/:index/_bulk'], BULK_PARAMS, bulk);
}

async function bulk(ctx: Ctx) {
  const started = process.hrtime.bigint();
  const body = ctx.body ?? Buffer.alloc(0);
  const refresh = refreshParam(ctx.query.refresh);
  const parsed = parseBulk(body, {
    ...(ctx.params.index ? { index: ctx.params.index } : {}),
    ...(ctx.query.routing ? { routing: ctx.query.routing } : {}),
    ...(ctx.query.pipeline ? { pipeline: ctx.query.pipeline } : {}),
    requireAlias: ctx.flag('require_alias'),
  });
  storeMetrics.bulkItems.inc(parsed.items.length);
  const response = await executeWrite(ctx, body, parsed.items, parsed.sizes, refresh === 'true');
  const took = Number((process.hrtime.bigint() - started) / 1_000_000n);
  storeMetrics.bulkSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  return {
    body: { errors: response.errors, took, items: response.items },
    ...(parsed.pipelines ? { headers: { Warning: PIPELINE_WARNING } } : {}),
  };
}

/**
 * Hands items to the engine, except those the write queue has no room for (per-item 429)
 * and those the test fault injector picks; merges the answers back in request order.
 */
export async function executeWrite(ctx: Ctx, body: Buffer, items: WriteItem[], sizes: number[], forcedRefresh: boolean): Promise<{ items: ItemResult[]; errors: boolean }> {
  const { state } = ctx;
  const accepted: WriteItem[] = [];
  const slots: (ItemResult | null)[] = new Array(items.length).fill(null);
  let bytes = 0;
  let overloaded = false;
  items.forEach((item, i) => {
    const size = sizes[i]!;
    const injected = item.start !== undefined && state.injectRejection(body.subarray(item.start, item.end));
    if (!overloaded && !injected && !state.admit(bytes + size)) overloaded = true;
    if (overloaded || injected) {
      const error = rejectedExecution(
        injected
          ? 'rejected execution (test_reject_every_nth_item fault injection); retry the item'
          : `rejected execution of bulk item: the store's write queue is full (${state.queuedBytes} bytes queued, store.write_queue_max_bytes ${state.config.write_queue_max_bytes})`,
      );
      slots[i] = { [item.op]: { _index: item.index ?? null, _id: item.id ?? null, status: 429, error: error.toItemError() } };
      storeMetrics.docsRejected.inc({ index: item.index ?? '', reason: 'es_rejected_execution_exception' });
      return;
    }
    bytes += size;
    accepted.push(item);
  });
  let response: Awaited<ReturnType<typeof ctx.engine.call<'write'>>> = { outcomes: [], errors: false, counts: {} };
  if (accepted.length) {
    state.queuedBytes += bytes;
    storeMetrics.queuedBytes.set(state.queuedBytes);
    try {
      response = await ctx.engine.call('write', { body, items: accepted, forcedRefresh });
    } finally {
      state.queuedBytes -= bytes;
      storeMetrics.queuedBytes.set(state.queuedBytes);
    }
  }
  for (const [index, count] of Object.entries(response.counts)) {
    if (count.indexed) storeMetrics.docsIndexed.inc({ index }, count.indexed);
  }
  let next = 0;
  let errors = response.errors;
  const merged = slots.map((slot, i) => {
    if (slot) {
      errors = true;
      return slot;
    }
    const outcome = response.outcomes[next++]!;
    if (outcome.length === 4) storeMetrics.docsRejected.inc({ index: outcome[1], reason: String(outcome[3].type ?? 'error') });
    return expandOutcome(items[i]!.op, outcome, forcedRefresh);
  });
  return { items: merged, errors };
}
