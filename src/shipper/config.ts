/**
 * The `shipper:` section of loglane.yml: inputs (file, stdin, syslog, http), the Kafka
 * output (topic template or conditional rules, key, acks, compression, batching), and
 * topic lanes. With no configuration the shipper tails `./logs/**\/*.log` into `logs`.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { compileCondition } from '../indexer/conditions/condition.ts';
import { parseFieldRef } from '../indexer/field-ref.ts';
import { compileTemplate } from '../indexer/sprintf.ts';
import { host, port, regexSource } from '../config/fields.ts';

const regexString = regexSource().min(1);

const conditionString = z.string().min(1).superRefine((text, ctx) => {
  try {
    compileCondition(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `a valid condition: ${(error as Error).message}` });
  }
});

const templateString = z.string().min(1).superRefine((text, ctx) => {
  try {
    compileTemplate(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `a valid template: ${(error as Error).message}` });
  }
});

export const multilineSchema = z.strictObject({
  /** Regular expression a line is tested against. */
  pattern: regexString,
  /** Whether the lines that do NOT match the pattern are the ones joined. */
  negate: z.boolean().default(false),
  /** after: joined lines go after the line that starts the event (Java stack traces); before: before the next one. */
  match: z.enum(['after', 'before']).default('after'),
  max_lines: z.number().int().min(1).max(100_000).default(500),
  /** An event waiting for more lines is sent after this long without one. */
  timeout_ms: z.number().int().min(1).max(600_000).default(5_000),
});

export const ndjsonSchema = z.strictObject({
  /** Where the decoded object goes: '' (the event root) or a field name. */
  target: z.string().default(''),
  /** Whether decoded keys replace the shipper's own fields (`@timestamp`, `message`, ...). */
  overwrite_keys: z.boolean().default(false),
  /** On a line that is not a JSON object, add `error.message` and tag `_ndjsonparsefailure` (else only the tag). */
  add_error_key: z.boolean().default(true),
});

const common = {
  /** Names the input in metrics, logs and the registry; `<type>-<index>` when absent. */
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"').optional(),
  /** Extra fields on every event, under `fields.` (or at the root with fields_under_root). */
  fields: z.record(z.string(), z.unknown()).default({}),
  fields_under_root: z.boolean().default(false),
  tags: z.array(z.string().min(1)).default([]),
};

const lineInput = {
  encoding: z.enum(['utf-8', 'utf8', 'latin1']).default('utf-8'),
  /** Longer lines are truncated to this many bytes and flagged `log.flags: ["truncated"]`. */
  max_line_bytes: z.number().int().min(16).max(64 * 1024 * 1024).default(1_048_576),
  multiline: multilineSchema.optional(),
  ndjson: ndjsonSchema.optional(),
};

export const fileInputSchema = z.strictObject({
  type: z.literal('file'),
  ...common,
  ...lineInput,
  /** Glob patterns (`**` recursive), relative to the working directory. */
  paths: z.array(z.string().min(1)).min(1),
  exclude: z.array(z.string().min(1)).default([]),
  /** Files not modified for this long are not picked up (0: no limit). */
  ignore_older_ms: z.number().int().min(0).default(0),
  /** Where a file never seen before is read from. */
  start_at: z.enum(['beginning', 'end']).default('beginning'),
  /** Bytes hashed (sha-256) to identify a file; shorter files are identified by device+inode until they grow. */
  fingerprint_bytes: z.number().int().min(16).max(1_048_576).default(1024),
  scan_interval_ms: z.number().int().min(10).max(600_000).default(1_000),
  /** How often a file at its end is checked for new data. */
  poll_interval_ms: z.number().int().min(5).max(60_000).default(250),
  /** A file with no new data for this long is closed (it is opened again when it grows). */
  close_inactive_ms: z.number().int().min(10).default(300_000),
  /** Forget the registry state of files that no longer exist. */
  clean_removed: z.boolean().default(true),
  read_buffer_bytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(262_144),
});

export const stdinInputSchema = z.strictObject({ type: z.literal('stdin'), ...common, ...lineInput });

export const syslogInputSchema = z.strictObject({
  type: z.literal('syslog'),
  ...common,
  protocol: z.enum(['udp', 'tcp']).default('udp'),
  host: host().default('127.0.0.1'),
  port: port().default(5514),
  /** auto: RFC 5424 when the header says version 1, RFC 3164 otherwise. */
  format: z.enum(['auto', 'rfc3164', 'rfc5424']).default('auto'),
  max_message_bytes: z.number().int().min(64).max(16 * 1024 * 1024).default(65_536),
});

export const httpInputSchema = z.strictObject({
  type: z.literal('http'),
  ...common,
  host: host().default('127.0.0.1'),
  port: port().default(8080),
  path: z.string().startsWith('/').default('/'),
  /** When set, requests need `Authorization: Bearer <token>`. */
  bearer_token: z.string().min(1).optional(),
  max_body_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(10 * 1024 * 1024),
});

export const inputSchema = z.discriminatedUnion('type', [fileInputSchema, stdinInputSchema, syslogInputSchema, httpInputSchema]);

export const kafkaSchema = z
  .strictObject({
    /** null: the embedded broker of this configuration. */
    bootstrap_servers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'host:port')).min(1).nullable().default(null),
    client_id: z.string().min(1).default('loglane-shipper'),
    /** Topic template (`logs`, `%{[fields][log_topic]}`); the default of the `topics` rules. */
    topic: templateString.default('logs'),
    /** Ordered rules; the first whose `if` holds gives the topic (a template); `topic` when none does. */
    topics: z.array(z.strictObject({ topic: templateString, if: conditionString })).default([]),
    /** Message key template (hash partitioning: one key stays in one partition); round-robin when absent. */
    key: templateString.nullish(),
    acks: z.enum(['all', '1', '0']).default('all'),
    compression: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default('none'),
    /** Most events per produce request. */
    batch_max_events: z.number().int().min(1).max(100_000).default(4096),
    /** Most bytes per batch (one record batch per partition must fit the broker's message.max.bytes, 1 MiB by default). */
    batch_max_bytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(900_000),
    /** How long a partial batch waits for more events. */
    linger_ms: z.number().int().min(0).max(60_000).default(5),
    /** Concurrent produce requests. */
    max_in_flight_batches: z.number().int().min(1).max(64).default(5),
    /** Whether the Kafka client (record encoding, requests) runs in its own thread; true when the machine has a second core. */
    producer_thread: z.boolean().default(() => defaultProducerThread()),
    /** Events read but not yet acknowledged; inputs wait (files are not read further) beyond it. */
    queue_max_events: z.number().int().min(1).max(10_000_000).default(32_768),
    /** Larger events go to the reject file. */
    max_message_bytes: z.number().int().min(128).default(1_000_000),
    /** NDJSON file of rejected events with the reason; `<data_dir>/shipper/rejected.ndjson` when absent. */
    reject_file: z.string().min(1).nullish(),
    backoff_initial_ms: z.number().int().min(1).default(100),
    backoff_max_ms: z.number().int().min(1).default(30_000),
    /** Per produce request. */
    request_timeout_ms: z.number().int().min(100).default(30_000),
  })
  .prefault({});

const fieldRefString = z.string().min(1).superRefine((text, ctx) => {
  try {
    parseFieldRef(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `a field reference like [fields][tenant]: ${(error as Error).message}` });
  }
});

export const lanesSchema = z.strictObject({
  /** Field reference read to pick the lane, e.g. `[fields][sla]`. */
  field: fieldRefString,
  /** Value → topic (`high: logs-high`). */
  topics: z.record(z.string(), z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name')),
  /** Topic for events whose value is not in `topics` (missing: the kafka topic/rules). */
  default: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name').optional(),
  burst: z
    .strictObject({
      /** Field reference naming the tenant, e.g. `[fields][tenant]`. */
      tenant_field: fieldRefString,
      topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name').default('logs-burst'),
      /** Budget per tenant. */
      events_per_second: z.number().positive(),
      /** Rate is measured over tumbling windows of this length. */
      window_ms: z.number().int().min(100).default(10_000),
      /** A tenant returns after its rate stayed within budget this long. */
      hold_ms: z.number().int().min(0).default(60_000),
    })
    .optional(),
});

/** What the shipper tails with no configuration (relative to the working directory). */
export const DEFAULT_PATHS = ['./logs/**/*.log'];

export const shipperConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** `host.name` of every event; the machine's host name when absent. */
    host_name: z.string().min(1).nullish(),
    inputs: z.array(inputSchema).default(() => [fileInputSchema.parse({ type: 'file', paths: DEFAULT_PATHS })]),
    kafka: kafkaSchema,
    lanes: lanesSchema.nullish(),
    /** How often the file registry is written (when it changed). */
    registry_flush_ms: z.number().int().min(10).max(60_000).default(1_000),
  })
  .prefault({})
  .transform((shipper) => ({
    ...shipper,
    inputs: shipper.inputs.map((input, i) => ({ ...input, id: input.id ?? `${input.type}-${i}` })),
  }))
  .superRefine((shipper, ctx) => {
    const seen = new Set<string>();
    shipper.inputs.forEach((input, i) => {
      if (seen.has(input.id)) ctx.addIssue({ code: 'custom', path: ['inputs', i, 'id'], message: `a unique input id ("${input.id}" is used twice)` });
      seen.add(input.id);
    });
  });

export type ShipperConfig = z.infer<typeof shipperConfigSchema>;
export type InputConfig = ShipperConfig['inputs'][number];
export type FileInputConfig = Extract<InputConfig, { type: 'file' }>;
export type StdinInputConfig = Extract<InputConfig, { type: 'stdin' }>;
export type SyslogInputConfig = Extract<InputConfig, { type: 'syslog' }>;
export type HttpInputConfig = Extract<InputConfig, { type: 'http' }>;
export type KafkaConfig = ShipperConfig['kafka'];
export type LanesConfig = z.infer<typeof lanesSchema>;
export type MultilineConfig = z.infer<typeof multilineSchema>;
export type NdjsonConfig = z.infer<typeof ndjsonSchema>;

/** The producer gets its own thread when there is a second core for it (see producer-thread.ts). */
export function defaultProducerThread(cores = availableParallelism()): boolean {
  return cores > 1;
}
