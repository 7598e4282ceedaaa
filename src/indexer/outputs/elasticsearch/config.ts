/**
 * `outputs: [{ elasticsearch: {...} }]` of a pipeline: where and how events are bulk
 * indexed. Logstash's elasticsearch output option names are given where they differ.
 */
import { z } from 'zod';

const MiB = 1024 * 1024;

export const elasticsearchOutputSchema = z.strictObject({
  /** Overrides `indexer.elasticsearch.hosts` for this output. */
  hosts: z.array(z.url()).min(1).optional(),
  /** Index name template: `logs`, `logs-%{+yyyy.MM.dd}`, `%{[service]}`; `%{[@metadata][kafka][topic]}` is the source topic. */
  index: z.string().min(1).default('%{[@metadata][kafka][topic]}'),
  /** index, create (data streams), update (upsert: doc_as_upsert), delete. */
  action: z.enum(['index', 'create', 'update', 'delete']).default('index'),
  /**
   * Document id: `kafka` = `<topic>-<partition>-<offset>` (replays never duplicate),
   * `auto` = let Elasticsearch choose, or a template such as `%{[@metadata][_id]}` (the fingerprint filter) or `%{[request_id]}`.
   */
  document_id: z.string().min(1).default('kafka'),
  /** Bulk by count, bytes and linger time (flush when the first is reached). */
  batch_max_events: z.number().int().min(1).max(100_000).default(500),
  batch_max_bytes: z.number().int().min(1024).default(5 * MiB),
  linger_ms: z.number().int().min(0).max(60_000).default(50),
  /** Bulk requests in flight at once. */
  max_in_flight: z.number().int().min(1).max(64).default(2),
  request_timeout_ms: z.number().int().min(100).default(30_000),
  /** Retry backoff for 429/5xx/network errors: doubled from the initial value up to the max, with jitter; retried forever. */
  retry_initial_backoff_ms: z.number().int().min(1).default(100),
  retry_max_backoff_ms: z.number().int().min(1).default(30_000),
  /**
   * Put this composable index template (`PUT _index_template/<name>`) before the first
   * bulk request, e.g. mappings of the `logs-*` indices, or `data_stream: {}`.
   */
  index_template: z
    .strictObject({
      name: z.string().min(1),
      body: z.record(z.string(), z.unknown()),
    })
    .optional(),
  /** Conflicts (409) of action create are replays of documents already indexed and count as success. */
  conflicts_are_replays: z.boolean().default(true),
});

export type ElasticsearchOutputConfig = z.infer<typeof elasticsearchOutputSchema>;

/** `indexer.elasticsearch`: the cluster outputs use unless they name their own hosts. */
export const elasticsearchClusterSchema = z
  .strictObject({
    /** null: the embedded store (store.host and port). */
    hosts: z.array(z.url()).min(1).nullable().default(null),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /** `Authorization: ApiKey <api_key>` (the base64 id:key form). */
    api_key: z.string().min(1).optional(),
    /** PEM file of the CA that signed the cluster's certificate. */
    ca_file: z.string().min(1).optional(),
  })
  .prefault({});

export type ElasticsearchClusterConfig = z.infer<typeof elasticsearchClusterSchema>;
