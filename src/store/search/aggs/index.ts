/**
 * Aggregations of the store's search, on the matching documents the search layer hands
 * over as dense positions (see types.ts). `validateAggregations` rejects a malformed
 * `aggs` object with Elasticsearch's errors before anything runs; `runAggregations`
 * answers as Elasticsearch 8 renders `aggregations`.
 *
 * Supported: terms, date_histogram, histogram, range, date_range, filter, filters,
 * missing (bucket aggregations, nested to any depth) and avg, sum, min, max,
 * value_count, cardinality, stats, extended_stats, percentiles, top_hits (metrics).
 * Errors Elasticsearch raises on shards are marked (`isShardLevel`) so the search layer
 * can wrap them in `search_phase_execution_exception` as Elasticsearch does.
 *
 * Where this differs from Elasticsearch, on purpose or for now:
 * - `cardinality` is exact (Elasticsearch's HyperLogLog++ is exact only up to about
 *   `precision_threshold`, default 3000, and approximate beyond);
 * - `percentiles` are exact (sorted values, linear interpolation at q·(n-1)): what
 *   Elasticsearch 8.9+'s t-digest answers while it keeps every value; on large sets
 *   Elasticsearch approximates, and `hdr` / `tdigest.compression` are accepted and ignored;
 * - `script` is refused, include/exclude `partition` is refused, and include/exclude
 *   regexes are JavaScript regexes anchored at both ends (Lucene's `<1-5>`, `@`, `&`, `~`
 *   operators are not understood);
 * - parse errors carry line 1, column 1 (the body arrives parsed) and their reasons lack
 *   Elasticsearch's `[line:col]` prefix;
 * - one shard: `doc_count_error_upper_bound` is always 0, `shard_size` only decides how
 *   many buckets beyond `size` count as `sum_other_doc_count` (as on one shard);
 * - date keys in a non-UTC `time_zone` without a `format` print ISO 8601 with the offset,
 *   not the field's mapping format.
 */
import type { RunContext } from './common.ts';
import { runFilter, runFilters, runMissing } from './filters.ts';
import { runHistogram } from './histogram.ts';
import { runMetric } from './metrics.ts';
import { type AggNode, parseAggregations } from './parse.ts';
import { runRange } from './ranges.ts';
import { runTerms } from './terms.ts';
import type { AggSource } from './types.ts';

export { isShardLevel } from './errors.ts';
export type { AggColumn, AggScalar, AggSource } from './types.ts';

/** Throws an EsError (400) when `aggs` is not a valid aggregations object. */
export function validateAggregations(aggs: unknown): void {
  parseAggregations(aggs);
}

/** The `aggregations` object of a response for the documents at `positions`. */
export function runAggregations(aggs: unknown, source: AggSource, positions: Int32Array): Record<string, unknown> {
  const nodes = parseAggregations(aggs);
  return runNodes(context(source, source.maxBuckets), nodes, positions);
}

/** A run context; scratch contexts count their own buckets (each still bounded by max_buckets). */
function context(source: AggSource, maxBuckets: number): RunContext {
  const ctx: RunContext = {
    source,
    buckets: 0,
    maxBuckets,
    run: (children, subset) => runNodes(ctx, children, subset),
    scratch: () => context(source, maxBuckets),
  };
  return ctx;
}

function runNodes(ctx: RunContext, nodes: AggNode[], positions: Int32Array): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const node of nodes) {
    const result = runNode(ctx, node, positions);
    out[node.name] = node.meta ? { meta: node.meta, ...result } : result;
  }
  return out;
}

function runNode(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  switch (node.type) {
    case 'terms':
      return runTerms(ctx, node, positions);
    case 'date_histogram':
    case 'histogram':
      return runHistogram(ctx, node, positions);
    case 'range':
    case 'date_range':
      return runRange(ctx, node, positions);
    case 'filter':
      return runFilter(ctx, node, positions);
    case 'filters':
      return runFilters(ctx, node, positions);
    case 'missing':
      return runMissing(ctx, node, positions);
    default:
      return runMetric(ctx, node, positions);
  }
}
