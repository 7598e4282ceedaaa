/**
 * Produce: validate and append each partition's record batches, then (acks=-1, or acks=1
 * with `acks_one_durability: fsync`) wait for one shared fsync of every touched log
 * before answering. acks=0 gets no response at all, as in Kafka.
 *
 * Appends happen synchronously, before the first await, so pipelined produce requests
 * on one connection are appended in the order they were sent. The connection relies on
 * it too: a Produce frame may live in a buffer it reuses for the next frame
 * (FrameDecoder's `transient`), so the request's record bytes must not be read after
 * the first await.
 */
import type { PartitionLog } from '../log/partition-log.ts';
import { brokerMetrics } from '../metrics.ts';
import { KafkaError, KafkaProtocolError, kafkaErrorName } from '../protocol/error-codes.ts';
import { produceApi } from '../protocol/messages/produce.ts';
import { defineHandler } from './handler.ts';

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
  errorMessage: string | null;
  log?: PartitionLog;
}

export const produceHandler = defineHandler(produceApi, async (request, ctx) => {
  const { topics } = ctx.broker;
  const acks = request.acks;
  const validAcks = acks === 0 || acks === 1 || acks === -1;
  if (request.transactionalId !== null) {
    ctx.broker.logger.warn({ client: ctx.client.remote, transactionalId: request.transactionalId }, 'transactional produce is not supported');
  }
  const now = Date.now();
  const results = request.topicData.map((topicData) => {
    const topic = topics.topic(topicData.name);
    const minInsync = topic ? Number(topic.meta.configs['min.insync.replicas'] ?? '1') : 1;
    const partitions = topicData.partitionData.map((data): PartitionResult => {
      const fail = (errorCode: number, errorMessage: string | null = null): PartitionResult => {
        brokerMetrics.produceErrors.inc({ error: kafkaErrorName(errorCode) });
        return { index: data.index, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, errorMessage };
      };
      if (!validAcks) return fail(KafkaError.INVALID_REQUIRED_ACKS, `acks must be 0, 1 or -1, got ${acks}`);
      if (request.transactionalId !== null) return fail(KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'transactions are not supported by this broker');
      const log = topic?.partitions[data.index];
      if (!topic || !log) return fail(KafkaError.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic or partition ${topicData.name}-${data.index}`);
      if (acks === -1 && minInsync > 1) {
        return fail(KafkaError.NOT_ENOUGH_REPLICAS, `min.insync.replicas=${minInsync} but this single-node broker has 1 in-sync replica`);
      }
      if (data.records === null || data.records.length === 0) return fail(KafkaError.CORRUPT_MESSAGE, 'empty record set');
      try {
        const appended = log.append(data.records, { now });
        if (!appended.duplicate) {
          brokerMetrics.bytesIn.inc({ topic: topicData.name }, data.records.length);
          brokerMetrics.recordsIn.inc({ topic: topicData.name }, appended.lastOffset - appended.baseOffset + 1);
        }
        return {
          index: data.index,
          errorCode: KafkaError.NONE,
          baseOffset: appended.baseOffset,
          logAppendTimeMs: appended.logAppendTime,
          logStartOffset: appended.logStartOffset,
          errorMessage: null,
          log,
        };
      } catch (error) {
        if (error instanceof KafkaProtocolError) return fail(error.errorCode, error.message);
        ctx.broker.logger.error({ err: error, topic: topicData.name, partition: data.index }, 'append failed');
        return fail(KafkaError.KAFKA_STORAGE_ERROR, 'the broker could not write to its disk');
      }
    });
    return { name: topicData.name, partitions };
  });

  for (const topic of results) {
    for (const p of topic.partitions) if (p.log) ctx.broker.topics.notifyAppend(topic.name, p.index);
  }

  const durable = acks === -1 || (acks === 1 && ctx.broker.config().acks_one_durability === 'fsync');
  if (durable) {
    const touched = results.flatMap((t) => t.partitions.filter((p) => p.log !== undefined));
    await Promise.all(
      touched.map(async (p) => {
        try {
          await p.log!.flush();
        } catch (error) {
          ctx.broker.logger.error({ err: error, code: 'LOGLANE_ERR_BROKER_STORAGE' }, 'fsync failed; answering KAFKA_STORAGE_ERROR');
          Object.assign(p, { errorCode: KafkaError.KAFKA_STORAGE_ERROR, baseOffset: -1, errorMessage: 'fsync failed' });
        }
      }),
    );
  }
  if (acks === 0) return null;
  return {
    responses: results.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitions.map((p) => ({
        index: p.index,
        errorCode: p.errorCode,
        baseOffset: p.baseOffset,
        logAppendTimeMs: p.logAppendTimeMs,
        logStartOffset: p.logStartOffset,
        recordErrors: [],
        errorMessage: p.errorMessage,
      })),
    })),
    throttleTimeMs: 0,
  };
});
