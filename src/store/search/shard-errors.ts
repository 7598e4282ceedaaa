/**
 * Errors raised while a shard executes a search are wrapped the way Elasticsearch wraps
 * them: `search_phase_execution_exception` ("all shards failed") with the shard error as
 * root cause, in `failed_shards` and as `caused_by`. Errors of request parsing
 * (`parsing_exception`, `x_content_parse_exception`, action validation) are not.
 *
 * The engine thread decides (`wrapShardError`); the root cause travels in the error's
 * extra fields across the worker boundary and the HTTP thread restores the shape
 * (`restoreSearchError`).
 */
import type { IndexDb } from '../engine/index-db.ts';
import { EsError, toEsError } from '../errors.ts';
import { isShardLevel } from './aggs/index.ts';

const SHARD_TYPES = new Set(['query_shard_exception', 'parse_exception', 'illegal_argument_exception', 'number_format_exception', 'too_many_buckets_exception']);
const ROOT = '__root_cause';

export function wrapShardError(error: unknown, index: IndexDb | undefined): EsError {
  const es = toEsError(error);
  if (es.type === 'search_phase_execution_exception') return es;
  const shardLevel = SHARD_TYPES.has(es.type) || isShardLevel(error);
  if (!shardLevel || (es.status >= 500 && es.type !== 'too_many_buckets_exception')) return es;
  const reason = es.toItemError();
  return new EsError(
    es.status,
    'search_phase_execution_exception',
    'all shards failed',
    { phase: 'query', grouped: true, failed_shards: [{ shard: 0, index: index?.name ?? null, node: 'loglane', reason }], [ROOT]: { type: es.type, reason: es.reason, ...es.extra } },
    reason as never,
  );
}

/** The HTTP side: an error from the engine with its root cause where Elasticsearch puts it. */
export function restoreSearchError(error: unknown): unknown {
  if (!(error instanceof EsError) || error.type !== 'search_phase_execution_exception' || !(ROOT in error.extra)) return error;
  const { [ROOT]: root, ...extra } = error.extra as Record<string, unknown>;
  return new PhaseError(error.status, extra, root as Record<string, unknown>, error.causedBy);
}

class PhaseError extends EsError {
  readonly #root: Record<string, unknown>;
  constructor(status: number, extra: Record<string, unknown>, root: Record<string, unknown>, causedBy: EsError['causedBy']) {
    super(status, 'search_phase_execution_exception', 'all shards failed', extra, causedBy);
    this.#root = root;
  }

  override toErrorObject(): Record<string, unknown> {
    return { root_cause: [this.#root], type: this.type, reason: this.reason, ...this.extra, ...(this.causedBy ? { caused_by: this.causedBy } : {}) };
  }
}
