/** CreateTopics, DeleteTopics and CreatePartitions. */
import { KafkaError, KafkaProtocolError } from '../protocol/error-codes.ts';
import { createPartitionsApi } from '../protocol/messages/create-partitions.ts';
import { createTopicsApi } from '../protocol/messages/create-topics.ts';
import { deleteTopicsApi } from '../protocol/messages/delete-topics.ts';
import { ZERO_UUID } from '../protocol/codec.ts';
import { ConfigSource } from '../topic-configs.ts';
import { defineHandler } from './handler.ts';

/** The Kafka error code and message of a failed admin operation. */
export function adminFailure(error: unknown): { errorCode: number; errorMessage: string } {
  if (error instanceof KafkaProtocolError) return { errorCode: error.errorCode, errorMessage: error.message };
  return { errorCode: KafkaError.UNKNOWN_SERVER_ERROR, errorMessage: error instanceof Error ? error.message : String(error) };
}

export const createTopicsHandler = defineHandler(createTopicsApi, async (request, ctx) => {
  const { topics } = ctx.broker;
  const results = [];
  const seen = new Set<string>();
  for (const t of request.topics) {
    const base = { name: t.name, topicId: ZERO_UUID, numPartitions: -1, replicationFactor: -1, configs: [] as never[] };
    if (seen.has(t.name)) {
      results.push({ ...base, errorCode: KafkaError.INVALID_REQUEST, errorMessage: `Create topics request from client contains a duplicate topic ${t.name}` });
      continue;
    }
    seen.add(t.name);
    if (t.assignments.length > 0 && t.numPartitions !== -1) {
      results.push({ ...base, errorCode: KafkaError.INVALID_REQUEST, errorMessage: 'Both numPartitions or replicationFactor and replicasAssignments were set.' });
      continue;
    }
    const badAssignment = t.assignments.find((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== ctx.broker.nodeId);
    if (badAssignment) {
      results.push({ ...base, errorCode: KafkaError.INVALID_REPLICA_ASSIGNMENT, errorMessage: `replicas must be [${ctx.broker.nodeId}] on this single-node broker` });
      continue;
    }
    try {
      const partitions = t.assignments.length > 0 ? t.assignments.length : t.numPartitions;
      const configs = Object.fromEntries(t.configs.map((c) => [c.name, c.value]));
      const created = await topics.createTopic(t.name, { partitions, replicationFactor: t.replicationFactor, configs, validateOnly: request.validateOnly });
      const meta = created?.meta;
      results.push({
        name: t.name,
        topicId: meta?.id ?? ZERO_UUID,
        errorCode: KafkaError.NONE,
        errorMessage: null,
        numPartitions: meta?.partitions ?? (partitions === -1 ? topics.brokerConfig.num_partitions : partitions),
        replicationFactor: 1,
        configs: topics.topicConfigs(t.name).map((c) => ({
          name: c.name,
          value: c.override ? c.value : (configs[c.name] ?? c.value),
          readOnly: false,
          configSource: c.override || configs[c.name] ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG,
          isSensitive: false,
        })),
      });
    } catch (error) {
      results.push({ ...base, ...adminFailure(error) });
    }
  }
  return { throttleTimeMs: 0, topics: results };
});

export const deleteTopicsHandler = defineHandler(deleteTopicsApi, async (request, ctx) => {
  const { topics } = ctx.broker;
  const wanted: { name: string | null; topicId: string }[] =
    ctx.apiVersion >= 6 ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId })) : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
  const responses = [];
  for (const w of wanted) {
    const topic = w.name !== null ? topics.topic(w.name) : topics.topicById(w.topicId);
    const name = topic?.meta.name ?? w.name;
    if (!topic) {
      const errorCode = w.name === null ? KafkaError.UNKNOWN_TOPIC_ID : KafkaError.UNKNOWN_TOPIC_OR_PARTITION;
      responses.push({ name: name ?? (ctx.apiVersion >= 6 ? null : ''), topicId: w.topicId, errorCode, errorMessage: 'This server does not host this topic.' });
      continue;
    }
    try {
      await topics.deleteTopic(topic.meta.name);
      responses.push({ name: topic.meta.name, topicId: topic.meta.id, errorCode: KafkaError.NONE, errorMessage: null });
    } catch (error) {
      responses.push({ name: topic.meta.name, topicId: topic.meta.id, ...adminFailure(error) });
    }
  }
  return { throttleTimeMs: 0, responses };
});

export const createPartitionsHandler = defineHandler(createPartitionsApi, async (request, ctx) => {
  const results = [];
  for (const t of request.topics) {
    try {
      await ctx.broker.topics.createPartitions(t.name, t.count, request.validateOnly);
      results.push({ name: t.name, errorCode: KafkaError.NONE, errorMessage: null });
    } catch (error) {
      results.push({ name: t.name, ...adminFailure(error) });
    }
  }
  return { throttleTimeMs: 0, results };
});
