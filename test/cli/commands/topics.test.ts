import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestBroker, uniqueTopic } from '../../helpers/broker.ts';
import { runCli, tempDir } from '../../helpers/cli.ts';

test('loglane topics create, describe, alter, list and delete against a broker', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const cwd = await tempDir(t);
  const cli = (...args: string[]) => runCli([...args, '--bootstrap', bootstrap], { cwd });
  const topic = uniqueTopic('cli');

  const created = await cli('topics', 'create', topic, '--partitions', '3', '--topic-config', 'retention.ms=3600000');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, new RegExp(`created topic ${topic} \\(3 partitions`));

  const again = await cli('topics', 'create', topic);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /TOPIC_ALREADY_EXISTS/);
  assert.match(again.stderr, /LOGLANE_ERR_KAFKA_CLIENT/);

  const altered = await cli('topics', 'alter', topic, '--topic-config', 'segment.bytes=1048576', '--partitions', '4');
  assert.equal(altered.code, 0, altered.stderr);

  const described = await cli('topics', 'describe', topic, '--json');
  assert.equal(described.code, 0, described.stderr);
  const [info] = JSON.parse(described.stdout);
  assert.equal(info.partitions.length, 4);
  assert.deepEqual(info.configs, { 'retention.ms': '3600000', 'segment.bytes': '1048576' });

  const listed = await cli('topics', 'list');
  assert.match(listed.stdout, new RegExp(`^${topic}\\s+4$`, 'm'));

  const bad = await cli('topics', 'create', uniqueTopic('bad'), '--partitions', 'many');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /expected a positive whole number/);

  assert.equal((await cli('topics', 'delete', topic)).code, 0);
  assert.doesNotMatch((await cli('topics', 'list')).stdout, new RegExp(topic));
});

test('an unreachable bootstrap gives LOGLANE_ERR_KAFKA_CLIENT and exit 1', async (t) => {
  const cwd = await tempDir(t);
  const result = await runCli(['topics', 'list', '--bootstrap', '127.0.0.1:1'], { cwd });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Kafka request to 127\.0\.0\.1:1 failed/);
  const malformed = await runCli(['topics', 'list', '--bootstrap', 'no-port'], { cwd });
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /--bootstrap expects host:port/);
});
