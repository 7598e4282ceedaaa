import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestBroker, uniqueTopic } from '../../helpers/broker.ts';
import { startTestStore } from '../../store/helpers.ts';
import { pipelineSchema } from '../../../src/indexer/config.ts';
import { replayDeadLetters } from '../../../src/indexer/pipeline/replay.ts';
import { consumeAll, count, eventually, produce, runPipeline, testLogger } from './helpers.ts';

const logEvent = (batch: number, i: number) => ({ timestamp: `2026-11-23T10:0${batch}:${String(i).padStart(2, '0')}Z`, level: i % 5 === 0 ? 'ERROR' : 'INFO', service: `svc-${batch}`, message: `event ${batch}-${i}`, n: batch * 10 + i });

test("the seeds' flow: 5 batches of 10 JSON events → 50 documents in the index, with deterministic ids", async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const topic = uniqueTopic('logs');
  await runPipeline(t, bootstrap, store.url, { name: 'seeds', topics: [topic], max_poll_records: 10 });
  for (let b = 0; b < 5; b++) await produce(bootstrap, Array.from({ length: 10 }, (_, i) => ({ topic, value: JSON.stringify(logEvent(b, i)) })));
  await eventually(async () => ((await count(store.url, topic)) === 50 ? true : undefined), 30_000, '50 documents');
  const doc = await store.request('GET', `/${topic}/_doc/${topic}-0-12`);
  assert.equal(doc.status, 200);
  const { '@timestamp': timestamp, ...fields } = doc.body._source;
  assert.deepEqual(fields, logEvent(1, 2));
  assert.match(timestamp, /^\d{4}-\d\d-\d\dT/);
});

test('a mapping conflict goes to the dead-letter topic with its reason; the rest is indexed', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const topic = uniqueTopic('logs');
  const index = topic;
  await store.request('PUT', `/${index}`, { mappings: { properties: { n: { type: 'long' } } } });
  const dlq = uniqueTopic('dlq');
  const raw = { name: 'conflict', topics: [topic], dead_letter_topic: dlq };
  await runPipeline(t, bootstrap, store.url, raw);
  await produce(bootstrap, [
    { topic, value: '{"n":1}' },
    { topic, value: '{"n":"not a number"}', key: 'k2' },
    { topic, value: '{"n":3}' },
  ]);
  await eventually(async () => ((await count(store.url, index)) === 2 ? true : undefined), 30_000, '2 documents');
  const [letter] = await consumeAll(bootstrap, dlq, 1);
  assert.ok(letter);
  assert.equal(letter.value, '{"n":"not a number"}');
  assert.equal(letter.key, 'k2');
  assert.equal(letter.headers['loglane.dlq.stage'], 'output');
  assert.equal(letter.headers['loglane.dlq.source.topic'], topic);
  assert.equal(letter.headers['loglane.dlq.source.offset'], '1');
  assert.equal(letter.headers['loglane.dlq.pipeline'], 'conflict');
  assert.match(letter.headers['loglane.dlq.reason']!, /mapper_parsing_exception|parse/);

  // Replay (loglane dlq replay): into the unchanged index it still fails and stays dead-lettered…
  const replay = (options: Partial<Parameters<typeof replayDeadLetters>[0]>) =>
    replayDeadLetters({ bootstrap: [bootstrap], topic: dlq, pipelines: [pipelineSchema.parse(raw)], cluster: { hosts: [store.url] }, logger: testLogger(), timeoutMs: 30_000, ...options });
  const failing = await replay({});
  assert.deepEqual([failing.read, failing.indexed, failing.still_failing], [1, 0, 1]);
  assert.match(failing.failures[0]!.reason, /mapper_parsing_exception|parse/);
  assert.equal(failing.failures[0]!.source, `${topic}/0/1`);
  // …a dry run into a fixed index says what it would do and writes nothing…
  const fixed = `${index}-fixed`;
  await store.request('PUT', `/${fixed}`, { mappings: { properties: { n: { type: 'keyword' } } } });
  const dry = await replay({ toIndex: fixed, dryRun: true });
  assert.deepEqual([dry.indexed, dry.still_failing, dry.indices], [1, 0, [fixed]]);
  assert.equal(await count(store.url, fixed), 0);
  // …and after the fix (a new index whose mapping takes the value) it is indexed under its original id.
  const done = await replay({ toIndex: fixed });
  assert.deepEqual([done.read, done.indexed, done.still_failing, done.events], [1, 1, 0, 1]);
  const replayed = await store.request('GET', `/${fixed}/_doc/${topic}-0-1`);
  assert.equal(replayed.body._source.n, 'not a number');
  // A replay repeated overwrites: still one document.
  await replay({ toIndex: fixed });
  assert.equal(await count(store.url, fixed), 1);
  // The dead letter is still in its topic.
  assert.equal((await consumeAll(bootstrap, dlq, 1)).length, 1);
});

test('ERROR events are routed to logs-errors as well as indexed', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const topic = uniqueTopic('logs');
  const errors = uniqueTopic('logs-errors');
  await runPipeline(t, bootstrap, store.url, { name: 'route', topics: [topic], outputs: [{ elasticsearch: {} }, { kafka: { topic: errors, if: '[level] == "ERROR"' } }] });
  await produce(bootstrap, Array.from({ length: 10 }, (_, i) => ({ topic, value: JSON.stringify(logEvent(0, i)) })));
  await eventually(async () => ((await count(store.url, topic)) === 10 ? true : undefined), 30_000, '10 documents');
  const routed = await consumeAll(bootstrap, errors, 2);
  assert.deepEqual(routed.map((m) => JSON.parse(m.value).n).sort(), [0, 5]);
});

test('an undecodable message goes to the dead-letter topic (stage decode) and the pipeline goes on', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const topic = uniqueTopic('logs');
  const dlq = uniqueTopic('dlq');
  await runPipeline(t, bootstrap, store.url, { name: 'decode', topics: [topic], codec: 'json', dead_letter_topic: dlq });
  await produce(bootstrap, [
    { topic, value: '{"n":1}' },
    { topic, value: '{"n": oops}' },
    { topic, value: '{"n":3}' },
  ]);
  await eventually(async () => ((await count(store.url, topic)) === 2 ? true : undefined), 30_000, '2 documents');
  const [letter] = await consumeAll(bootstrap, dlq, 1);
  assert.equal(letter?.value, '{"n": oops}');
  assert.equal(letter?.headers['loglane.dlq.stage'], 'decode');
  assert.equal(letter?.headers['loglane.dlq.source.offset'], '1');
  assert.match(letter?.headers['loglane.dlq.reason'] ?? '', /json/);
  const third = await store.request('GET', `/${topic}/_doc/${topic}-0-2`);
  assert.equal(third.body._source.n, 3);
});

test('an index template is put before the first bulk request, so the index gets its mappings', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const topic = uniqueTopic('logs');
  const index_template = { name: `t-${topic}`, body: { index_patterns: [`${topic}*`], template: { mappings: { properties: { n: { type: 'keyword' } } } } } };
  await runPipeline(t, bootstrap, store.url, { name: 'template', topics: [topic], outputs: [{ elasticsearch: { index_template } }] });
  await produce(bootstrap, [{ topic, value: '{"n":1}' }]);
  await eventually(async () => ((await count(store.url, topic)) === 1 ? true : undefined), 30_000, '1 document');
  const mapping = await store.request('GET', `/${topic}/_mapping`);
  assert.equal(mapping.body[topic].mappings.properties.n.type, 'keyword');
});

test('workers: 1 — batches prepared in a worker thread give the same documents, ids and dead letters', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const store = await startTestStore(t);
  const topic = uniqueTopic('logs');
  const dlq = uniqueTopic('dlq');
  await runPipeline(t, bootstrap, store.url, {
    name: 'workers',
    topics: [topic],
    codec: 'json',
    dead_letter_topic: dlq,
    workers: 1,
    filters: [{ mutate: { add_field: { prepared: 'in a worker' } } }],
  });
  await produce(bootstrap, [
    { topic, value: JSON.stringify(logEvent(0, 1)), key: 'a' },
    { topic, value: '{"n": oops}', key: 'b' },
    { topic, value: JSON.stringify(logEvent(0, 3)) },
  ]);
  await eventually(async () => ((await count(store.url, topic)) === 2 ? true : undefined), 30_000, '2 documents');
  const doc = await store.request('GET', `/${topic}/_doc/${topic}-0-2`);
  const { '@timestamp': _timestamp, ...fields } = doc.body._source;
  assert.deepEqual(fields, { ...logEvent(0, 3), prepared: 'in a worker' });
  const [letter] = await consumeAll(bootstrap, dlq, 1);
  assert.deepEqual([letter?.value, letter?.key, letter?.headers['loglane.dlq.stage'], letter?.headers['loglane.dlq.source.offset']], ['{"n": oops}', 'b', 'decode', '1']);
});
