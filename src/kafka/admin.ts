/**
 * Admin operations against any Kafka cluster (the embedded broker or a real one),
 * through @platformatic/kafka — never through broker internals. Used by
 * `loglane topics` and `loglane groups`.
 */
import { Admin } from '@platformatic/kafka';
import { LoglaneError } from '../errors/loglane-error.ts';
import { EARLIEST, LATEST } from './offsets.ts';


export interface PartitionOffsets {
  partition: number;
  earliest: number;
  latest: number;
}

export interface GroupPartitionLag {
  topic: string;
  partition: number;
  committed: number;
  end: number;
  /** end - committed; null when the group has no committed offset for the partition. */
  lag: number | null;
  metadata: string | null;
}

/** Runs `work` with a connected Admin client, turning client failures into LOGLANE_ERR_KAFKA_CLIENT. */
export async function withAdmin<T>(bootstrap: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ clientId: 'loglane-cli', bootstrapBrokers: bootstrap, retries: 2, timeout: 10_000 });
  try {
    return await work(admin);
  } catch (error) {
    if (error instanceof LoglaneError) throw error;
    throw new LoglaneError('LOGLANE_ERR_KAFKA_CLIENT', `Kafka request to ${bootstrap.join(',')} failed: ${describeClientError(error)}`, {
      retriable: true,
      cause: error,
      context: { bootstrap },
    });
  } finally {
    await admin.close().catch(() => {});
  }
}

function describeClientError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const nested = (error as Error & { errors?: unknown[] }).errors;
  const inner = Array.isArray(nested) && nested.length > 0 ? [...new Set(nested.map((e) => describeClientError(e)))].join('; ') : '';
  const api = (error as Error & { apiId?: string }).apiId;
  return [error.message, api ? `(${api})` : '', inner ? `: ${inner}` : ''].join(' ').replace(/\s+/g, ' ').trim();
}

export async function partitionOffsets(admin: Admin, topic: string, partitions: number): Promise<PartitionOffsets[]> {
  const ask = (timestamp: bigint) =>
    admin.listOffsets({ topics: [{ name: topic, partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({ partitionIndex, timestamp })) }] });
  const [earliest, latest] = await Promise.all([ask(EARLIEST), ask(LATEST)]);
  const offsetOf = (listed: typeof earliest, partition: number) => Number(listed[0]?.partitions.find((p) => p.partitionIndex === partition)?.offset ?? -1n);
  return Array.from({ length: partitions }, (_, partition) => ({ partition, earliest: offsetOf(earliest, partition), latest: offsetOf(latest, partition) }));
}

/** Committed offset, end offset and lag per partition of every topic the group has offsets for. */
export async function groupLag(admin: Admin, groupId: string): Promise<GroupPartitionLag[]> {
  const [committed] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
  const rows: GroupPartitionLag[] = [];
  for (const topic of committed?.topics ?? []) {
    const metadata = await admin.metadata({ topics: [topic.name] });
    const count = metadata.topics.get(topic.name)?.partitionsCount ?? 0;
    const offsets = await partitionOffsets(admin, topic.name, count);
    for (const p of topic.partitions) {
      const end = offsets.find((o) => o.partition === p.partitionIndex)?.latest ?? -1;
      const offset = Number(p.committedOffset);
      rows.push({ topic: topic.name, partition: p.partitionIndex, committed: offset, end, lag: offset < 0 ? null : Math.max(0, end - offset), metadata: p.metadata ?? null });
    }
  }
  return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}
