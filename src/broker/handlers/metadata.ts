/**
 * Metadata: this broker is the only node, the controller and the leader (epoch 0) of
 * every partition. Unknown topics are created on the spot when the request and the
 * broker allow it (auto.create.topics.enable), and answered at once with their
 * partitions instead of Kafka's LEADER_NOT_AVAILABLE-then-retry dance.
 */
import { KafkaError, KafkaProtocolError } from '../protocol/error-codes.ts';
import { metadataApi, type MetadataResponseInput } from '../protocol/messages/metadata.ts';
import { ZERO_UUID } from '../protocol/codec.ts';
import { type Topic, topicNameProblem } from '../topic-manager.ts';
import { LEADER_EPOCH } from '../topic-manager.ts';
import { defineHandler, type RequestContext } from './handler.ts';

const NO_OPERATIONS = -2147483648;

type TopicAnswer = MetadataResponseInput['topics'][number];

export const metadataHandler = defineHandler(metadataApi, async (request, ctx) => {
  const { broker } = ctx;
  const version = ctx.apiVersion;
  const requested = request.topics as typeof request.topics | null;
  let answers: TopicAnswer[];
  if (requested === null || (version === 0 && requested.length === 0)) {
    answers = broker.topics.topics().map((topic) => describeTopic(topic, ctx));
  } else {
    answers = [];
    for (const wanted of requested) {
      let topic: Topic | undefined;
      if (wanted.name === null || wanted.name === undefined) {
        topic = broker.topics.topicById(wanted.topicId);
        if (!topic) {
          answers.push(errorTopic(version >= 12 ? null : '', wanted.topicId, KafkaError.UNKNOWN_TOPIC_ID));
          continue;
        }
      } else {
        topic = broker.topics.topic(wanted.name);
        if (!topic) {
          const problem = topicNameProblem(wanted.name);
          if (problem) {
            answers.push(errorTopic(wanted.name, ZERO_UUID, KafkaError.INVALID_TOPIC_EXCEPTION));
            continue;
          }
          if (request.allowAutoTopicCreation) {
            try {
              topic = await broker.topics.autoCreate(wanted.name);
            } catch (error) {
              const code = error instanceof KafkaProtocolError ? error.errorCode : KafkaError.UNKNOWN_SERVER_ERROR;
              broker.logger.warn({ err: error, topic: wanted.name }, 'auto-creating a topic failed');
              answers.push(errorTopic(wanted.name, ZERO_UUID, code));
              continue;
            }
          }
        }
        if (!topic) {
          answers.push(errorTopic(wanted.name, ZERO_UUID, KafkaError.UNKNOWN_TOPIC_OR_PARTITION));
          continue;
        }
      }
      answers.push(describeTopic(topic, ctx));
    }
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: broker.nodeId, host: broker.advertised.host, port: broker.advertised.port, rack: null }],
    clusterId: broker.clusterId,
    controllerId: broker.nodeId,
    topics: answers,
    clusterAuthorizedOperations: NO_OPERATIONS,
  };
});

function describeTopic(topic: Topic, ctx: RequestContext): TopicAnswer {
  const nodeId = ctx.broker.nodeId;
  return {
    errorCode: KafkaError.NONE,
    name: topic.meta.name,
    topicId: topic.meta.id,
    isInternal: false,
    partitions: topic.partitions.map((_, index) => ({
      errorCode: KafkaError.NONE,
      partitionIndex: index,
      leaderId: nodeId,
      leaderEpoch: LEADER_EPOCH,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: NO_OPERATIONS,
  };
}

function errorTopic(name: string | null, topicId: string, errorCode: number): TopicAnswer {
  return { errorCode, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: NO_OPERATIONS };
}
