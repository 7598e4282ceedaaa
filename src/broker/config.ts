/**
 * The `broker:` section of loglane.yml: the embedded Kafka-compatible broker.
 * Kafka's own names are given next to each key where one exists.
 */
import { z } from 'zod';
import { host, port } from '../config/fields.ts';

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

export const brokerConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    host: host().default('127.0.0.1'),
    port: port().default(9092),
    /** What Metadata tells clients to connect to (advertised.listeners); defaults to host:port, or 127.0.0.1 when host is a wildcard. */
    advertised_host: host().nullable().default(null),
    advertised_port: port().nullable().default(null),
    node_id: z.number().int().min(0).default(0),
    /** auto.create.topics.enable */
    auto_create_topics: z.boolean().default(true),
    /** num.partitions: partitions of auto-created topics and of CreateTopics with -1. */
    num_partitions: z.number().int().min(1).max(10_000).default(1),
    /** socket.request.max.bytes: larger frames close the connection. */
    socket_request_max_bytes: z.number().int().min(1024).default(100 * MiB),
    /** message.max.bytes: default max.message.bytes of topics. */
    message_max_bytes: z.number().int().min(1024).default(MiB + 12),
    /**
     * Durability of acks=1 (and acks=0) produce: `fsync` answers after the data is on
     * disk like acks=all; `interval` answers after the write to the page cache and
     * fsyncs every flush_interval_ms. acks=all always waits for the fsync.
     */
    acks_one_durability: z.enum(['fsync', 'interval']).default('interval'),
    flush_interval_ms: z.number().int().min(1).default(1000),
    /** log.retention.check.interval.ms */
    retention_check_interval_ms: z.number().int().min(10).default(5 * 60 * 1000),
    /** Defaults of the per-topic log settings (log.retention.ms, log.retention.bytes, log.segment.bytes, log.roll.ms). */
    log_retention_ms: z.number().int().min(-1).default(7 * DAY_MS),
    log_retention_bytes: z.number().int().min(-1).default(-1),
    log_segment_bytes: z.number().int().min(14).default(1024 * MiB),
    log_roll_ms: z.number().int().min(1).default(7 * DAY_MS),
    /** Consumer groups (group.* and offsets.* in Kafka). */
    group_initial_rebalance_delay_ms: z.number().int().min(0).default(3000),
    group_min_session_timeout_ms: z.number().int().min(1).default(6000),
    group_max_session_timeout_ms: z.number().int().min(1).default(1_800_000),
    offsets_retention_ms: z.number().int().min(1).default(7 * DAY_MS),
  })
  .prefault({});

export type BrokerConfig = z.infer<typeof brokerConfigSchema>;
