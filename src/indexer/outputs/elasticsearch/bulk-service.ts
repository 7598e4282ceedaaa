/**
 * Sends one `_bulk` request through the @elastic/elasticsearch transport and turns the
 * answer into a BulkOutcome (retry.ts decides what it means). The client's own retries
 * are off: the output retries only the failed items, forever, with its own backoff.
 * Plain `application/json` / `application/x-ndjson` headers are sent so the same client
 * works against Elasticsearch 8.x and 9.x (the 9 client's compatible-with=9 headers are
 * refused by 8.x).
 */
import { readFileSync } from 'node:fs';
import { Client, errors, Serializer } from '@elastic/elasticsearch';
import type { ElasticsearchClusterConfig } from './config.ts';
import type { BulkItemResult, BulkOutcome, EsError } from './retry.ts';

export interface BulkService {
  /** `body`: the request's NDJSON lines (each ending with "\n"). */
  send(body: Buffer, signal?: AbortSignal): Promise<BulkOutcome>;
  /** PUT _index_template/<name>; `items: []` on success. */
  putIndexTemplate(name: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<BulkOutcome>;
  close(): Promise<void>;
}

export interface BulkServiceOptions {
  cluster: ElasticsearchClusterConfig & { hosts: string[] };
  requestTimeoutMs: number;
}

export function createBulkService(options: BulkServiceOptions): BulkService {
  const { cluster } = options;
  const auth =
    cluster.api_key !== undefined
      ? { apiKey: cluster.api_key }
      : cluster.username !== undefined
        ? { username: cluster.username, password: cluster.password ?? '' }
        : undefined;
  const client = new Client({
    nodes: cluster.hosts,
    maxRetries: 0,
    Serializer: BulkAnswerSerializer,
    // Errors carry the request's metadata: 'remove' drops its headers (credentials) and
    // connection. The default, 'replace', copies the metadata key by key — with a Buffer
    // body, every byte of it (a 650 kB bulk body took ~250 ms and ~90 MB per failed
    // request, which made memory grow while Elasticsearch was down).
    redaction: { type: 'remove' },
    requestTimeout: options.requestTimeoutMs,
    ...(auth === undefined ? {} : { auth }),
    ...(cluster.ca_file === undefined ? {} : { tls: { ca: readFileSync(cluster.ca_file) } }),
  });
  return {
    async send(body, signal) {
      try {
        const response = await client.transport.request<{ items?: Record<string, BulkItemResult>[]; [ALL_ACKNOWLEDGED]?: true }>(
          // Only what decideBulk reads: a per-item answer is ~20 bytes instead of ~200.
          { method: 'POST', path: '/_bulk', querystring: { filter_path: 'errors,items.*.status,items.*.error' }, bulkBody: body },
          { headers: { 'content-type': 'application/x-ndjson', accept: 'application/json' }, ...(signal === undefined ? {} : { signal }) },
        );
        if (response[ALL_ACKNOWLEDGED] === true) return { kind: 'acknowledged' };
        const items = (response.items ?? []).map((entry) => Object.values(entry)[0] ?? { status: 500, error: 'empty bulk item' });
        return { kind: 'items', items };
      } catch (error) {
        return failure(error);
      }
    },
    async putIndexTemplate(name, body, signal) {
      try {
        await client.transport.request(
          { method: 'PUT', path: `/_index_template/${encodeURIComponent(name)}`, body },
          { headers: { 'content-type': 'application/json', accept: 'application/json' }, ...(signal === undefined ? {} : { signal }) },
        );
        return { kind: 'items', items: [] };
      } catch (error) {
        return failure(error);
      }
    },
    close: () => client.close(),
  };
}

const ALL_ACKNOWLEDGED = Symbol('loglane.bulk.all-acknowledged');
/** A `_bulk` answer (filter_path puts `errors` first; without it, after `took`) whose `errors` is false. */
const ERRORS_FALSE = /^\{(?:"took":\d+,)?"errors":false[,}]/;

/**
 * The client's serializer, except for `_bulk` answers that say `"errors":false` before
 * their items: Elasticsearch sets `errors` when any item failed, so such an answer
 * acknowledges every item, and its items (an object per document) are not parsed — as
 * Logstash's elasticsearch output reads only `errors` first. Any other answer is parsed.
 */
class BulkAnswerSerializer extends Serializer {
  override deserialize<T = unknown>(json: string): T {
    if (ERRORS_FALSE.test(json)) return { errors: false, [ALL_ACKNOWLEDGED]: true } as T;
    return super.deserialize<T>(json);
  }
}

function failure(error: unknown): BulkOutcome {
  if (error instanceof errors.ResponseError) {
    const status = error.meta.statusCode ?? 500;
    const bodyError = (error.meta.body as { error?: EsError | string } | undefined)?.error;
    return bodyError === undefined ? { kind: 'http', status } : { kind: 'http', status, error: bodyError };
  }
  return { kind: 'network', message: error instanceof Error ? error.message : String(error) };
}
