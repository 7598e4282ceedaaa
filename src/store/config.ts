/**
 * The `store:` section of loglane.yml: the embedded Elasticsearch-compatible store.
 * Elasticsearch's own setting names are given next to each key where one exists.
 */
import { z } from 'zod';
import { host, port } from '../config/fields.ts';

const MiB = 1024 * 1024;

const basicUserSchema = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
});

const apiKeySchema = z.strictObject({
  /** The id half of `Authorization: ApiKey base64(id:api_key)`. */
  id: z.string().min(1),
  api_key: z.string().min(1),
});

export const storeConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    host: host().default('127.0.0.1'),
    port: port().default(9200),
    /** cluster.name, reported by `GET /` and `_cluster/health`. */
    cluster_name: z.string().min(1).default('loglane'),
    /** node.name; defaults to the machine's host name. */
    node_name: z.string().min(1).nullable().default(null),
    /** The Elasticsearch version reported by `GET /` (clients and shippers gate features on it). */
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'a version like 8.17.0')
      .default('8.17.0'),
    /** http.max_content_length: larger request bodies (after decompression) get 413. */
    max_body_bytes: z.number().int().min(1024).default(100 * MiB),
    /**
     * Write backpressure (thread_pool.write.queue_size in spirit): bulk items beyond this
     * many queued bytes get a per-item 429 es_rejected_execution_exception, which bulk
     * helpers, Filebeat and Logstash retry.
     */
    write_queue_max_bytes: z.number().int().min(1024).default(256 * MiB),
    /** action.auto_create_index */
    auto_create_index: z.boolean().default(true),
    /** Basic auth users; when `users` or `api_keys` is non-empty every request must authenticate. */
    users: z.array(basicUserSchema).default([]),
    api_keys: z.array(apiKeySchema).default([]),
    /**
     * Fault injection for tests of clients' retry logic: reject the first attempt of every
     * Nth bulk item with a per-item 429 (a retried identical item is accepted). 0 = off.
     */
    test_reject_every_nth_item: z.number().int().min(0).default(0),
  })
  .prefault({});

export type StoreConfig = z.infer<typeof storeConfigSchema>;
