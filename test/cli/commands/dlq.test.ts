import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Producer, stringSerializer } from '@platformatic/kafka';
import { deadLetterHeaders } from '../../../src/indexer/pipeline/dead-letters.ts';
import { startTestBroker, uniqueTopic } from '../../helpers/broker.ts';
import { runCli, tempDir } from '../../helpers/cli.ts';
import { consumeAll } from '../../indexer/pipeline/helpers.ts';
import { startTestStore } from '../../store/helpers.ts';

test('loglane dlq replay: dry run, replay through the pipeline\'s filters into --to-index, still-failing letters reported, --republish', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const cwd = await tempDir(t);
  const source = uniqueTopic('logs');
  const dlq = uniqueTopic('dlq');
  await writeFile(
    path.join(cwd, 'loglane.yml'),
    `indexer:\n  pipelines:\n    - name: apps\n      topics: [${source}]\n      dead_letter_topic: ${dlq}\n      filters:\n        - mutate: { add_field: { replayed: "yes" } }\n      outputs:\n        - elasticsearch: { index: '${source}' }\n`,
  );
  // Two dead letters as the pipeline writes them, and one message that is not a dead letter.
  const producer = new Producer<Buffer, Buffer, string, Buffer>({ clientId: 'test', bootstrapBrokers: [bootstrap], serializers: { headerKey: stringSerializer as (s?: string) => Buffer }, autocreateTopics: true });
  const letter = (offset: number, value: string) => ({
    topic: dlq,
    key: Buffer.from(`k${offset}`),
    value: Buffer.from(value),
    headers: deadLetterHeaders('apps', { topic: source, partition: 0, offset: BigInt(offset), key: null, value: null, headers: new Map([['trace', Buffer.from(`t${offset}`)]]), stage: 'output', reason: 'mapper_parsing_exception: failed to parse field [n]' }),
  });
  await producer.send({ messages: [letter(3, '{"n":"three"}'), letter(7, '{"n":"seven"}'), { topic: dlq, value: Buffer.from('stray') }], acks: -1 });
  await producer.close();

  const cli = (...args: string[]) => runCli(['dlq', 'replay', '--bootstrap', bootstrap, '--es', store.url, ...args], { cwd });
  const fixed = `${source}-fixed`;

  const dry = await cli('--to-index', fixed, '--dry-run', '--json');
  assert.equal(dry.code, 1, dry.stderr);
  const dryReport = JSON.parse(dry.stdout);
  assert.deepEqual([dryReport.topic, dryReport.read, dryReport.indexed, dryReport.still_failing, dryReport.indices], [dlq, 3, 2, 1, [fixed]]);
  assert.match(dryReport.failures[0].reason, /not a loglane dead letter/);
  assert.equal((await store.request('GET', `/${fixed}/_count`)).status, 404);

  // Only the two letters (offsets 0 and 1 of the dead-letter topic): exit 0.
  const replay = await cli('--to-index', fixed, '--to-offset', '2');
  assert.equal(replay.code, 0, replay.stderr);
  assert.match(replay.stdout, new RegExp(`indexed 2 of 2 dead letters read from ${dlq} \\(2 events into ${fixed}\\); still failing: 0`));
  const doc = await store.request('GET', `/${fixed}/_doc/${source}-0-7`);
  assert.deepEqual(doc.body._source.n, 'seven');
  assert.equal(doc.body._source.replayed, 'yes');

  const failing = await cli('--from-offset', '2');
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /still failing: 1/);
  assert.match(failing.stdout, /not a loglane dead letter/);

  // --republish: the original message (value, key, headers without loglane.dlq.*) back to its source topic.
  const republished = await cli('--republish', '--to-offset', '1', '--json');
  assert.equal(republished.code, 0, republished.stderr);
  assert.equal(JSON.parse(republished.stdout).republished, 1);
  const [back] = await consumeAll(bootstrap, source, 1);
  assert.deepEqual([back?.key, back?.value, back?.headers], ['k3', '{"n":"three"}', { trace: 't3' }]);
});

test('loglane dlq replay: usage errors exit 2 with a precise message', async (t) => {
  const cwd = await tempDir(t);
  const run = (...args: string[]) => runCli(['dlq', 'replay', '--bootstrap', '127.0.0.1:1', ...args], { cwd });
  const badOffset = await run('--topic', 'x', '--from-offset', '-3');
  assert.equal(badOffset.code, 2);
  assert.match(badOffset.stderr, /--from-offset expects an offset/);
  const both = await run('--topic', 'x', '--to-index', 'a', '--republish');
  assert.equal(both.code, 2);
  const noTopic = await run('--pipeline', 'nope');
  assert.equal(noTopic.code, 2);
  assert.match(noTopic.stderr, /--topic <topic>, or --pipeline <name> of a configured pipeline \(configured: logs\)/);
});
