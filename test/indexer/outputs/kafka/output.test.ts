import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../../../src/indexer/event.ts';
import { kafkaOutputSchema } from '../../../../src/indexer/outputs/kafka/config.ts';
import { createKafkaOutput } from '../../../../src/indexer/outputs/kafka/output.ts';

type Sent = { topic: string; key?: Buffer; value: Buffer };

function fakeProducer(failures: number) {
  const sent: Sent[][] = [];
  let calls = 0;
  return {
    sent,
    producer: {
      async send(options: { messages: Sent[]; acks: number }) {
        assert.equal(options.acks, -1);
        if (calls++ < failures) throw new Error('broker down');
        sent.push(options.messages);
        return {};
      },
    } as never,
  };
}

const events = (levels: string[]) => levels.map((level, i) => ({ event: Event.fromObject({ level, service: i === 2 ? 'Bad Name' : 'api' }, { metadata: { kafka: { key: `k${i}` } } }), source: { topic: 't', partition: 0, offset: i, sequence: 0 } }));

test('only events matching `if` are produced, keyed by the source key, as JSON', async () => {
  const fake = fakeProducer(0);
  const output = createKafkaOutput({ pipeline: 'p', config: kafkaOutputSchema.parse({ topic: 'logs-errors', if: '[level] == "ERROR"' }), producer: fake.producer });
  const results = await output.write(events(['INFO', 'ERROR', 'ERROR']));
  assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: true }]);
  assert.deepEqual(fake.sent[0]!.map((m) => [m.topic, m.key?.toString(), JSON.parse(m.value.toString()).level]), [['logs-errors', 'k1', 'ERROR'], ['logs-errors', 'k2', 'ERROR']]);
});

test('a topic template that renders an invalid name is a dead letter for that event', async () => {
  const fake = fakeProducer(0);
  const output = createKafkaOutput({ pipeline: 'p', config: kafkaOutputSchema.parse({ topic: '%{[service]}-events', key: '%{[level]}' }), producer: fake.producer });
  const results = await output.write(events(['INFO', 'WARN', 'ERROR']));
  assert.deepEqual(results.map((r) => r.ok), [true, true, false]);
  assert.deepEqual(fake.sent[0]!.map((m) => [m.topic, m.key?.toString()]), [['api-events', 'INFO'], ['api-events', 'WARN']]);
});

test('failed sends are retried until the broker answers; unavailable and recovered are reported once', async () => {
  const fake = fakeProducer(2);
  const log: string[] = [];
  const output = createKafkaOutput({ pipeline: 'p', config: kafkaOutputSchema.parse({ topic: 'x' }), producer: fake.producer, onUnavailable: () => log.push('down'), onRecovered: () => log.push('up') });
  const results = await output.write(events(['INFO']));
  assert.deepEqual(results, [{ ok: true }]);
  assert.equal(fake.sent.length, 1);
  assert.deepEqual(log, ['down', 'up']);
});
