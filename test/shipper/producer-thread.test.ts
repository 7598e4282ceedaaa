import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultProducerThread, kafkaSchema } from '../../src/shipper/config.ts';
import { packMessages, ThreadProducer, unpackMessages } from '../../src/shipper/producer-thread.ts';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { readTopic } from './helpers.ts';

const options = (bootstrap: string) => ({ clientId: 'test-thread-producer', bootstrapBrokers: [bootstrap], acks: -1, retries: 0, timeout: 5_000, autocreateTopics: true });

test('a packed batch unpacks to the same topics, keys and values (no key, empty value, several topics)', () => {
  const messages = [
    { topic: 'a', value: Buffer.from('{"n":1}') },
    { topic: 'b', key: Buffer.from('k1'), value: Buffer.from('{"n":2}') },
    { topic: 'a', key: Buffer.alloc(0), value: Buffer.from('é') },
    { topic: 'b', value: Buffer.alloc(0) },
  ];
  const { topics, refs, data } = packMessages(messages);
  assert.deepEqual(topics, ['a', 'b']);
  assert.equal(data.length, 7 + 2 + 7 + 2);
  const back = unpackMessages(topics, refs, data);
  assert.deepEqual(
    back.map((m) => [m.topic, m.key?.toString(), m.value?.toString()]),
    [
      ['a', undefined, '{"n":1}'],
      ['b', 'k1', '{"n":2}'],
      ['a', '', 'é'],
      ['b', undefined, ''],
    ],
  );
});

test('the producer thread sends batches to Kafka in order, with their keys', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const topic = uniqueTopic('thread');
  const producer = new ThreadProducer(options(bootstrap));
  t.after(() => producer.close(true));
  for (let batch = 0; batch < 3; batch++) {
    const messages = Array.from({ length: 100 }, (_, i) => ({ topic, ...(i % 2 ? { key: Buffer.from(`k${i}`) } : {}), value: Buffer.from(JSON.stringify({ n: batch * 100 + i })) }));
    await producer.send({ messages, acks: -1 });
  }
  const read = await readTopic(bootstrap, topic, (m) => m.length >= 300);
  assert.deepEqual(
    read.map((m) => m.value.n),
    Array.from({ length: 300 }, (_, i) => i),
  );
  assert.equal(read[1]!.key, 'k1');
  assert.equal(read[0]!.key, undefined);
});

test('a send to an unreachable Kafka rejects with the client error; close ends the thread', async () => {
  const producer = new ThreadProducer({ ...options('127.0.0.1:1'), timeout: 1_000 });
  await assert.rejects(producer.send({ messages: [{ topic: 'x', value: Buffer.from('{}') }], acks: -1 }), (error: Error) => error.message.length > 0);
  await producer.close(true);
  await assert.rejects(producer.send({ messages: [{ topic: 'x', value: Buffer.from('{}') }], acks: -1 }), /producer thread exited/);
});

test('producer_thread defaults to true only with a second core', () => {
  assert.equal(defaultProducerThread(1), false);
  assert.equal(defaultProducerThread(2), true);
  assert.equal(kafkaSchema.parse({}).producer_thread, defaultProducerThread());
  assert.equal(kafkaSchema.parse({ producer_thread: false }).producer_thread, false);
});
