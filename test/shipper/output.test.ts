import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { kafkaSchema } from '../../src/shipper/config.ts';
import type { ShipperEvent } from '../../src/shipper/event.ts';
import { backoffMs, ShipperOutput } from '../../src/shipper/output.ts';
import { createRouter } from '../../src/shipper/router.ts';
import { tempDir } from '../helpers/cli.ts';
import { FakeProducer } from './fake-producer.ts';
import { capturingLogger, eventually } from './helpers.ts';

async function setup(t: Parameters<typeof tempDir>[0], raw: Record<string, unknown> = {}, producer = new FakeProducer()) {
  const dir = await tempDir(t);
  const config = kafkaSchema.parse({ linger_ms: 1, backoff_initial_ms: 1, backoff_max_ms: 5, ...raw });
  const { lines, logger } = capturingLogger();
  const output = new ShipperOutput({ config, bootstrap: ['x:1'], router: createRouter(config), rejectFile: path.join(dir, 'rejected.ndjson'), logger, createProducer: () => producer, random: () => 0.5 });
  t.after(() => output.stop(0));
  return { output, producer, dir, lines };
}

function events(n: number, acks: number[], from = 0): ShipperEvent[] {
  return Array.from({ length: n }, (_, i) => ({ fields: { message: `m${from + i}` }, input: 'test', ack: () => acks.push(from + i) }));
}

test('events are batched, sent and acknowledged in order; the queue empties', async (t) => {
  const { output, producer } = await setup(t, { batch_max_events: 3, max_in_flight_batches: 4 });
  const acks: number[] = [];
  await output.publish(events(10, acks));
  assert.equal(await output.drain(5000), true);
  assert.deepEqual(acks, [...Array(10).keys()]);
  assert.equal(producer.sent.length, 10);
  assert.ok(producer.sends >= 4, `${producer.sends} sends of at most 3`);
  assert.equal(output.queued, 0);
});

test('acks of a later batch wait for an earlier batch that is retried', async (t) => {
  const { output, producer, lines } = await setup(t, { batch_max_events: 2, max_in_flight_batches: 2 });
  producer.failNext = 3;
  const acks: number[] = [];
  await output.publish(events(4, acks));
  assert.equal(await output.drain(5000), true);
  assert.deepEqual(acks, [0, 1, 2, 3]);
  assert.equal(producer.failures, 3);
  assert.ok(lines.some((l) => l.code === 'LOGLANE_ERR_SHIPPER_KAFKA_UNAVAILABLE'));
  assert.ok(lines.some((l) => /acknowledges again/.test(String(l.msg))));
});

test('backpressure: publish waits while queue_max_events are unacknowledged; offer says full or unavailable', async (t) => {
  const { output, producer } = await setup(t, { queue_max_events: 5, batch_max_events: 5 });
  let open!: () => void;
  producer.gate = new Promise((r) => {
    open = r;
  });
  const acks: number[] = [];
  await output.publish(events(5, acks));
  assert.equal(output.state(), 'full');
  assert.equal(output.offer(events(1, acks, 100)), 'full');
  let second = false;
  const waiting = output.publish(events(1, acks, 5)).then(() => {
    second = true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(second, false);
  producer.gate = undefined;
  open();
  await waiting;
  assert.equal(await output.drain(5000), true);
  assert.deepEqual(acks, [0, 1, 2, 3, 4, 5]);
  producer.down = true;
  await output.publish(events(1, acks, 6));
  await eventually(async () => (output.state() === 'unavailable' ? true : undefined), 5000);
  assert.equal(output.offer(events(1, acks, 7)), 'unavailable');
  producer.down = false;
  assert.equal(await output.drain(5000), true);
  assert.equal(output.state(), 'ok');
  assert.deepEqual(acks.slice(6), [6]);
});

test('oversized events and invalid topics go to the reject file with the reason, acked in order, never to Kafka', async (t) => {
  const { output, producer, dir, lines } = await setup(t, { max_message_bytes: 200, topic: '%{[fields][log_topic]}' });
  const acks: number[] = [];
  await output.publish([
    { fields: { message: 'ok', fields: { log_topic: 'a' } }, input: 'i', ack: () => acks.push(0) },
    { fields: { message: 'x'.repeat(300), fields: { log_topic: 'a' } }, input: 'i', ack: () => acks.push(1) },
    { fields: { message: 'no topic field' }, input: 'i', ack: () => acks.push(2) },
    { fields: { message: 'ok2', fields: { log_topic: 'b' } }, input: 'i', ack: () => acks.push(3) },
  ]);
  assert.equal(await output.drain(5000), true);
  assert.deepEqual(acks, [0, 1, 2, 3]);
  assert.deepEqual(
    producer.sent.map((m) => [m.topic, m.value.message]),
    [
      ['a', 'ok'],
      ['b', 'ok2'],
    ],
  );
  const rejected = (await readFile(path.join(dir, 'rejected.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { reason: string; event: { message: string }; input: string });
  assert.equal(rejected.length, 2);
  assert.match(rejected[0]!.reason, /over max_message_bytes \(200\)/);
  assert.equal(rejected[0]!.event.message.length, 300);
  assert.match(rejected[1]!.reason, /invalid topic name/);
  assert.equal(lines.filter((l) => l.code === 'LOGLANE_ERR_SHIPPER_REJECTED').length, 2);
});

test('backoff is exponential, capped and jittered', () => {
  assert.equal(backoffMs(1, 100, 30_000, () => 0), 50);
  assert.equal(backoffMs(1, 100, 30_000, () => 1), 100);
  assert.equal(backoffMs(4, 100, 30_000, () => 1), 800);
  assert.equal(backoffMs(50, 100, 30_000, () => 1), 30_000);
  assert.equal(backoffMs(50, 100, 30_000, () => 0), 15_000);
});

test('stop while Kafka is down does not hang; unacked events stay unacked', async (t) => {
  const { output, producer } = await setup(t);
  producer.down = true;
  const acks: number[] = [];
  await output.publish(events(3, acks));
  await eventually(async () => (producer.failures > 0 ? true : undefined), 5000);
  await output.stop(100);
  assert.deepEqual(acks, []);
  await assert.rejects(output.publish(events(1, acks)), /stopped/);
});

test('batches stay under batch_max_bytes (one record batch must fit the broker limit)', async (t) => {
  const { output, producer } = await setup(t, { batch_max_bytes: 2000, batch_max_events: 1000 });
  const sizes: number[] = [];
  const send = producer.send.bind(producer);
  producer.send = async (options) => {
    sizes.push(options.messages.reduce((s, m) => s + m.value!.length + 70, 0));
    return send(options);
  };
  const acks: number[] = [];
  await output.publish(Array.from({ length: 50 }, (_, i) => ({ fields: { message: 'y'.repeat(180) }, input: 't', ack: () => acks.push(i) })));
  assert.equal(await output.drain(5000), true);
  assert.equal(acks.length, 50);
  assert.ok(sizes.length >= 5 && sizes.every((s) => s <= 2000), sizes.join(','));
});
