/**
 * The broker over the wire, with exact request versions: produce and fetch, long polls,
 * topics and configs, restarts, retention and DeleteRecords.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { KafkaError } from '../../src/broker/protocol/error-codes.ts';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { RawKafkaClient } from '../helpers/raw-kafka-client.ts';
import { decodeBatches, encodeBatch } from './log/helpers/record-batch-builder.ts';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const METADATA = 3;
const API_VERSIONS = 18;
const CREATE_TOPICS = 19;
const DELETE_RECORDS = 21;
const DESCRIBE_CONFIGS = 32;
const INCREMENTAL_ALTER_CONFIGS = 44;

async function client(t: { after: (fn: () => void) => void }, bootstrap: string): Promise<RawKafkaClient> {
  const c = await RawKafkaClient.connect(bootstrap);
  t.after(() => c.close());
  return c;
}

async function rawSocket(t: { after: (fn: () => void) => void }, bootstrap: string): Promise<Socket> {
  const [host, port] = bootstrap.split(':');
  const socket = connect(Number(port), host!);
  await once(socket, 'connect');
  t.after(() => socket.destroy());
  return socket;
}

function produceBody(topic: string, partition: number, values: string[], acks = -1) {
  return {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records: encodeBatch(values.map((value) => ({ key: null, value })), { baseTimestamp: Date.now() }) }] }],
  };
}

function fetchBody(topic: string, partition: number, fetchOffset: number, maxWaitMs = 0, minBytes = 1) {
  return {
    maxWaitMs,
    minBytes,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition, fetchOffset, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [],
    rackId: '',
  };
}

async function createTopic(c: RawKafkaClient, name: string, partitions = 1, configs: Record<string, string> = {}) {
  const response = await c.request(CREATE_TOPICS, 5, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
    timeoutMs: 5000,
    validateOnly: false,
  });
  assert.equal(response.topics[0].errorCode, 0, response.topics[0].errorMessage);
}

function values(fetchResponse: { responses: { partitions: { records: Buffer | null }[] }[] }): string[] {
  const records = fetchResponse.responses[0]!.partitions[0]!.records;
  return records ? decodeBatches(records).flatMap((b) => b.records.map((r) => String(r.value))) : [];
}

test('ApiVersions advertises Kafka 4.1 minimums and answers a too-new version with a v0 error', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const c = await client(t, bootstrap);
  const v3 = await c.request(API_VERSIONS, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
  assert.equal(v3.errorCode, 0);
  const produce = v3.apiKeys.find((k: { apiKey: number }) => k.apiKey === PRODUCE);
  const findCoordinator = v3.apiKeys.find((k: { apiKey: number }) => k.apiKey === 10);
  assert.deepEqual([produce.minVersion, findCoordinator.minVersion], [0, 0]);
  // A version above ours gets UNSUPPORTED_VERSION in a v0 body, on a connection that stays open.
  const tooNew = await rawSocket(t, bootstrap);
  const frame = Buffer.from([0, 0, 0, 0, 0, 18, 0, 99, 0, 0, 0, 7, 0, 0, 0]);
  frame.writeInt32BE(frame.length - 4, 0);
  const answer = new Promise<Buffer>((resolve) => tooNew.once('data', resolve));
  tooNew.write(frame);
  const bytes = await answer;
  assert.equal(bytes.readInt32BE(4), 7, 'correlation id');
  assert.equal(bytes.readInt16BE(8), KafkaError.UNSUPPORTED_VERSION);
});

test('produce with acks -1, 1 and 0, then fetch everything back in order', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const c = await client(t, bootstrap);
  const topic = uniqueTopic();
  await createTopic(c, topic);
  const first = await c.request(PRODUCE, 9, produceBody(topic, 0, ['a', 'b', 'c'], -1));
  assert.equal(first.responses[0].partitionResponses[0].errorCode, 0);
  assert.equal(first.responses[0].partitionResponses[0].baseOffset, 0);
  const second = await c.request(PRODUCE, 3, produceBody(topic, 0, ['d'], 1));
  assert.equal(second.responses[0].partitionResponses[0].baseOffset, 3);
  c.send(PRODUCE, 7, produceBody(topic, 0, ['e', 'f'], 0));
  // Responses keep request order, so this fetch runs after the acks=0 produce was appended.
  const fetched = await c.request(FETCH, 4, fetchBody(topic, 0, 0));
  assert.deepEqual(values(fetched), ['a', 'b', 'c', 'd', 'e', 'f']);
  assert.equal(fetched.responses[0].partitions[0].highWatermark, 6);
  const fromMiddle = await c.request(FETCH, 12, fetchBody(topic, 0, 1));
  // Whole batches from the one containing offset 1: the client drops what it already has.
  assert.deepEqual(values(fromMiddle), ['a', 'b', 'c', 'd', 'e', 'f']);
  const outOfRange = await c.request(FETCH, 11, fetchBody(topic, 0, 42));
  assert.equal(outOfRange.responses[0].partitions[0].errorCode, KafkaError.OFFSET_OUT_OF_RANGE);
  const unknown = await c.request(PRODUCE, 9, produceBody(uniqueTopic('missing'), 0, ['x']));
  assert.equal(unknown.responses[0].partitionResponses[0].errorCode, KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
});

test('a corrupt batch is refused with CORRUPT_MESSAGE and nothing is appended', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const c = await client(t, bootstrap);
  const topic = uniqueTopic();
  await createTopic(c, topic);
  const body = produceBody(topic, 0, ['good']);
  const records = body.topicData[0]!.partitionData[0]!.records;
  records[records.length - 1]! ^= 0xff;
  const response = await c.request(PRODUCE, 9, body);
  assert.equal(response.responses[0].partitionResponses[0].errorCode, KafkaError.CORRUPT_MESSAGE);
  const offsets = await c.request(LIST_OFFSETS, 7, { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] });
  assert.equal(offsets.topics[0].partitions[0].offset, 0);
});

test('a long-polling fetch is woken by a produce and returns before max_wait_ms', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const consumer = await client(t, bootstrap);
  const producer = await client(t, bootstrap);
  const topic = uniqueTopic();
  await createTopic(producer, topic);
  const waiting = consumer.request(FETCH, 11, fetchBody(topic, 0, 0, 60_000));
  let answered = false;
  void waiting.then(() => {
    answered = true;
  });
  await producer.request(METADATA, 9, { topics: [{ name: topic }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
  assert.equal(answered, false, 'the fetch waits while there is no data');
  await producer.request(PRODUCE, 9, produceBody(topic, 0, ['wake']));
  assert.deepEqual(values(await waiting), ['wake']);
});

test('Metadata auto-creates topics with num_partitions and rejects bad names', async (t) => {
  const { bootstrap } = await startTestBroker(t, { num_partitions: 3 });
  const c = await client(t, bootstrap);
  const topic = uniqueTopic();
  const response = await c.request(METADATA, 12, { topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name: topic }, { topicId: '00000000-0000-0000-0000-000000000000', name: 'bad/name' }], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false });
  assert.equal(response.topics[0].errorCode, 0);
  assert.equal(response.topics[0].partitions.length, 3);
  assert.match(response.topics[0].topicId, /^[0-9a-f-]{36}$/);
  assert.equal(response.topics[1].errorCode, KafkaError.INVALID_TOPIC_EXCEPTION);
  const refused = await c.request(CREATE_TOPICS, 7, { topics: [{ name: uniqueTopic(), numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false });
  assert.equal(refused.topics[0].errorCode, KafkaError.INVALID_REPLICATION_FACTOR);
  const badConfig = await c.request(CREATE_TOPICS, 7, { topics: [{ name: uniqueTopic(), numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: 'soon' }] }], timeoutMs: 1000, validateOnly: false });
  assert.equal(badConfig.topics[0].errorCode, KafkaError.INVALID_CONFIG);
});

test('topics, configs and records survive a restart', async (t) => {
  const first = await startTestBroker(t);
  let c = await client(t, first.bootstrap);
  const topic = uniqueTopic();
  await createTopic(c, topic, 2, { 'retention.ms': '3600000', 'cleanup.policy': 'compact' });
  await c.request(PRODUCE, 9, produceBody(topic, 1, ['kept']));
  const alter = await c.request(INCREMENTAL_ALTER_CONFIGS, 1, {
    resources: [{ resourceType: 2, resourceName: topic, configs: [{ name: 'max.message.bytes', configOperation: 0, value: '2000000' }] }],
    validateOnly: false,
  });
  assert.equal(alter.responses[0].errorCode, 0);
  c.close();
  const second = await first.restart();
  c = await client(t, second.bootstrap);
  const described = await c.request(DESCRIBE_CONFIGS, 4, { resources: [{ resourceType: 2, resourceName: topic, configurationKeys: null }], includeSynonyms: false, includeDocumentation: false });
  const configs = Object.fromEntries(described.results[0].configs.map((e: { name: string; value: string; configSource: number }) => [e.name, [e.value, e.configSource]]));
  assert.deepEqual(configs['retention.ms'], ['3600000', 1]);
  assert.deepEqual(configs['cleanup.policy'], ['compact', 1]);
  assert.deepEqual(configs['max.message.bytes'], ['2000000', 1]);
  assert.deepEqual(configs['segment.bytes'], [String(1024 * 1024 * 1024), 5]);
  const meta = await c.request(METADATA, 1, { topics: [{ name: topic }] });
  assert.equal(meta.topics[0].partitions.length, 2);
  assert.deepEqual(values(await c.request(FETCH, 4, fetchBody(topic, 1, 0))), ['kept']);
});

test('retention deletes old segments and ListOffsets earliest moves; DeleteRecords too', async (t) => {
  const { bootstrap, broker } = await startTestBroker(t);
  const c = await client(t, bootstrap);
  const topic = uniqueTopic();
  await createTopic(c, topic, 1, { 'segment.bytes': '1024', 'retention.bytes': '2048' });
  for (let i = 0; i < 20; i++) await c.request(PRODUCE, 9, produceBody(topic, 0, [`${i}`.padEnd(200, '.')]));
  const earliest = async () =>
    (await c.request(LIST_OFFSETS, 5, { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2 }] }] })).topics[0].partitions[0].offset;
  assert.equal(await earliest(), 0);
  await broker.topics.applyRetention();
  const afterRetention = await earliest();
  assert.ok(afterRetention > 0, `earliest offset moved (now ${afterRetention})`);
  const deleted = await c.request(DELETE_RECORDS, 2, { topics: [{ name: topic, partitions: [{ partitionIndex: 0, offset: 18 }] }], timeoutMs: 1000 });
  assert.deepEqual([deleted.topics[0].partitions[0].errorCode, deleted.topics[0].partitions[0].lowWatermark], [0, 18]);
  assert.equal(await earliest(), 18);
  const gone = await c.request(FETCH, 12, fetchBody(topic, 0, 5));
  assert.equal(gone.responses[0].partitions[0].errorCode, KafkaError.OFFSET_OUT_OF_RANGE);
});
