/**
 * The errors aggregations raise, with Elasticsearch 8's exception types and wording.
 *
 * Elasticsearch reports request-parsing problems (unknown aggregation type, unknown
 * option, bad interval) directly, and problems found while the shards execute (a field
 * of the wrong type, a bad order path, too many buckets) wrapped in a
 * `search_phase_execution_exception` ("all shards failed") whose root cause is the error
 * built here. Those execution-time errors are marked: `isShardLevel(error)` tells the
 * search layer to wrap them the way Elasticsearch does.
 */
import { editDistance } from '../../../config/suggest.ts';
import { EsError } from '../../errors.ts';

const shardLevel = new WeakSet<EsError>();

/** True for errors Elasticsearch raises on the shards (wrapped in search_phase_execution_exception). */
export function isShardLevel(error: unknown): boolean {
  return error instanceof EsError && shardLevel.has(error);
}

function onShard(error: EsError): EsError {
  shardLevel.add(error);
  return error;
}

export function parsing(reason: string, causedBy?: { type: string; reason: string }): EsError {
  return new EsError(400, 'parsing_exception', reason, { line: 1, col: 1 }, causedBy);
}

/** ObjectParser's wrapper: `[terms] failed to parse field [size]`, the real problem in caused_by. */
export function fieldParse(aggType: string, field: string, cause: string, causeType = 'illegal_argument_exception'): EsError {
  return new EsError(400, 'x_content_parse_exception', `[${aggType}] failed to parse field [${field}]`, {}, { type: causeType, reason: cause });
}

export function xContent(reason: string, causedBy?: { type: string; reason: string }): EsError {
  return new EsError(400, 'x_content_parse_exception', reason, {}, causedBy);
}

export function illegalArgument(reason: string): EsError {
  return new EsError(400, 'illegal_argument_exception', reason);
}

export function shardIllegalArgument(reason: string): EsError {
  return onShard(new EsError(400, 'illegal_argument_exception', reason));
}

/** Elasticsearch answers this one with 500: the exception sets no status of its own. */
export function aggregationInitialization(reason: string): EsError {
  return new EsError(500, 'aggregation_initialization_exception', reason);
}

export function aggregationExecution(reason: string): EsError {
  return onShard(new EsError(500, 'aggregation_execution_exception', reason));
}

export function tooManyBuckets(limit: number, count: number): EsError {
  return onShard(
    new EsError(
      503,
      'too_many_buckets_exception',
      `Trying to create too many buckets. Must be less than or equal to: [${limit}] but was [${count}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
      { max_buckets: limit },
    ),
  );
}

/** `Field [message] of type [text] ...` and friends: a field whose type an aggregation cannot read. */
export function unsupportedField(field: string, type: string, aggType: string, index?: string): EsError {
  if (type === 'text' || type === 'match_only_text') {
    return onShard(
      new EsError(
        400,
        'illegal_argument_exception',
        `Fielddata is disabled on [${field}]${index ? ` in [${index}]` : ''}. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
      ),
    );
  }
  return onShard(new EsError(400, 'illegal_argument_exception', `Field [${field}] of type [${type}] is not supported for aggregation [${aggType}]`));
}

/**
 * Elasticsearch's "did you mean" (SuggestingErrorOnUnknown): candidates whose Levenshtein
 * similarity (1 - distance / longer length) is above 0.5, best first, ties alphabetically.
 */
export function suggest(word: string, candidates: Iterable<string>): string {
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const score = 1 - editDistance(word, name) / Math.max(word.length, name.length);
    if (score > 0.5) scored.push({ name, score });
  }
  scored.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (scored.length === 0) return '';
  if (scored.length === 1) return ` did you mean [${scored[0]!.name}]?`;
  return ` did you mean any of [${scored.map((s) => s.name).join(', ')}]?`;
}
