/**
 * Real Kafka clients that no one here wrote, against the embedded broker: kcat
 * (librdkafka 2.0.2) with every compression codec, kafka-python 2.0,
 * confluent-kafka-python 1.7, KafkaJS 2.2 and @platformatic/kafka 2.x.
 * The Debian clients are installed by .ci/run.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, uniqueTopic } from '../helpers/broker.ts';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';

/** Runs a command with `input` on stdin; resolves with stdout. */
function pipeInto(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

test('kcat: metadata, then 100k keyed records with headers per compression codec, byte for byte', async (t) => {
  const { bootstrap } = await startTestBroker(t, { num_partitions: 3 });
  const metadata = JSON.parse((await run('kcat', ['-b', bootstrap, '-L', '-J'])).stdout);
  assert.equal(metadata.brokers.length, 1);
  const count = 100_000;
  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    const topic = uniqueTopic(`kcat-${codec}`);
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(`key-${i % 97}\t${codec} record ${i} ${'x'.repeat(i % 50)}`);
    await pipeInto('kcat', ['-b', bootstrap, '-t', topic, '-P', '-K', '\t', '-z', codec, '-H', `codec=${codec}`, '-X', 'acks=all', '-X', 'linger.ms=5'], `${lines.join('\n')}\n`);
    const { stdout } = await run('kcat', ['-b', bootstrap, '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\t%h\n'], { maxBuffer: 64 << 20 });
    const received = stdout.split('\n').filter((l) => l !== '');
    assert.equal(received.length, count, `${codec}: every record came back`);
    assert.ok(received.every((l) => l.endsWith(`\tcodec=${codec}`)), `${codec}: headers kept`);
    const got = received.map((l) => l.slice(0, l.lastIndexOf('\t'))).sort();
    assert.deepEqual(got, [...lines].sort(), `${codec}: keys and values byte for byte`);
  }
});

for (const [name, script] of [
  ['kafka-python 2.0', 'kafka_python_roundtrip.py'],
  ['confluent-kafka-python 1.7', 'confluent_kafka_roundtrip.py'],
] as const) {
  test(`${name}: produce with acks=all, batching and linger, consume from earliest without a group`, async (t) => {
    const { bootstrap } = await startTestBroker(t, { num_partitions: 2 });
    const topic = uniqueTopic('py');
    const count = 5000;
    const { stdout } = await run(PYTHON, [path.join(here, 'clients', script), bootstrap, topic, String(count)], { maxBuffer: 64 << 20, timeout: 120_000 });
    const result = JSON.parse(stdout) as { acked: number; errors?: string[]; records: [string, string, string][] };
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.acked, count);
    assert.equal(result.records.length, count);
    const byNumber = new Map(result.records.map(([key, value, n]) => [Number(n), [key, value]]));
    for (let i = 0; i < count; i++) {
      const [key, value] = byNumber.get(i) ?? [];
      assert.equal(key, `k${i % 10}`);
      assert.match(value ?? '', new RegExp(`-${i}$`));
    }
  });
}

test('KafkaJS 2.2: idempotent producer with acks -1, consumer group from the beginning', async (t) => {
  const { bootstrap } = await startTestBroker(t, { num_partitions: 3 });
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'compat', logLevel: logLevel.NOTHING });
  const topic = uniqueTopic('kafkajs');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const count = 2000;
  for (let batch = 0; batch < count / 100; batch++) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 100 }, (_, j) => ({ key: `k${j % 7}`, value: `kafkajs-${batch * 100 + j}`, headers: { n: String(batch * 100 + j) } })),
    });
  }
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: uniqueTopic('kafkajs-group'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set<string>();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.add(`${message.key}|${message.value}|${message.headers?.n}`);
        if (seen.size === count) resolve();
      },
    });
  });
  // Disconnect before the broker stops (after-hooks run in registration order), or KafkaJS keeps reconnecting.
  await consumer.disconnect();
  for (let i = 0; i < count; i++) assert.ok(seen.has(`k${i % 100 % 7}|kafkajs-${i}|${i}`), `record ${i}`);
});

test('@platformatic/kafka 2.x: admin, producer with acks -1, consumer group from earliest', async (t) => {
  const { bootstrap } = await startTestBroker(t);
  const topic = uniqueTopic('platformatic');
  const admin = new Admin({ clientId: 'compat', bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: [topic], partitions: 4, replicas: 1 });
  assert.ok((await admin.listTopics()).includes(topic));
  await admin.close();
  const producer = new Producer({ clientId: 'compat', bootstrapBrokers: [bootstrap], serializers: stringSerializers, acks: -1, idempotent: true });
  const count = 2000;
  for (let batch = 0; batch < count / 100; batch++) {
    await producer.send({
      messages: Array.from({ length: 100 }, (_, j) => ({ topic, key: `k${j % 9}`, value: `platformatic-${batch * 100 + j}`, headers: new Map([['n', String(batch * 100 + j)]]) })),
    });
  }
  await producer.close();
  const consumer = new Consumer({ clientId: 'compat', groupId: uniqueTopic('platformatic-group'), bootstrapBrokers: [bootstrap], deserializers: stringDeserializers, maxWaitTime: 200 });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
  const seen = new Set<string>();
  for await (const message of stream) {
    seen.add(`${message.key}|${message.value}|${message.headers.get('n')}`);
    if (seen.size === count) break;
  }
  await stream.close();
  await consumer.close();
  for (let i = 0; i < count; i++) assert.ok(seen.has(`k${i % 100 % 9}|platformatic-${i}|${i}`), `record ${i}`);
});
