/**
 * What to do with the answer to one `_bulk` request: a pure function of the outcome, so
 * tests can table-drive it. The whole request failing with a network error, 408, 429 or
 * 5xx (or 401/403/404: a cluster or credential problem an operator fixes) means every
 * item is retried; 413 splits the batch (a single item too large is dead-lettered).
 * Per item: 2xx is acknowledged; 429 and 5xx are retried; a 409 of `create` is a replay
 * of a document already indexed (acknowledged when `conflictsAreReplays`); 404 of
 * `delete` is a replay too; any other 4xx (mapping conflicts, bad documents, version
 * conflicts that are not replays) goes to the dead-letter topic with the reason.
 */

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

/** The error object of a bulk item or a failed request, as Elasticsearch sends it. */
export interface EsError {
  type?: string;
  reason?: string;
  caused_by?: EsError;
}

export interface BulkItemResult {
  status: number;
  error?: EsError | string;
}

export type BulkOutcome =
  /** No HTTP answer: connection refused/reset, timeout, DNS. */
  | { kind: 'network'; message: string }
  /** An HTTP answer other than 200 to the whole request. */
  | { kind: 'http'; status: number; error?: EsError | string }
  /** 200: one result per item, in request order. */
  | { kind: 'items'; items: readonly BulkItemResult[] }
  /** 200 with `"errors":false`: every item acknowledged (the items were not read). */
  | { kind: 'acknowledged' };

export interface DeadLetter {
  /** Index of the item in the request. */
  item: number;
  status: number;
  /** `mapper_parsing_exception: failed to parse field [x] of type [long]...`. */
  reason: string;
}

export type BulkDecision =
  | { kind: 'ok' }
  /** Some items are final (acknowledged or dead-lettered); retry `retry` after a backoff. */
  | { kind: 'partial'; retry: number[]; deadLetters: DeadLetter[]; retryReason: string | undefined }
  /** The request is too large: send the items again in smaller requests. */
  | { kind: 'split' };

export interface DecisionOptions {
  actions: readonly BulkAction[];
  conflictsAreReplays: boolean;
}

const RETRY_WHOLE = (status: number) => status === 408 || status === 429 || status >= 500 || status === 401 || status === 403 || status === 404;

export function decideBulk(outcome: BulkOutcome, options: DecisionOptions): BulkDecision {
  const count = options.actions.length;
  const all = () => Array.from({ length: count }, (_, i) => i);
  if (outcome.kind === 'acknowledged') return { kind: 'ok' };
  if (outcome.kind === 'network') return { kind: 'partial', retry: all(), deadLetters: [], retryReason: `network: ${outcome.message}` };
  if (outcome.kind === 'http') {
    const reason = `HTTP ${outcome.status}${outcome.error === undefined ? '' : `: ${errorText(outcome.error)}`}`;
    if (outcome.status === 413 && count > 1) return { kind: 'split' };
    if (RETRY_WHOLE(outcome.status)) return { kind: 'partial', retry: all(), deadLetters: [], retryReason: reason };
    return { kind: 'partial', retry: [], deadLetters: all().map((item) => ({ item, status: outcome.status, reason })), retryReason: undefined };
  }
  const retry: number[] = [];
  const deadLetters: DeadLetter[] = [];
  let retryReason: string | undefined;
  outcome.items.forEach((result, item) => {
    const { status } = result;
    if (status >= 200 && status < 300) return;
    const action = options.actions[item];
    if (status === 409 && action === 'create' && options.conflictsAreReplays) return;
    if (status === 404 && action === 'delete') return;
    if (status === 429 || status >= 500 || status === 408) {
      retry.push(item);
      retryReason ??= `item HTTP ${status}${result.error === undefined ? '' : `: ${errorText(result.error)}`}`;
      return;
    }
    deadLetters.push({ item, status, reason: result.error === undefined ? `HTTP ${status}` : errorText(result.error) });
  });
  if (outcome.items.length < count) {
    // A short answer: the missing items were not written.
    for (let i = outcome.items.length; i < count; i++) retry.push(i);
    retryReason ??= `the bulk answer has ${outcome.items.length} items for ${count} sent`;
  }
  if (retry.length === 0 && deadLetters.length === 0) return { kind: 'ok' };
  return { kind: 'partial', retry, deadLetters, retryReason };
}

/** `type: reason (caused by: type: reason)`. */
export function errorText(error: EsError | string): string {
  if (typeof error === 'string') return error;
  const head = [error.type, error.reason].filter((s) => s !== undefined && s !== '').join(': ') || 'unknown error';
  return error.caused_by === undefined ? head : `${head} (caused by: ${errorText(error.caused_by)})`;
}

/** Capped exponential backoff with full jitter in [cap/2, cap]: attempt 1 → initial. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(cap / 2 + (cap / 2) * random());
}
