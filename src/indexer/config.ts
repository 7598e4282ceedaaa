/**
 * The `indexer:` section of loglane.yml: pipelines (input topics + consumer group + codec
 * + filters + outputs) and the Kafka and Elasticsearch clusters they use. With no
 * pipeline configured, the default pipeline runs: topic `logs`, auto codec, index `logs`,
 * ids `<topic>-<partition>-<offset>`, earliest offset for a new group.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { regexSource } from '../config/fields.ts';
import { compileCondition } from './conditions/condition.ts';
import { codecConfigSchema } from './codecs/registry.ts';
import { elasticsearchClusterSchema, elasticsearchOutputSchema } from './outputs/elasticsearch/config.ts';
import { kafkaOutputSchema } from './outputs/kafka/config.ts';
import { filtersSchema } from './pipeline-filters.ts';

const outputSchema = z.union([z.strictObject({ elasticsearch: elasticsearchOutputSchema }), z.strictObject({ kafka: kafkaOutputSchema })], {
  error: 'an output: { elasticsearch: {...} } or { kafka: { topic: ... } }',
});

const regexString = regexSource();

export const pipelineSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"')
      .default('main'),
    /** Input topics: a list, or a regex (`topics_pattern`) matched against every topic. */
    topics: z.array(z.string().min(1)).min(1).optional(),
    topics_pattern: regexString.optional(),
    /** Consumer group; `loglane-<name>` when absent. Run more processes with the same group to scale out. */
    group_id: z.string().min(1).optional(),
    codec: codecConfigSchema,
    filters: filtersSchema,
    outputs: z.array(outputSchema).min(1).default([{ elasticsearch: elasticsearchOutputSchema.parse({}) }]),
    /** Where undecodable messages and rejected documents go, with reason headers; `<name>-dlq` style default: `loglane-dlq-<name>`. */
    dead_letter_topic: z.string().min(1).optional(),
    /** Where a group with no committed offset starts (auto.offset.reset). */
    auto_offset_reset: z.enum(['earliest', 'latest']).default('earliest'),
    /** Most messages taken from the consumer per batch (max.poll.records). */
    max_poll_records: z.number().int().min(1).max(100_000).default(500),
    /** fetch.max.wait.ms */
    fetch_max_wait_ms: z.number().int().min(0).max(60_000).default(500),
    /**
     * Most bytes one fetch response may hold (fetch.max.bytes; also the per-partition limit,
     * max.partition.fetch.bytes). Small responses decode faster with @platformatic/kafka
     * (it locates every read by scanning the response's socket chunks) and bound the
     * memory a paused consumer holds; a record batch larger than this is still returned.
     */
    fetch_max_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
    /**
     * Worker threads that decode, filter and build the bulk lines of batches while the
     * pipeline's thread fetches, sends and commits (0: all in the pipeline's thread).
     * Default: 1 when the machine has more than one core (as Logstash's pipeline.workers
     * follows the cores), else 0.
     */
    workers: z
      .number()
      .int()
      .min(0)
      .max(16)
      .default(() => defaultWorkers()),
    /** session.timeout.ms */
    session_timeout_ms: z.number().int().min(1000).max(1_800_000).default(10_000),
  })
  .superRefine((pipeline, ctx) => {
    if ((pipeline.topics === undefined) === (pipeline.topics_pattern === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['topics'], message: 'either topics (a list) or topics_pattern (a regex), not both and not neither' });
    }
    pipeline.outputs.forEach((output, i) => {
      if (!('kafka' in output) || output.kafka.if === undefined) return;
      try {
        compileCondition(output.kafka.if);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['outputs', i, 'kafka', 'if'], message: `a valid condition: ${(error as Error).message}` });
      }
    });
  })
  .transform((pipeline) => ({
    ...pipeline,
    group_id: pipeline.group_id ?? `loglane-${pipeline.name}`,
    dead_letter_topic: pipeline.dead_letter_topic ?? `loglane-dlq-${pipeline.name}`,
  }));

export type PipelineConfig = z.infer<typeof pipelineSchema>;

/** The pipeline that runs when none is configured (the seeds' producer → consumer flow). */
export const DEFAULT_PIPELINE_INPUT = { name: 'logs', topics: ['logs'], codec: 'auto', auto_offset_reset: 'earliest' } as const;

export const indexerConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    kafka: z
      .strictObject({
        /** null: the embedded broker (broker.advertised_host/host and port). */
        bootstrap_servers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'host:port')).min(1).nullable().default(null),
        client_id: z.string().min(1).default('loglane-indexer'),
      })
      .prefault({}),
    /** Defaults to the embedded store. */
    elasticsearch: elasticsearchClusterSchema,
    pipelines: z.array(pipelineSchema).optional(),
  })
  .prefault({})
  .transform((indexer) => ({ ...indexer, pipelines: indexer.pipelines ?? [pipelineSchema.parse(DEFAULT_PIPELINE_INPUT)] }))
  .superRefine((indexer, ctx) => {
    const seen = new Set<string>();
    indexer.pipelines.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['pipelines', i, 'name'], message: `a unique pipeline name ("${p.name}" is used twice)` });
      seen.add(p.name);
    });
  });

export type IndexerConfig = z.infer<typeof indexerConfigSchema>;

/** The default `workers`: one filter thread when there is a core to spare for it. */
export function defaultWorkers(cores = availableParallelism()): number {
  return cores > 1 ? 1 : 0;
}
