import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FetchWaiters } from '../../src/broker/fetch-waiters.ts';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';
import { RawKafkaClient } from '../helpers/raw-kafka-client.ts';

test('a waiter fires once, on the first append to any of its partitions, and then unregisters', () => {
  const waiters = new FetchWaiters();
  let fired = 0;
  waiters.wait([FetchWaiters.key('a', 0), FetchWaiters.key('b', 1)], () => fired++);
  assert.equal(waiters.size, 2);
  waiters.notify('a', 1);
  assert.equal(fired, 0);
  waiters.notify('b', 1);
  waiters.notify('a', 0);
  assert.equal(fired, 1);
  assert.equal(waiters.size, 0);
});

test('cancel and wakeAll leave nothing registered', () => {
  const waiters = new FetchWaiters();
  let fired = 0;
  const cancel = waiters.wait([FetchWaiters.key('a', 0)], () => fired++);
  cancel();
  waiters.notify('a', 0);
  waiters.wait([FetchWaiters.key('a', 0)], () => fired++);
  waiters.wait([FetchWaiters.key('a', 0), FetchWaiters.key('c', 0)], () => fired++);
  waiters.wakeAll();
  assert.equal(fired, 2);
  assert.equal(waiters.size, 0);
});

test('long polls that time out leave no waiter and no close listener behind', async (t) => {
  const { bootstrap, broker } = await startTestBroker(t);
  const c = await RawKafkaClient.connect(bootstrap);
  t.after(() => c.close());
  const topic = uniqueTopic();
  await c.request(3, 9, { topics: [{ name: topic }], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false });
  for (let i = 0; i < 20; i++) {
    await c.request(1, 11, {
      maxWaitMs: 5,
      minBytes: 1,
      maxBytes: 1024,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 }] }],
      forgottenTopicsData: [],
      rackId: '',
    });
  }
  assert.equal(broker.context.fetchWaiters.size, 0);
  assert.equal(broker.closeListenerCount(), 0);
});
