/** DeleteRecords, OffsetForLeaderEpoch, InitProducerId and DescribeCluster. */
import { KafkaError, KafkaProtocolError } from '../protocol/error-codes.ts';
import { deleteRecordsApi } from '../protocol/messages/delete-records.ts';
import { describeClusterApi } from '../protocol/messages/describe-cluster.ts';
import { initProducerIdApi } from '../protocol/messages/init-producer-id.ts';
import { offsetForLeaderEpochApi } from '../protocol/messages/offset-for-leader-epoch.ts';
import { LEADER_EPOCH } from '../topic-manager.ts';
import { defineHandler } from './handler.ts';

/** DeleteRecords: offset -1 means "up to the high watermark". */
export const deleteRecordsHandler = defineHandler(deleteRecordsApi, async (request, ctx) => ({
  throttleTimeMs: 0,
  topics: await Promise.all(request.topics.map(async (t) => ({
    name: t.name,
    partitions: await Promise.all(t.partitions.map(async (p) => {
      const log = ctx.broker.topics.partition(t.name, p.partitionIndex);
      if (!log) return { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION };
      const target = p.offset === -1 ? log.logEndOffset : p.offset;
      if (target < 0 || target > log.logEndOffset) return { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: KafkaError.OFFSET_OUT_OF_RANGE };
      try {
        const { logStartOffset } = await log.deleteRecordsBefore(target);
        return { partitionIndex: p.partitionIndex, lowWatermark: logStartOffset, errorCode: KafkaError.NONE };
      } catch (error) {
        const errorCode = error instanceof KafkaProtocolError ? error.errorCode : KafkaError.KAFKA_STORAGE_ERROR;
        ctx.broker.logger.error({ err: error, topic: t.name, partition: p.partitionIndex }, 'DeleteRecords failed');
        return { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode };
      }
    })),
  }))),
}));

/** The leader epoch never changes here, so epoch 0 ends at the log end offset. */
export const offsetForLeaderEpochHandler = defineHandler(offsetForLeaderEpochApi, (request, ctx) => ({
  throttleTimeMs: 0,
  topics: request.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      const log = ctx.broker.topics.partition(t.topic, p.partition);
      if (!log) return { errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, partition: p.partition, leaderEpoch: -1, endOffset: -1 };
      if (p.currentLeaderEpoch > LEADER_EPOCH) return { errorCode: KafkaError.UNKNOWN_LEADER_EPOCH, partition: p.partition, leaderEpoch: -1, endOffset: -1 };
      if (p.leaderEpoch > LEADER_EPOCH) return { errorCode: KafkaError.NONE, partition: p.partition, leaderEpoch: -1, endOffset: -1 };
      return { errorCode: KafkaError.NONE, partition: p.partition, leaderEpoch: LEADER_EPOCH, endOffset: log.logEndOffset };
    }),
  })),
}));

const MAX_EPOCH = 32767;

/**
 * InitProducerId for idempotent producers. Transactions are not supported: a
 * transactional id is refused (the producer fails at init, not halfway through).
 * KIP-360 (v3+): a producer that knows its id and epoch gets the same id with the next
 * epoch, or a new id when the epoch would overflow.
 */
export const initProducerIdHandler = defineHandler(initProducerIdApi, (request, ctx) => {
  if (request.transactionalId !== null) {
    ctx.broker.logger.warn({ client: ctx.client.remote, transactionalId: request.transactionalId }, 'refused a transactional producer: transactions are not supported');
    return { throttleTimeMs: 0, errorCode: KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, producerId: -1, producerEpoch: -1 };
  }
  if (request.producerId >= 0 && request.producerEpoch >= 0 && request.producerEpoch < MAX_EPOCH) {
    return { throttleTimeMs: 0, errorCode: KafkaError.NONE, producerId: request.producerId, producerEpoch: request.producerEpoch + 1 };
  }
  return { throttleTimeMs: 0, errorCode: KafkaError.NONE, producerId: ctx.broker.producerIds.next(), producerEpoch: 0 };
});

export const describeClusterHandler = defineHandler(describeClusterApi, (request, ctx) => ({
  throttleTimeMs: 0,
  errorCode: KafkaError.NONE,
  errorMessage: null,
  endpointType: request.endpointType,
  clusterId: ctx.broker.clusterId,
  controllerId: ctx.broker.nodeId,
  brokers: [{ brokerId: ctx.broker.nodeId, host: ctx.broker.advertised.host, port: ctx.broker.advertised.port, rack: null }],
  clusterAuthorizedOperations: -2147483648,
}));
