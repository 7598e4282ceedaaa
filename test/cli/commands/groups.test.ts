import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { startTestBroker, uniqueTopic } from '../../helpers/broker.ts';
import { runCli, tempDir } from '../../helpers/cli.ts';

test('loglane groups describe shows lag while a consumer is stopped and after it catches up; reset-offsets', async (t) => {
  const { bootstrap } = await startTestBroker(t, { num_partitions: 2 });
  const cwd = await tempDir(t);
  const cli = (...args: string[]) => runCli([...args, '--bootstrap', bootstrap], { cwd });
  const topic = uniqueTopic('lag');
  const groupId = uniqueTopic('group');

  const producer = new Producer({ clientId: 'test', bootstrapBrokers: [bootstrap], serializers: stringSerializers, autocreateTopics: true });
  const send = (n: number, from: number) =>
    producer.send({ messages: Array.from({ length: n }, (_, i) => ({ topic, key: `k${i % 4}`, value: `v${from + i}` })) });
  await send(40, 0);

  const consume = async (expected: number) => {
    const consumer = new Consumer({ clientId: 'test', groupId, bootstrapBrokers: [bootstrap], deserializers: stringDeserializers, maxWaitTime: 100, autocommit: false });
    const stream = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest' });
    let seen = 0;
    for await (const message of stream) {
      await message.commit();
      if (++seen === expected) break;
    }
    await stream.close();
    await consumer.close();
    return seen;
  };
  assert.equal(await consume(40), 40);
  await send(10, 40);

  const stopped = await cli('groups', 'describe', groupId, '--json');
  assert.equal(stopped.code, 0, stopped.stderr);
  const [lagging] = JSON.parse(stopped.stdout);
  assert.equal(lagging.state, 'Empty');
  assert.equal(lagging.partitions.reduce((sum: number, p: { lag: number }) => sum + p.lag, 0), 10);

  assert.equal(await consume(10), 10);
  const caughtUp = JSON.parse((await cli('groups', 'describe', groupId, '--json')).stdout)[0];
  assert.equal(caughtUp.partitions.reduce((sum: number, p: { lag: number }) => sum + p.lag, 0), 0);
  assert.match((await cli('groups', 'list')).stdout, new RegExp(`^${groupId}\\s+Empty\\s+consumer$`, 'm'));

  const dryRun = await cli('groups', 'reset-offsets', groupId, '--topic', topic, '--to-earliest');
  assert.match(dryRun.stdout, /dry run/);
  assert.equal(JSON.parse((await cli('groups', 'describe', groupId, '--json')).stdout)[0].partitions.reduce((s: number, p: { lag: number }) => s + p.lag, 0), 0);
  const reset = await cli('groups', 'reset-offsets', groupId, '--topic', topic, '--to-earliest', '--execute');
  assert.equal(reset.code, 0, reset.stderr);
  const rewound = JSON.parse((await cli('groups', 'describe', groupId, '--json')).stdout)[0];
  assert.equal(rewound.partitions.reduce((s: number, p: { lag: number }) => s + p.lag, 0), 50);
  await producer.close();

  const deleted = await cli('groups', 'delete', groupId);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.doesNotMatch((await cli('groups', 'list')).stdout, new RegExp(groupId));
});

test('reset-offsets is refused while the group has members', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const cwd = await tempDir(t);
  const topic = uniqueTopic('busy');
  const groupId = uniqueTopic('busy-group');
  const consumer = new Consumer({ clientId: 'test', groupId, bootstrapBrokers: [bootstrap], deserializers: stringDeserializers, maxWaitTime: 100, autocreateTopics: true });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
  const result = await runCli(['groups', 'reset-offsets', groupId, '--topic', topic, '--to-latest', '--execute', '--bootstrap', bootstrap], { cwd });
  await stream.close();
  await consumer.close();
  assert.equal(result.code, 2);
  assert.match(result.stderr, /active member/);
});
